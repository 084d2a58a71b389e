/**
 * The show sweep at province scale: one ListStreams per run whatever the number of live shows,
 * and a throttled IVS ("unknown") concludes nothing about channels being offline, while shows
 * whose end is already known still end.
 */
import { describe, expect, it } from 'vitest';
import { applySignal, scheduleShow, type Show } from '../../functions/domain/show.js';
import { sweepShows } from '../../functions/shows/lifecycle.js';
import type { Broadcasting, LiveStream, SaleGates, ShowStore } from '../../functions/shows/ports.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const GRACE = 5 * MIN;
const at = (ms: number) => new Date(T0 + ms);

/** The show store port, in memory: just what the sweep uses. */
function memoryShows(shows: Show[]) {
  const byId = new Map(shows.map((s) => [s.showId, s]));
  const viewerWrites: Record<string, number>[] = [];
  const store: Pick<ShowStore, 'listed' | 'getShow' | 'save' | 'putViewers'> = {
    async listed(listing) {
      return { shows: [...byId.values()].filter((s) => (listing === 'LIVE' ? s.status === 'LIVE' : s.status === 'SCHEDULED')) };
    },
    async getShow(showId) {
      return byId.get(showId);
    },
    async save(next, _before) {
      const stored = { ...next, version: next.version + 1 };
      byId.set(next.showId, stored);
      return stored;
    },
    async putViewers(counts) {
      viewerWrites.push(counts);
    },
  };
  return { store: store as ShowStore, byId, viewerWrites };
}

/** The sale gates port, doing nothing: these shows sell nothing (their lineups are empty). */
const sales: SaleGates = { heldBy: async () => new Map(), open: async () => ({ held: [], wrote: false }), close: async () => undefined };

function ivs(answers: (Map<string, LiveStream> | 'unknown')[]) {
  let calls = 0;
  const broadcasting: Broadcasting = {
    liveStreams: async () => answers[Math.min(calls++, answers.length - 1)]!,
    putMetadata: async () => true,
    stopStream: async () => undefined,
    getStreamKey: async () => 'sk',
  };
  return { broadcasting, calls: () => calls };
}

const liveShow = (n: number, end?: number): Show => {
  const show = scheduleShow({ showId: `show-${n}`, countyId: `county-${n}`, channelId: `ch-${n}`, channelArn: `arn:aws:ivs:ap-northeast-1:1:channel/ch-${n}`, title: 't', scheduledStart: at(0).toISOString(), lineup: [] }, at(-MIN));
  let s = applySignal(show, { kind: 'start', streamId: `st-${n}`, time: at(0).toISOString() }, GRACE);
  if (end !== undefined) s = applySignal(s, { kind: 'end', streamId: `st-${n}`, time: at(end).toISOString() }, GRACE);
  return s;
};
const streamOf = (n: number): [string, LiveStream] => [`arn:aws:ivs:ap-northeast-1:1:channel/ch-${n}`, { streamId: `st-${n}`, startTime: at(0).toISOString(), viewerCount: 10 * n }];

describe('the show sweep at province scale', () => {
  it('asks IVS once per run for every live channel, and refreshes the viewer snapshot from that answer', async () => {
    const shows = Array.from({ length: 40 }, (_, i) => liveShow(i));
    const { store, viewerWrites } = memoryShows(shows);
    const fake = ivs([new Map(shows.map((_, i) => streamOf(i)))]);
    const result = await sweepShows({ shows: store, sales, ivs: fake.broadcasting, now: () => at(30 * MIN), graceMs: GRACE });
    expect(fake.calls()).toBe(1);
    expect(result).toMatchObject({ ended: 0, ivs: 'answered', channelsChecked: 40 });
    expect(Object.keys(viewerWrites[0]!)).toHaveLength(40);
  });

  it('a throttled IVS is "unknown": no show is taken for offline, yet a show whose stream ended still ends after the grace period', async () => {
    const { store, byId, viewerWrites } = memoryShows([liveShow(1), liveShow(2, 10 * MIN)]);
    const fake = ivs(['unknown']);
    const result = await sweepShows({ shows: store, sales, ivs: fake.broadcasting, now: () => at(30 * MIN), graceMs: GRACE });
    expect(result.ivs).toBe('unknown');
    expect(byId.get('show-1')).toMatchObject({ status: 'LIVE' });
    expect(byId.get('show-1')!.offlineSince).toBeUndefined();
    expect(byId.get('show-2')).toMatchObject({ status: 'ENDED', endedAt: at(10 * MIN).toISOString(), endedBy: 'stream' });
    expect(viewerWrites).toHaveLength(0);
  });

  it('once IVS answers again, a channel it does not list is offline, and its show ends after the grace period', async () => {
    const { store, byId } = memoryShows([liveShow(1)]);
    const fake = ivs(['unknown', new Map(), new Map()]);
    const deps = (t: number) => ({ shows: store, sales, ivs: fake.broadcasting, now: () => at(t), graceMs: GRACE });
    await sweepShows(deps(30 * MIN));
    await sweepShows(deps(31 * MIN));
    expect(byId.get('show-1')).toMatchObject({ status: 'LIVE', offlineSince: at(31 * MIN).toISOString() });
    await sweepShows(deps(36 * MIN));
    expect(byId.get('show-1')).toMatchObject({ status: 'ENDED', endedBy: 'reconciliation' });
  });
});
