/**
 * The show lifecycle use cases: IVS stream facts, the sweep that ends and reconciles shows,
 * the operator's end, and the spotlight.
 */
import { isDeepStrictEqual } from 'node:util';
import { type Operator, requireCounty } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import {
  applySignal,
  belongsToShow,
  endByOperator,
  deriveStatus,
  isFinal,
  observeOffline,
  recordSignal,
  type Show,
  spotlightMetadata,
  spotlightProduct,
  type StreamSignal,
} from '../domain/show.js';
import { logger } from '../shared/powertools.js';
import type { LiveStream, ShowDeps } from './ports.js';
import { closeSale, openSale } from './sale.js';

/** Viewers per live channel ARN (−1 from IVS: it timed out counting; left out). */
export function viewerCounts(streams: ReadonlyMap<string, LiveStream>): Record<string, number> {
  return Object.fromEntries([...streams].filter(([, s]) => s.viewerCount >= 0).map(([arn, s]) => [arn, s.viewerCount]));
}

/** Each live stream's health as IVS reports it (HEALTHY, STARVING, UNKNOWN), by channel ARN. */
export function streamHealth(streams: ReadonlyMap<string, LiveStream>): Record<string, string> {
  return Object.fromEntries([...streams].filter(([, s]) => s.health).map(([arn, s]) => [arn, s.health!]));
}

export type LifecycleDeps = Pick<ShowDeps, 'shows' | 'sales' | 'ivs' | 'now' | 'graceMs'>;

const HOUR = 3_600_000;
/** A show may go on air up to 2 hours early and is looked for up to 24 hours after its schedule. */
const EARLY_MS = 2 * HOUR;
const LATE_MS = 24 * HOUR;

/** Thrown inside an attempt when the store reports the show changed since it was read. */
class StaleShow extends Error {}

/** Opens the sale of a show that is LIVE, warning about products another live show sells. */
async function openLiveSale(deps: LifecycleDeps, show: Show): Promise<void> {
  for (const { productId, heldBy } of await openSale(deps, show)) {
    logger.warn('product on sale in another live show: left to it, not on sale in this one', { showId: show.showId, productId, heldBy });
  }
}

/**
 * Saves `next`, or abandons the attempt when another writer got there first. A show leaving LIVE
 * has its sale closed first (and again after the save, for a sale opened meanwhile); a show
 * going LIVE is saved first, then its sale opened (shows/sale.ts): a crash in between leaves
 * orders refused, never accepted for a show that is not LIVE.
 */
async function save(deps: LifecycleDeps, next: Show, before: Show): Promise<Show> {
  const leaving = before.status === 'LIVE' && next.status !== 'LIVE';
  if (leaving) await closeSale(deps, before);
  const saved = await deps.shows.save(next, before);
  if (saved === 'stale') {
    if (leaving) {
      // closed for nothing if the show stays LIVE: open it again (the retry closes it if it still ends)
      const fresh = await deps.shows.getShow(next.showId);
      if (fresh?.status === 'LIVE') await openSale(deps, fresh);
    }
    throw new StaleShow(`show ${next.showId} changed while it was being updated`);
  }
  if (leaving) await closeSale(deps, saved);
  else if (saved.status === 'LIVE' && before.status !== 'LIVE') await openLiveSale(deps, saved);
  return saved;
}

/** Re-reads and recomputes when another writer got there first (optimistic concurrency). */
async function withFreshShow<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleShow) || i >= 8) throw error;
    }
  }
}

/** Same show, as stored (an attribute set to undefined is an attribute that is not there). */
const sameShow = (a: Show, b: Show) => isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

async function saveIfChanged(deps: LifecycleDeps, before: Show, after: Show): Promise<Show> {
  return sameShow(before, after) ? before : save(deps, after, before);
}

export type SignalOutcome = 'applied' | 'duplicate' | 'stale' | 'no-show';

/**
 * An IVS stream fact for a channel: recorded on the show it belongs to (the one that already
 * knows the stream, else the channel's LIVE show if the stream continues it, else the channel's
 * due SCHEDULED show, which goes LIVE). Ending is left to the sweep.
 */
export async function onStreamSignal(deps: LifecycleDeps, channelId: string, signal: StreamSignal): Promise<{ outcome: SignalOutcome; showId?: string }> {
  return withFreshShow(async () => {
    const t = Date.parse(signal.time);
    const candidates = await deps.shows.onChannel(channelId, new Date(t - LATE_MS).toISOString(), new Date(t + EARLY_MS).toISOString());
    const owner =
      candidates.find((s) => s.streams[signal.streamId]) ??
      candidates.find((s) => s.status === 'LIVE' && belongsToShow(s, signal, deps.graceMs)) ??
      candidates
        .filter((s) => s.status === 'SCHEDULED')
        .sort((a, b) => Math.abs(Date.parse(a.scheduledStart) - t) - Math.abs(Date.parse(b.scheduledStart) - t))[0];
    if (!owner) return { outcome: 'no-show' };
    if (isFinal(owner)) return { outcome: 'stale', showId: owner.showId };
    const next = applySignal(owner, signal, deps.graceMs);
    if (sameShow(next, owner)) return { outcome: 'duplicate', showId: owner.showId };
    await save(deps, next, owner);
    return { outcome: 'applied', showId: owner.showId };
  });
}

