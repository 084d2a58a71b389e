import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { showEventForChange } from '../../functions/contracts/events.js';
import {
  applySignal,
  endByOperator,
  deriveStatus,
  observeOffline,
  scheduleShow,
  type Show,
  signalKind,
  spotlightMetadata,
  spotlightProduct,
  type StreamSignal,
} from '../../functions/domain/show.js';

const MIN = 60_000;
const GRACE = 5 * MIN;
const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);
const iso = (ms: number) => at(ms).toISOString();

const base = (): Show =>
  scheduleShow(
    {
      showId: 'show-1', countyId: 'chengbu', channelId: 'chengbu-main', channelArn: 'arn:aws:ivs:ap-northeast-1:1:channel/c',
      title: 'Night market', scheduledStart: iso(0), lineup: [{ productId: 'orange', showPriceFen: 2990 }],
    },
    at(-60 * MIN),
  );

const fold = (signals: StreamSignal[], now: number) => signals.reduce((s, sig) => applySignal(s, sig, GRACE), base());
const start = (streamId: string, ms: number): StreamSignal => ({ kind: 'start', streamId, time: iso(ms) });
const end = (streamId: string, ms: number): StreamSignal => ({ kind: 'end', streamId, time: iso(ms) });

describe('show state machine (pure)', () => {
  it('maps IVS event names', () => {
    expect(['Stream Start', 'Stream Takeover', 'Stream End', 'Stream Failure', 'Session Ended', 'Session Created'].map(signalKind)).toEqual([
      'start', 'start', 'end', 'end', 'end', undefined,
    ]);
  });

  it('Stream Start makes the show LIVE; Stream End starts the grace period; after it the sweep ends it', () => {
    const live = fold([start('st-a', 0)], 0);
    expect(live).toMatchObject({ status: 'LIVE', startedAt: iso(0), streamIds: ['st-a'] });
    const stopping = applySignal(live, end('st-a', 30 * MIN), GRACE);
    expect(stopping).toMatchObject({ status: 'LIVE', broadcastEndedAt: iso(30 * MIN) });
    expect(deriveStatus(stopping, at(34 * MIN), GRACE).status).toBe('LIVE');
    expect(deriveStatus(stopping, at(35 * MIN), GRACE)).toMatchObject({ status: 'ENDED', endedAt: iso(30 * MIN), endedBy: 'stream' });
  });

  it('a reconnect within the grace period keeps the show LIVE as one show with both streams', () => {
    const show = fold([start('st-a', 0), end('st-a', 10 * MIN), start('st-b', 11 * MIN)], 11 * MIN);
    const swept = deriveStatus(show, at(20 * MIN), GRACE);
    expect(swept).toMatchObject({ status: 'LIVE', streamIds: ['st-a', 'st-b'] });
    expect(swept.broadcastEndedAt).toBeUndefined();
  });

  it('a stream starting after the grace period belongs to a later show', () => {
    const show = fold([start('st-a', 0), end('st-a', 10 * MIN), start('st-b', 16 * MIN)], 16 * MIN);
    expect(deriveStatus(show, at(16 * MIN), GRACE)).toMatchObject({ status: 'ENDED', endedAt: iso(10 * MIN), streamIds: ['st-a'] });
  });

  it('Session Ended before Stream End, duplicates and stale old-stream events change nothing', () => {
    const inOrder = fold([start('st-a', 0), end('st-a', 10 * MIN), start('st-b', 12 * MIN), end('st-b', 40 * MIN)], 41 * MIN);
    const messy = fold(
      [end('st-b', 40 * MIN), start('st-b', 12 * MIN), end('st-b', 39 * MIN) /* Session Ended first */, start('st-a', 0), start('st-a', 0), end('st-a', 10 * MIN), start('st-a', 0)],
      41 * MIN,
    );
    expect(messy.streams).toEqual(inOrder.streams);
    expect(deriveStatus(messy, at(50 * MIN), GRACE)).toEqual(deriveStatus(inOrder, at(50 * MIN), GRACE));
  });

  it('a missing Stream End: the channel found offline for the grace period ends the show', () => {
    const live = fold([start('st-a', 0)], 0);
    const seen = observeOffline(live, at(30 * MIN));
    expect(deriveStatus(seen, at(34 * MIN), GRACE).status).toBe('LIVE');
    expect(deriveStatus(seen, at(35 * MIN), GRACE)).toMatchObject({ status: 'ENDED', endedAt: iso(30 * MIN), endedBy: 'reconciliation' });
    // but a new stream seen after the offline observation clears it
    const back = applySignal(seen, start('st-b', 31 * MIN), GRACE);
    expect(back.offlineSince).toBeUndefined();
    expect(deriveStatus(back, at(60 * MIN), GRACE).status).toBe('LIVE');
  });

  it('final statuses stay final; the operator ends LIVE shows and cancels ones that never started', () => {
    const ended = endByOperator(fold([start('st-a', 0)], 0), at(5 * MIN));
    expect(ended).toMatchObject({ status: 'ENDED', endedAt: iso(5 * MIN), endedBy: 'operator' });
    expect(applySignal(ended, start('st-z', 6 * MIN), GRACE)).toBe(ended);
    expect(endByOperator(base(), at(0))).toMatchObject({ status: 'CANCELLED', endedBy: 'operator' });
  });

  it('spotlight: only while LIVE, only lineup products, a small versioned payload', () => {
    const live = fold([start('st-a', 0)], 0);
    const spot = spotlightProduct(live, 'orange', at(1 * MIN));
    expect(spot).toMatchObject({ productId: 'orange', showPriceFen: 2990, seq: 1 });
    const payload = spotlightMetadata(live, spot);
    expect(JSON.parse(payload)).toEqual({ v: 1, type: 'spotlight', showId: 'show-1', productId: 'orange', showPriceFen: 2990, seq: 1 });
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(1000);
    expect(() => spotlightProduct(live, 'pork', at(0))).toThrow(expect.objectContaining({ code: 'NOT_IN_LINEUP' }));
    expect(() => spotlightProduct(base(), 'orange', at(0))).toThrow(expect.objectContaining({ code: 'SHOW_NOT_LIVE' }));
  });
});

