/**
 * The live figures of a show: `GET /shows/{showId}/live` (operators of its county).
 *
 * TODO(lead): the one hand-typed route of the console. Until `npm run contracts` regenerates
 * clients/typescript/src/schema.d.ts with this path, `LivePaths` describes it in openapi-typescript's
 * shape and `fetchLive` calls it through the same openapi-fetch client (so the bearer token and the
 * 401 handling apply), viewed as a client of `paths & LivePaths`. Once the schema has the route:
 * delete `LiveFigures`' hand-written body below in favour of
 * `paths['/shows/{showId}/live']['get']['responses'][200]['content']['application/json']`,
 * delete `LivePaths`, and call `api.GET('/shows/{showId}/live', …)` directly.
 */
import type { Client } from 'openapi-fetch';
import { type Api, ApiFailure, call, type paths } from './api.js';

export type LiveStatus = 'SCHEDULED' | 'LIVE' | 'ENDED' | 'CANCELLED';

export interface LiveSpotlight {
  productId: string;
  showPriceFen: number;
  seq: number;
  at: string;
}

export interface LiveFigures {
  showId: string;
  countyId: string;
  status: LiveStatus;
  title: string;
  startedAt?: string;
  endedAt?: string;
  broadcasting: { live: boolean; viewerCount: number | null };
  spotlight: LiveSpotlight | null;
  orders: { reserved: number; paid: number; cancelled: number; expired: number; refunded: number };
  paidGmvFen: number;
  perMinute: { minute: string; paidOrders: number; paidGmvFen: number }[];
  products: { productId: string; name: string; showPriceFen: number; unitsSold: number; unitsReserved: number; stockLeft: number; soldOut: boolean }[];
  asOf: string | null;
  sequence: number;
}

type ErrorBody = paths['/shows/{showId}/spotlight']['post']['responses'][404]['content']['application/json'];

/** The route in openapi-typescript's shape, until the generated schema has it. */
interface LivePaths {
  '/shows/{showId}/live': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path: { showId: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { 'application/json': LiveFigures } };
        404: { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody } };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

/**
 * The show's live figures, or null when there are none to read: the route is not there yet (an
 * older province) or the show has none. Other failures are thrown as `ApiFailure`.
 */
export async function fetchLive(api: Api, showId: string): Promise<LiveFigures | null> {
  const client = api as unknown as Client<paths & LivePaths>;
  try {
    return await call(client.GET('/shows/{showId}/live', { params: { path: { showId } } }));
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 404) return null;
    throw error;
  }
}

/** How often the figures are read while the show is live (ms); slower when the route is missing. */
export const LIVE_POLL_MS = 2_000;
export const LIVE_MISSING_POLL_MS = 30_000;

/**
 * The timed metadata a spotlight sends to every viewer's player (IVS PutMetadata), as the
 * province writes it (functions/domain/show.ts `spotlightMetadata`).
 */
export function spotlightPayload(showId: string, s: LiveSpotlight): string {
  return JSON.stringify({ v: 1, type: 'spotlight', showId, productId: s.productId, showPriceFen: s.showPriceFen, seq: s.seq });
}

/** Spotlights seen, newest first, one per `seq` (a later sighting of the same seq replaces nothing). */
export function mergeSpotlights(seen: readonly LiveSpotlight[], more: readonly (LiveSpotlight | null | undefined)[]): LiveSpotlight[] {
  const bySeq = new Map(seen.map((s) => [s.seq, s] as const));
  let changed = false;
  for (const s of more) {
    if (s && !bySeq.has(s.seq)) {
      bySeq.set(s.seq, s);
      changed = true;
    }
  }
  return changed ? [...bySeq.values()].sort((a, b) => b.seq - a.seq) : (seen as LiveSpotlight[]);
}
