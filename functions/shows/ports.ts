/** The shows context: the stores and services its use cases need, and their conflict outcomes. */
import type { ChannelRegistry } from '../domain/channel.js';
import type { LineupEntry, Show, ShowStatus } from '../domain/show.js';
import type { Product } from '../catalog/ports.js';
import type { FigureCounts } from '../domain/live-figures.js';

/** The sparse listing of shows storefronts browse: SCHEDULED shows are UPCOMING. */
export type Listing = 'LIVE' | 'UPCOMING';

export interface ShowPage { shows: Show[]; cursor?: string }

export interface ViewerSnapshot {
  /** Viewers per live channel ARN; a channel not in it was not broadcasting. */
  counts: Record<string, number>;
  /** IVS's word on each live stream's health (HEALTHY, STARVING, UNKNOWN), by channel ARN. */
  health?: Record<string, string>;
  fetchedAt: string;
}

/** Another writer changed the show since it was read (optimistic concurrency): read again. */
export type Stale = 'stale';

export interface ShowStore {
  /** A new show. */
  putShow(show: Show): Promise<void>;
  getShow(showId: string): Promise<Show | undefined>;
  /** Replaces the lineup while the show is SCHEDULED or LIVE: the show saved, and the show as it was just before (the lineup replaced). */
  putLineup(showId: string, lineup: LineupEntry[]): Promise<{ saved: Show; before: Show } | 'not-found' | 'closed'>;
  /** Writes `next` only if the stored show is still at `next.version`, bumping the version. `before` is what was read. */
  save(next: Show, before: Pick<Show, 'status'>): Promise<Show | Stale>;
  /** A channel's shows scheduled between `from` and `to` (ISO), oldest first. */
  onChannel(channelId: string, from: string, to: string): Promise<Show[]>;
  /** LIVE or UPCOMING shows by schedule, a page at a time; a cursor this store did not give out is refused. */
  listed(listing: Listing, limit: number, cursor?: string): Promise<ShowPage | 'invalid-cursor'>;
  /** A county's shows (of one status, or all), newest scheduledStart first, a page at a time; a cursor of another list is refused. */
  ofCounty(countyId: string, status: ShowStatus | undefined, limit: number, cursor?: string): Promise<ShowPage | 'invalid-cursor'>;
  /** The province's viewer counts by channel ARN, as last read from IVS (one snapshot shared by every function instance). */
  viewerSnapshot(): Promise<ViewerSnapshot | undefined>;
  /** Takes the right to refresh the snapshot until `until`; false if another instance holds it. */
  leaseViewers(now: Date, until: Date): Promise<boolean>;
  putViewers(counts: Record<string, number>, at: Date, health?: Record<string, string>): Promise<void>;
}

/** What show planning needs of the catalog. */
export interface LineupCatalog {
  /** Products by id; `stock` is the product item's own unless `withStock` adds up its shards too. */
  getProducts(productIds: readonly string[], options?: { withStock?: boolean }): Promise<Map<string, Product>>;
  /** Spreads a product's stock over `shards` items (1 gathers it back), keeping every unit. */
  shardStock(productId: string, shards: number): Promise<void>;
}

/** A product whose stock items carry another show's sale gate. */
export interface SaleHeld {
  productId: string;
  /** The show the gate names. */
  heldBy: string;
}

/**
 * The sale gate on the catalog's stock items: while a product is on sale in a LIVE show, its
 * product item and every stock shard carry that show and the product's show price, and an
 * order's stock update checks them in the same condition that takes the stock. A product is on
 * sale in one show at a time. Every write is conditioned on the gate (and the product's shard
 * count) being what was read, and a product's items change together (one transaction), so a
 * concurrent gate change or resharding is never lost.
 */
export interface SaleGates {
  /** The show whose gate each product's item carries (a product on sale nowhere is left out). */
  heldBy(productIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Puts the entries on sale in the show at their show prices, writing only the items whose gate
   * differs (so it is idempotent and, when nothing differs, only reads). A product whose items
   * name another show is left as it is and returned, unless `takeOver` maps it to that very show
   * (a stale gate, taken over). `wrote`: whether any item was written.
   */
  open(showId: string, entries: readonly LineupEntry[], takeOver?: ReadonlyMap<string, string>): Promise<{ held: SaleHeld[]; wrote: boolean }>;
  /** Takes the products off sale in the show: removes the gate from their items that name this show, never another show's. */
  close(showId: string, productIds: readonly string[]): Promise<void>;
}

export interface LiveStream {
  streamId: string;
  startTime: string;
  viewerCount: number;
  health?: string;
}

/** What the show lifecycle needs of Amazon IVS. */
export interface Broadcasting {
  /** Timed metadata to every viewer's player; false when the channel is not broadcasting. */
  putMetadata(channelArn: string, metadata: string): Promise<boolean>;
  /**
   * Every live stream of the account in the region, by channel ARN (one paginated ListStreams),
   * or 'unknown' when IVS throttled or failed the call: nothing can then be concluded about
   * which channels are offline.
   */
  liveStreams(): Promise<Map<string, LiveStream> | 'unknown'>;
  /** Disconnects the encoder; a channel that is already offline is fine. */
  stopStream(channelArn: string): Promise<void>;
  getStreamKey(streamKeyArn: string): Promise<string>;
}

export interface ShowDeps {
  shows: ShowStore;
  catalog: LineupCatalog;
  /** The sale gate of LIVE shows' lineup products on their stock items (what orders check). */
  sales: SaleGates;
  ivs: Broadcasting;
  channels: ChannelRegistry;
  now: () => Date;
  newId: () => string;
  /** How long after the stream stops a show still counts as live. */
  graceMs: number;
}

/** One order change from a stream shard, as the live figures take it. */
export interface FiguresChange {
  showId: string;
  countyId: string;
  /** The stream record's sequence number (a decimal string). */
  sequenceNumber: string;
  /** When the change was made (the record's approximate creation time). */
  at: string;
  counts: FigureCounts;
}

/** A show's live figures as kept. */
export interface LiveFiguresSnapshot {
  counts: FigureCounts;
  asOf: string | null;
  version: number;
}

/** What the live figures need of storage. */
export interface LiveFiguresStore {
  /**
   * Applies one show's changes from one stream shard (in the shard's order) exactly once: a change
   * at or below the last sequence number applied from that shard changes nothing.
   */
  apply(shardId: string, changes: readonly FiguresChange[]): Promise<void>;
  /** The show, its figures and the province's viewer counts: one read. */
  read(showId: string): Promise<{ show?: Show; figures?: LiveFiguresSnapshot; viewers?: ViewerSnapshot }>;
  /** Each lineup product's name and stock left (its shards added up): one read. */
  lineupStock(lineup: readonly LineupEntry[]): Promise<Map<string, { name: string; stock: number }>>;
}
