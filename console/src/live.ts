/**
 * The live figures of a show: `GET /shows/{showId}/live` (operators of its county), typed from
 * the generated schema (clients/typescript, `npm run contracts`) and called through the
 * openapi-fetch client (the bearer token and the 401 handling apply).
 */
import { type Api, ApiFailure, call, type Schemas } from './api.js';

export type LiveFigures = Schemas['LiveFigures'];
export type LiveStatus = LiveFigures['status'];
export type LiveSpotlight = Schemas['Spotlight'];

/**
 * The show's live figures, or null when there are none to read: the route is not there (an
 * older province) or the show has none. Other failures are thrown as `ApiFailure`.
 */
export async function fetchLive(api: Api, showId: string): Promise<LiveFigures | null> {
  try {
    return await call(api.GET('/shows/{showId}/live', { params: { path: { showId } } }));
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
