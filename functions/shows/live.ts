/**
 * A show's live figures: kept from the orders table stream (each order change moves them by the
 * difference between its old and new image), read by the show's operators in two reads.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type Operator, requireCounty } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { isZero, orderDifference } from '../domain/live-figures.js';
import type { Order } from '../domain/order.js';
import type { Show } from '../domain/show.js';
import { logger } from '../shared/powertools.js';
import type { FiguresChange, LiveFiguresSnapshot, LiveFiguresStore, ViewerSnapshot } from './ports.js';

/** The viewer counts are refreshed every minute by the sweep (and by storefront reads): older than this, they are not told. */
export const VIEWERS_FRESH_MS = 120_000;

/** With a tumbling window, Lambda names the batch's shard (and expects a `state` back). */
export type FiguresStreamEvent = DynamoDBStreamEvent & { shardId?: string; state?: Record<string, unknown> };
export type FiguresStreamResponse = DynamoDBBatchResponse & { state: Record<string, unknown> };

export interface FiguresStreamDeps {
  figures: Pick<LiveFiguresStore, 'apply'>;
  /** An orders-table stream record as the order before and after (undefined: not an order). */
  decode: (record: DynamoDBRecord) => { before?: Order; after?: Order } | undefined;
}

/** When the change was made: Lambda gives epoch seconds; the SDK (local pollers) a date. */
function createdAt(record: DynamoDBRecord): string {
  const raw = record.dynamodb?.ApproximateCreationDateTime as unknown;
  const ms = typeof raw === 'number' ? raw * 1000 : typeof raw === 'string' || raw instanceof Date ? new Date(raw).getTime() : Number.NaN;
  return new Date(Number.isFinite(ms) ? ms : Date.now()).toISOString();
}

const pad = (s: string) => s.padStart(40, '0');

/**
 * The orders stream consumer. A batch comes from one shard, in its order: its changes are grouped
 * per show, and each show's group is one conditional write (the store keeps the shard's last
 * applied sequence number in the same write), so a batch delivered again, cut differently or
 * after a crash, changes nothing it already changed. A group that fails is reported as the first
 * record to retry from; the groups already written are skipped when redelivered.
 */
export function figuresConsumer(deps: FiguresStreamDeps) {
  return async (event: FiguresStreamEvent): Promise<FiguresStreamResponse> => {
    const done = (failure?: string): FiguresStreamResponse => ({ batchItemFailures: failure ? [{ itemIdentifier: failure }] : [], state: {} });
    if (event.Records.length === 0) return done(); // a tumbling window's closing call
    const shardId = event.shardId;
    if (!shardId) throw new Error('live figures: the batch does not name its shard (the event source needs a tumbling window)');
    const groups = new Map<string, FiguresChange[]>();
    for (const record of event.Records) {
      const change = deps.decode(record);
      const order = change?.after ?? change?.before;
      if (!change || !order) continue;
      const counts = orderDifference(change.before, change.after);
      if (isZero(counts)) continue; // e.g. a payment opened: nothing moves
      const group = groups.get(order.showId) ?? [];
      group.push({ showId: order.showId, countyId: order.countyId, sequenceNumber: record.dynamodb!.SequenceNumber!, at: createdAt(record), counts });
      groups.set(order.showId, group);
    }
    let failure: string | undefined;
    for (const [showId, changes] of groups) {
      try {
        await deps.figures.apply(shardId, changes);
      } catch (error) {
        logger.warn('live figures not written; the stream will retry from the first change of the show', { showId, shardId, error: String(error) });
        const first = changes[0]!.sequenceNumber;
        if (failure === undefined || pad(first) < pad(failure)) failure = first;
      }
    }
    return done(failure);
  };
}

export interface LiveFiguresDeps {
  figures: Pick<LiveFiguresStore, 'read' | 'lineupStock'>;
  now: () => Date;
}

const showNotFound = (showId: string) => new DomainError('NOT_FOUND', `show ${showId} does not exist`, 'showId');

/** What an operator sees of a show while it runs (the console's control room). */
export function liveFiguresView(
  show: Show,
  figures: LiveFiguresSnapshot | undefined,
  viewers: ViewerSnapshot | undefined,
  stock: ReadonlyMap<string, { name: string; stock: number }>,
  now: Date,
) {
  const counts = figures?.counts;
  const onAir = show.status === 'LIVE' && show.broadcastEndedAt === undefined && show.offlineSince === undefined;
  const freshViewers = viewers && now.getTime() - Date.parse(viewers.fetchedAt) <= VIEWERS_FRESH_MS ? viewers : undefined;
  return {
    showId: show.showId,
    countyId: show.countyId,
    status: show.status,
    title: show.title,
    ...(show.startedAt ? { startedAt: show.startedAt } : {}),
    ...(show.endedAt ? { endedAt: show.endedAt } : {}),
    broadcasting: {
      live: onAir,
      viewerCount: show.status === 'LIVE' && freshViewers ? (freshViewers.counts[show.channelArn] ?? 0) : null,
      // the stream's health as IVS last reported it (the viewers' snapshot, refreshed by the sweep and the storefront reads)
      health: onAir && freshViewers ? (freshViewers.health?.[show.channelArn] ?? null) : null,
    },
    spotlight: show.spotlight ? { productId: show.spotlight.productId, showPriceFen: show.spotlight.showPriceFen, seq: show.spotlight.seq, at: show.spotlight.at } : null,
    orders: {
      reserved: counts?.status.RESERVED ?? 0,
      paid: counts?.status.PAID ?? 0,
      cancelled: counts?.status.CANCELLED ?? 0,
      expired: counts?.status.EXPIRED ?? 0,
      refunded: counts?.status.REFUNDED ?? 0,
    },
    paidGmvFen: counts?.paidGmvFen ?? 0,
    perMinute: Object.entries(counts?.perMinute ?? {})
      .filter(([, m]) => m.paidOrders !== 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([minute, m]) => ({ minute, paidOrders: m.paidOrders, paidGmvFen: m.paidGmvFen })),
    products: show.lineup.map((entry) => {
      const p = counts?.products[entry.productId];
      const left = stock.get(entry.productId);
      const stockLeft = left?.stock ?? 0;
      return {
        productId: entry.productId,
        name: left?.name ?? entry.productId,
        showPriceFen: entry.showPriceFen,
        unitsSold: p?.unitsSold ?? 0,
        unitsReserved: p?.unitsReserved ?? 0,
        stockLeft,
        soldOut: stockLeft <= 0,
      };
    }),
    asOf: figures?.asOf ?? null,
    sequence: figures?.version ?? 0,
  };
}

/** GET /shows/{showId}/live: the show's county operators and province admins; another county's show is not found. */
export function liveFiguresReader(deps: LiveFiguresDeps) {
  return async (operator: Operator, showId: string) => {
    const { show, figures, viewers } = await deps.figures.read(showId);
    if (!show) throw showNotFound(showId);
    requireCounty(operator, show.countyId, () => showNotFound(showId));
    const stock = show.lineup.length > 0 ? await deps.figures.lineupStock(show.lineup) : new Map<string, { name: string; stock: number }>();
    return liveFiguresView(show, figures, viewers, stock, deps.now());
  };
}