/** A broadcast: streams one after another, with gaps some of which exceed the grace period. */
const broadcast = fc
  .array(fc.record({ gapMin: fc.integer({ min: 0, max: 12 }), durationMin: fc.integer({ min: 0, max: 30 }), sessionEndedFirst: fc.boolean() }), {
    minLength: 1,
    maxLength: 5,
  })
  .map((streams) => {
    let t = 0;
    const signals: StreamSignal[] = [];
    streams.forEach((s, i) => {
      const id = `st-${String(i).padStart(3, '0')}`;
      t += s.gapMin * MIN;
      signals.push(start(id, t));
      t += s.durationMin * MIN;
      signals.push(end(id, t)); // Stream End (or Failure)
      signals.push(end(id, s.sessionEndedFirst ? t - 1000 : t)); // Session Ended, possibly stamped earlier
    });
    return { signals, last: t };
  });

/** Expected end of the show: the first run of streams whose gaps are within the grace period. */
function expectedEnd(signals: StreamSignal[]): number {
  const starts = signals.filter((s) => s.kind === 'start').map((s) => Date.parse(s.time) - T0);
  const ends = new Map<string, number>();
  for (const s of signals.filter((x) => x.kind === 'end')) ends.set(s.streamId, Math.max(ends.get(s.streamId) ?? -Infinity, Date.parse(s.time) - T0));
  const ids = [...new Set(signals.map((s) => s.streamId))].sort();
  let endMs = ends.get(ids[0]!)!;
  for (let i = 1; i < ids.length; i++) {
    if (starts[i]! > endMs + GRACE) break;
    endMs = Math.max(endMs, ends.get(ids[i]!)!);
  }
  return endMs;
}

describe('show state machine over generated IVS event sequences (fast-check)', () => {
  it('any permutation or duplication of the same events yields the same final state', () => {
    fc.assert(
      fc.property(
        broadcast.chain(({ signals, last }) =>
          fc.record({
            signals: fc.constant(signals),
            last: fc.constant(last),
            delivered: fc.shuffledSubarray([...signals, ...signals, ...signals], { minLength: signals.length * 3, maxLength: signals.length * 3 }),
            duplicates: fc.array(fc.constantFrom(...signals), { maxLength: 10 }),
          }),
        ),
        ({ signals, last, delivered, duplicates }) => {
          const sweepAt = last + 60 * MIN;
          const reference = deriveStatus(fold(signals, 0), at(sweepAt), GRACE);
          const shuffled = deriveStatus(fold([...delivered, ...duplicates], 0), at(sweepAt), GRACE);
          expect(shuffled).toEqual(reference);
          expect(reference.status).toBe('ENDED');
          expect(reference.endedAt).toBe(iso(expectedEnd(signals)));
          expect(reference.startedAt).toBe(iso(Date.parse(signals[0]!.time) - T0));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('with sweeps at any moments in between, a show ends at most once and never comes back', () => {
    fc.assert(
      fc.property(
        broadcast.chain(({ signals, last }) =>
          fc.record({
            last: fc.constant(last),
            steps: fc.shuffledSubarray(
              [...signals.map((s) => ({ signal: s })), ...signals.map((s) => ({ signal: s }))],
              { minLength: signals.length * 2, maxLength: signals.length * 2 },
            ),
            sweeps: fc.array(fc.integer({ min: 0, max: last + 30 * MIN }), { maxLength: 8 }),
          }),
        ),
        ({ last, steps, sweeps }) => {
          let show = base();
          const transitions: string[] = [];
          const commit = (next: Show) => {
            const e = showEventForChange(show, next);
            if (e) transitions.push(e.detailType);
            show = next;
          };
          const sweepTimes = [...sweeps].sort((a, b) => a - b);
          steps.forEach((step, i) => {
            commit(applySignal(show, step.signal, GRACE));
            if (sweepTimes[i] !== undefined) commit(deriveStatus(show, at(sweepTimes[i]!), GRACE));
          });
          commit(deriveStatus(show, at(last + 60 * MIN), GRACE));
          expect(transitions.filter((t) => t === 'Show Ended').length).toBe(1);
          expect(transitions.filter((t) => t === 'Show Started').length).toBe(1);
          expect(transitions.indexOf('Show Started')).toBeLessThan(transitions.indexOf('Show Ended'));
          expect(show.status).toBe('ENDED');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
