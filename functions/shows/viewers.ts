import type { Channel } from '../domain/channel.js';
import type { LifecycleDeps } from './lifecycle.js';

/** IVS GetStream allows 5 TPS per account: a channel's viewer count is refreshed at most this often. */
export const VIEWER_CACHE_MS = 10_000;

/**
 * Viewer counts per channel, cached in memory and in the shows table. Across every function
 * instance, only the holder of a 10-second lease calls GetStream; the others answer with the
 * stored count.
 */
export function viewerCounter(deps: Pick<LifecycleDeps, 'shows' | 'ivs' | 'now'>) {
  const memory = new Map<string, { viewerCount: number; at: number }>();
  return async (channel: Channel): Promise<number | null> => {
    const now = deps.now();
    const local = memory.get(channel.channelId);
    if (local && now.getTime() - local.at < VIEWER_CACHE_MS) return local.viewerCount;
    const stored = await deps.shows.cachedViewers(channel.channelId);
    const remember = (viewerCount: number, at: number) => {
      memory.set(channel.channelId, { viewerCount, at });
      return viewerCount;
    };
    if (stored?.fetchedAt && now.getTime() - Date.parse(stored.fetchedAt) < VIEWER_CACHE_MS) {
      return remember(stored.viewerCount, Date.parse(stored.fetchedAt));
    }
    if (!(await deps.shows.leaseViewers(channel.channelId, now, new Date(now.getTime() + VIEWER_CACHE_MS)))) {
      return stored ? stored.viewerCount : null; // someone else is refreshing it
    }
    const stream = await deps.ivs.getStream(channel.arn);
    const count = stream ? stream.viewerCount : 0;
    if (count < 0) return stored ? stored.viewerCount : null; // -1: IVS timed out; keep the last count
    await deps.shows.putViewers(channel.channelId, count, now);
    return remember(count, now.getTime());
  };
}