async function* allListed(deps: LifecycleDeps, listing: 'LIVE' | 'UPCOMING'): AsyncGenerator<Show> {
  let cursor: string | undefined;
  do {
    const page = await deps.shows.listed(listing, 100, cursor);
    if (page === 'invalid-cursor') throw new Error('the show store refused its own cursor');
    yield* page.shows;
    cursor = page.cursor;
  } while (cursor);
}

/**
 * Every minute: ends LIVE shows whose grace period has passed, and reconciles them with IVS (one
 * paginated ListStreams for the whole province, whatever its size): a stream IVS reports live
 * but we never heard of is recorded; a channel found not broadcasting ends its show once that
 * has lasted the grace period. When IVS cannot answer (throttled), nothing is concluded about
 * which channels are offline, and shows still end on the stream facts already known. The
 * viewer counts for storefronts are refreshed from the same answer. Shows still SCHEDULED a day
 * after their start are cancelled. Each show still LIVE has its sale re-opened: written only
 * where a gate differs, so a crash between going LIVE and opening the sale heals within a minute.
 */
export async function sweepShows(deps: LifecycleDeps): Promise<{ ended: number; cancelled: number; channelsChecked: number; ivs: 'answered' | 'unknown' }> {
  const now = deps.now();
  const live: Show[] = [];
  for await (const show of allListed(deps, 'LIVE')) live.push(show);
  const streams = await deps.ivs.liveStreams();
  if (streams !== 'unknown') await deps.shows.putViewers(viewerCounts(streams), now, streamHealth(streams));

  let ended = 0;
  for (const listed of live) {
    const result = await withFreshShow(async () => {
      const show = (await deps.shows.getShow(listed.showId))!;
      if (isFinal(show)) return show;
      let observed = show;
      if (streams !== 'unknown') {
        const stream = streams.get(show.channelArn);
        const start: StreamSignal | undefined = stream && { kind: 'start', streamId: stream.streamId, time: stream.startTime };
        if (start && belongsToShow(show, start, deps.graceMs)) {
          const { offlineSince: _back, ...onAir } = recordSignal(show, start); // broadcasting again
          observed = onAir;
        } else {
          observed = observeOffline(show, now);
        }
      }
      return saveIfChanged(deps, show, deriveStatus(observed, now, deps.graceMs));
    });
    if (result.status === 'ENDED') ended++;
    // recovery: a crash between going LIVE and opening its sale, or a lost gate, heals here (reads only when nothing differs)
    if (result.status === 'LIVE') await openSale(deps, result);
  }

  let cancelled = 0;
  const cutoff = now.getTime() - LATE_MS;
  for await (const show of allListed(deps, 'UPCOMING')) {
    if (Date.parse(show.scheduledStart) >= cutoff) break; // listed by schedule: the rest are newer
    await withFreshShow(async () => {
      const fresh = (await deps.shows.getShow(show.showId))!;
      if (fresh.status !== 'SCHEDULED') return;
      await save(deps, { ...fresh, status: 'CANCELLED', endedAt: now.toISOString(), endedBy: 'reconciliation' }, fresh);
      cancelled++;
    });
  }
  const channelsChecked = streams === 'unknown' ? 0 : new Set(live.map((s) => s.channelArn)).size;
  const ivs = streams === 'unknown' ? 'unknown' : 'answered';
  if (ended || cancelled || ivs === 'unknown') logger.info('show sweep', { ended, cancelled, channelsChecked, ivs });
  return { ended, cancelled, channelsChecked, ivs };
}

const notFound = (showId: string) => new DomainError('NOT_FOUND', `show ${showId} does not exist`, 'showId');

/** The operator ends a show at once (a LIVE one also has its stream stopped). */
export async function endShow(deps: LifecycleDeps, operator: Operator, showId: string): Promise<Show> {
  return withFreshShow(async () => {
    const show = await deps.shows.getShow(showId);
    if (!show) throw notFound(showId);
    requireCounty(operator, show.countyId, () => notFound(showId));
    const next = endByOperator(show, deps.now());
    if (next === show) return show;
    if (show.status === 'LIVE') await deps.ivs.stopStream(show.channelArn);
    return save(deps, next, show);
  });
}

/** Puts a lineup product on every viewer's screen (IVS timed metadata) and records it. */
export async function spotlight(deps: LifecycleDeps, operator: Operator, showId: string, productId: string): Promise<Show> {
  const show = await deps.shows.getShow(showId);
  if (!show) throw notFound(showId);
  requireCounty(operator, show.countyId, () => notFound(showId));
  const spot = spotlightProduct(show, productId, deps.now());
  if (!(await deps.ivs.putMetadata(show.channelArn, spotlightMetadata(show, spot)))) {
    throw new DomainError('SHOW_NOT_BROADCASTING', `show ${showId}: channel ${show.channelId} is not broadcasting; start the encoder first`);
  }
  return withFreshShow(async () => {
    const fresh = (await deps.shows.getShow(showId))!;
    if (fresh.status !== 'LIVE') throw new DomainError('SHOW_NOT_LIVE', `show ${showId} is ${fresh.status}; the spotlight is for live shows`, 'showId');
    const seq = Math.max(spot.seq, (fresh.spotlight?.seq ?? 0) + 1);
    return save(deps, { ...fresh, spotlight: { ...spot, seq } }, fresh);
  });
}
