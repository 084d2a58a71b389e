/**
 * The shows table's layout: shows, their gate items, and the viewer count per channel.
 * The only code that knows these keys.
 */
import type { Show, ShowStatus } from '../../domain/show.js';
import type { Listing } from '../../shows/ports.js';
import { hashOf, type Item, pad2, strip } from './item.js';

/**
 * A show's status is copied onto this many tiny gate items. Every order checks one of them (by a
 * hash of its id) in its transaction instead of the show item itself: a check costs write
 * capacity on the item it reads, and one item takes about 500 transactional checks a second.
 */
export const GATE_SHARDS = 32;

/**
 * The sparse listing index: SCHEDULED and LIVE shows carry `listing` (storefronts browse them),
 * and an ENDED show until its settlement is registered (the settlement sweep's backstop).
 */
const LISTING: Partial<Record<ShowStatus, Listing | typeof AWAITING_SETTLEMENT>> = { LIVE: 'LIVE', SCHEDULED: 'UPCOMING', ENDED: 'ENDED' };
export const AWAITING_SETTLEMENT = 'ENDED';
const STORAGE = ['pk', 'sk', 'listing', 'countyStatus'] as const;

export const showsTable = {
  showKey: (showId: string) => ({ pk: `SHOW#${showId}`, sk: 'SHOW' }),
  /** Each gate has a partition key of its own: DynamoDB spreads load by partition key. */
  gateKey: (showId: string, gate: number) => ({ pk: `GATE#${showId}#${pad2(gate % GATE_SHARDS)}`, sk: 'GATE' }),
  /** The gate an order checks. */
  gateKeyFor: (showId: string, orderId: string) => showsTable.gateKey(showId, hashOf(orderId)),
  /** The gates carry the show's status and lineup version: what an order's transaction checks. */
  gateKeys: (showId: string) => Array.from({ length: GATE_SHARDS }, (_, i) => showsTable.gateKey(showId, i)),
  gateItems: (show: Pick<Show, 'showId' | 'status' | 'lineupVersion'>): Item[] =>
    showsTable.gateKeys(show.showId).map((key) => ({ ...key, status: show.status, lineupVersion: show.lineupVersion ?? 0 })),
  /** The province's viewer counts: one item, refreshed under a lease. */
  viewersKey: () => ({ pk: 'VIEWERS', sk: 'VIEWERS' }),

  /** A county's shows for its operators: byCounty (every status) or byCountyStatus (one), by schedule. */
  countyShows: (countyId: string, status?: ShowStatus) =>
    status === undefined
      ? { index: 'byCounty', partition: 'countyId', value: countyId, order: 'scheduledStart' }
      : { index: 'byCountyStatus', partition: 'countyStatus', value: `${countyId}#${status}`, order: 'scheduledStart' },
  /** The attributes a county list cursor (a start key of either index) may hold. */
  countyListKeyAttributes: ['pk', 'sk', 'countyId', 'countyStatus', 'scheduledStart'] as const,

  showItem: (show: Show): Item => ({ ...showsTable.showKey(show.showId), ...show, listing: LISTING[show.status], countyStatus: `${show.countyId}#${show.status}` }),
  toShow: (item: Item) => strip<Show>(item, STORAGE),
  isShow: (item: Item) => String(item.pk).startsWith('SHOW#') && item.sk === 'SHOW',
};
