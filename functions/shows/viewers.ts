import type { Channel } from '../domain/channel.js';
import { streamHealth, viewerCounts, type LifecycleDeps } from './lifecycle.js';

/** The province's viewer counts are refreshed from IVS at most this often (ListStreams: 5 TPS per account). */
export const VIEWER_CACHE_MS = 10_000;

/**
 * Viewer counts for storefronts, from one snapshot of the whole province kept in the shows
 * table and in memory. Across every function instance, only the holder of a 10-second lease
 * calls ListStreams (the sweep refreshes the snapshot too); the others answer from the snapshot.
 */
export function viewerCounter(deps: Pick<LifecycleDeps, 'shows' | 'ivs' | 'now'>) {
  let memory: { counts: Record<string, number>; at: number } | undefined;
  const countOf = (counts: Record<string, number>, channel: Channel) => counts[channel.arn] ?? 0;

  return async (channel: Channel): Promise<number | null> => {
    const now = deps.now();
    if (memory && now.getTime() - memory.at < VIEWER_CACHE_MS) return countOf(memory.counts, channel);
    const stored = await deps.shows.viewerSnapshot();
    if (stored && now.getTime() - Date.parse(stored.fetchedAt) < VIEWER_CACHE_MS) {
      memory = { counts: stored.counts, at: Date.parse(stored.fetchedAt) };
      return countOf(stored.counts, channel);
    }
    if (!(await deps.shows.leaseViewers(now, new Date(now.getTime() + VIEWER_CACHE_MS)))) {
      return stored ? countOf(stored.counts, channel) : null; // another instance is refreshing it
    }
    const streams = await deps.ivs.liveStreams();
    if (streams === 'unknown') return stored ? countOf(stored.counts, channel) : null; // IVS busy: keep the last counts
    const counts = viewerCounts(streams);
    await deps.shows.putViewers(counts, now, streamHealth(streams));
    memory = { counts, at: now.getTime() };
    return countOf(counts, channel);
  };
}
