/** Show planning and reading: schedule a show, change its lineup, list and read shows, a channel's ingest. */
import { countyToList, type Operator, requireCounty, requireCountyToCreate } from '../domain/access.js';
import type { Channel } from '../domain/channel.js';
import { DomainError } from '../domain/errors.js';
import { type LineupEntry, scheduleShow, type Show, type ShowStatus } from '../domain/show.js';
import type { Product } from '../catalog/ports.js';
import { logger } from '../shared/powertools.js';
import type { Listing, ShowDeps, ShowPage } from './ports.js';
import { openSale, sortHeld } from './sale.js';
import { viewerCounter } from './viewers.js';

const showNotFound = (showId: string) => new DomainError('NOT_FOUND', `show ${showId} does not exist`, 'showId');

/** Every lineup product must exist and belong to a seller of the show's county. */
async function checkLineup(deps: Pick<ShowDeps, 'catalog'>, countyId: string, lineup: LineupEntry[], field: string): Promise<void> {
  const products = await deps.catalog.getProducts(lineup.map((e) => e.productId));
  lineup.forEach((entry, i) => {
    const product = products.get(entry.productId);
    const f = `${field}[${i}].productId`;
    // another county's product is answered as one that does not exist: nothing about it is told
    if (!product || product.countyId !== countyId) {
      throw new DomainError('UNKNOWN_REFERENCE', `${f}: product ${entry.productId} does not exist in county ${countyId}`, f);
    }
  });
}

/** Spreads (or gathers back) the stock of lineup products that name a shard count. */
async function applyStockShards(deps: Pick<ShowDeps, 'catalog'>, lineup: LineupEntry[]): Promise<void> {
  for (const entry of lineup) {
    if (entry.stockShards !== undefined) await deps.catalog.shardStock(entry.productId, entry.stockShards);
  }
}

export async function createShow(
  deps: ShowDeps,
  operator: Operator,
  input: { countyId: string; channel: string; title: string; scheduledStart: string; lineup: LineupEntry[] },
): Promise<Show> {
  requireCountyToCreate(operator, input.countyId, 'countyId');
  if (!(await deps.channels.countyIds()).has(input.countyId)) {
    throw new DomainError('UNKNOWN_REFERENCE', `countyId: ${input.countyId} is not a county of this province`, 'countyId');
  }
  const channel = await deps.channels.byId(input.channel);
  if (!channel || channel.countyId !== input.countyId) {
    throw new DomainError('UNKNOWN_REFERENCE', `channel: ${input.channel} is not a channel of county ${input.countyId}`, 'channel');
  }
  await checkLineup(deps, input.countyId, input.lineup, 'lineup');
  const show = scheduleShow(
    {
      showId: deps.newId(),
      countyId: input.countyId,
      channelId: channel.channelId,
      channelArn: channel.arn,
      title: input.title,
      scheduledStart: new Date(input.scheduledStart).toISOString(),
      lineup: input.lineup,
    },
    deps.now(),
  );
  await applyStockShards(deps, input.lineup);
  await deps.shows.putShow(show);
  return show;
}

/** Refused: a product the lineup change adds is on sale in another LIVE show (nothing was changed). */
const onSaleElsewhere = (lineup: LineupEntry[], productId: string, heldBy: string) => {
  const f = `lineup[${lineup.findIndex((e) => e.productId === productId)}].productId`;
  return new DomainError('PRODUCT_ON_SALE_ELSEWHERE', `${f}: product ${productId} is on sale in live show ${heldBy}; take it out of that show's lineup (or end it) first`, f);
};

/**
 * Replaces a show's lineup. While the show is LIVE the sale follows (shows/sale.ts): the show
 * item is saved first, then the added products put on sale, the repriced ones repriced and the
 * removed ones taken off sale. A product it adds that another LIVE show sells is refused before
 * anything is written (and, should that show take it between the check and the gates, the
 * lineup is put back and the change refused alike).
 */
