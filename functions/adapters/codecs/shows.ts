/**
 * The shows table's layout: shows and the viewer count per channel. The only code that knows
 * these keys. (Whether a show sells a product is on the product's stock items: codecs/catalog.ts.)
 */
import type { Show, ShowStatus } from '../../domain/show.js';
import type { Listing } from '../../shows/ports.js';
import { type Item, strip } from './item.js';

/**
 * The sparse listing index: SCHEDULED and LIVE shows carry `listing` (storefronts browse them),
 * and an ENDED show until its settlement is registered (the settlement sweep's backstop).
 */
const LISTING: Partial<Record<ShowStatus, Listing | typeof AWAITING_SETTLEMENT>> = { LIVE: 'LIVE', SCHEDULED: 'UPCOMING', ENDED: 'ENDED' };
export const AWAITING_SETTLEMENT = 'ENDED';
const STORAGE = ['pk', 'sk', 'listing', 'countyStatus'] as const;

export const showsTable = {
  showKey: (showId: string) => ({ pk: `SHOW#${showId}`, sk: 'SHOW' }),
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