export async function replaceLineup(deps: ShowDeps, operator: Operator, showId: string, lineup: LineupEntry[]): Promise<Show> {
  const show = await deps.shows.getShow(showId);
  if (!show) throw showNotFound(showId);
  requireCounty(operator, show.countyId, () => showNotFound(showId));
  await checkLineup(deps, show.countyId, lineup, 'lineup');
  if (show.status === 'LIVE') {
    const added = lineup.filter((e) => !show.lineup.some((was) => was.productId === e.productId));
    const holders = await deps.sales.heldBy(added.map((e) => e.productId));
    const others = [...holders].filter(([, heldBy]) => heldBy !== showId).map(([productId, heldBy]) => ({ productId, heldBy }));
    const [taken] = (await sortHeld(deps, others)).live;
    if (taken) throw onSaleElsewhere(lineup, taken.productId, taken.heldBy);
  }
  await applyStockShards(deps, lineup);
  const result = await deps.shows.putLineup(showId, lineup);
  if (result === 'not-found') throw showNotFound(showId);
  if (result === 'closed') {
    const now = await deps.shows.getShow(showId);
    throw new DomainError('SHOW_CLOSED', `show ${showId} is ${now?.status ?? 'closed'}; its lineup can no longer change`);
  }
  const { saved, before } = result;
  if (saved.status !== 'LIVE') return saved;
  const inLineup = (l: LineupEntry[]) => (productId: string) => l.some((e) => e.productId === productId);
  const removed = before.lineup.map((e) => e.productId).filter((id) => !inLineup(lineup)(id));
  if (removed.length > 0) await deps.sales.close(showId, removed);
  const held = await openSale(deps, saved);
  const taken = held.find((h) => !inLineup(before.lineup)(h.productId));
  if (taken) {
    // another show took an added product after the check: put the lineup back, then refuse
    const back = await deps.shows.putLineup(showId, before.lineup);
    if (typeof back === 'object' && back.saved.status === 'LIVE') {
      await deps.sales.close(showId, lineup.map((e) => e.productId).filter((id) => !inLineup(before.lineup)(id)));
      await openSale(deps, back.saved);
    }
    throw onSaleElsewhere(lineup, taken.productId, taken.heldBy);
  }
  for (const { productId, heldBy } of held) {
    logger.warn('product on sale in another live show: left to it, not on sale in this one', { showId, productId, heldBy });
  }
  return saved;
}

/** Live or upcoming shows, a page at a time, each with its channel. */
export async function listShows(deps: ShowDeps, query: { status: 'live' | 'upcoming'; limit: number; cursor?: string }): Promise<{ page: ShowPage; channelOf: (show: Show) => Channel | undefined }> {
  const listing: Listing = query.status === 'live' ? 'LIVE' : 'UPCOMING';
  const page = await deps.shows.listed(listing, query.limit, query.cursor);
  if (page === 'invalid-cursor') throw new DomainError('VALIDATION_FAILED', 'query.cursor: is not a cursor this API gave out', 'query.cursor');
  const channels = new Map((await deps.channels.all()).map((c) => [c.channelId, c]));
  return { page, channelOf: (show) => channels.get(show.channelId) };
}

/** A county's shows of every status (or one), newest scheduledStart first, for its operators. */
export async function listCountyShows(deps: Pick<ShowDeps, 'shows'>, operator: Operator, query: { countyId?: string; status?: ShowStatus; limit: number; cursor?: string }): Promise<{ countyId: string; page: ShowPage }> {
  const countyId = countyToList(operator, query.countyId);
  const page = await deps.shows.ofCounty(countyId, query.status, query.limit, query.cursor);
  if (page === 'invalid-cursor') throw new DomainError('VALIDATION_FAILED', 'query.cursor: is not a cursor this API gave out for this list', 'query.cursor');
  return { countyId, page };
}

/** One show of the operator's county (any status), with its lineup: the console's show page. */
export async function operatorShow(deps: Pick<ShowDeps, 'shows'>, operator: Operator, showId: string): Promise<Show> {
  const show = await deps.shows.getShow(showId);
  if (!show) throw showNotFound(showId);
  requireCounty(operator, show.countyId, () => showNotFound(showId));
  return show;
}

/** A show for a storefront: its channel, lineup products with stock, and viewers while LIVE. */
export function showReader(deps: ShowDeps) {
  const viewers = viewerCounter(deps);
  return async (showId: string): Promise<{ show: Show; channel?: Channel; products: ReadonlyMap<string, Product>; viewerCount: number | null }> => {
    const show = await deps.shows.getShow(showId);
    if (!show) throw showNotFound(showId);
    const channel = await deps.channels.byId(show.channelId);
    const [products, viewerCount] = await Promise.all([
      deps.catalog.getProducts(show.lineup.map((e) => e.productId), { withStock: true }),
      show.status === 'LIVE' && channel ? viewers(channel) : Promise.resolve(null),
    ]);
    return { show, channel, products, viewerCount };
  };
}

/**
 * Ingest server and stream key for a county's encoder (OBS, a phone app). The key is read from
 * IVS at request time, never stored, logged or cached.
 */
export async function channelIngest(deps: ShowDeps, operator: Operator, channelId: string) {
  const channel = await deps.channels.byId(channelId);
  const notFound = () => new DomainError('NOT_FOUND', `channel ${channelId} does not exist in this province`, 'channelId');
  if (!channel) throw notFound();
  requireCounty(operator, channel.countyId, notFound);
  const streamKey = await deps.ivs.getStreamKey(channel.streamKeyArn);
  return {
    channelId: channel.channelId,
    countyId: channel.countyId,
    ingestEndpoint: channel.ingestEndpoint,
    ingestServer: `rtmps://${channel.ingestEndpoint}:443/app/`,
    streamKey,
  };
}
