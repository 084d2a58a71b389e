/**
 * What each documented IVS event establishes, property-tested on the documented samples: a
 * session IVS refused (Session Created, then Session Ended with a failure code such as
 * MultitrackInputNotAllowed, for a stream that never starts) ends nothing, in any order and
 * however often it is delivered; Stream Takeover starts a stream and Stream Failure ends one.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IvsStreamStateChange } from '../../functions/contracts/ivs-events.js';
import { applySignal, deriveStatus, scheduleShow, type Show, signalKind, type StreamSignal } from '../../functions/domain/show.js';

const MIN = 60_000;
const GRACE = 5 * MIN;
const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();
const sample = (name: string) => IvsStreamStateChange.parse(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ivs-events', `stream-state-change-${name}.json`), 'utf8')));

/** The signal a documented sample gives, for a stream and a time of ours (as onStreamEvent maps it). */
function signalOf(name: string, streamId: string, ms: number, eventName?: string): StreamSignal | undefined {
  const event = sample(name);
  const kind = signalKind(eventName ?? event.detail.event_name);
  return kind && { kind, streamId, time: iso(ms) };
}

const base = (): Show =>
  scheduleShow({ showId: 's', countyId: 'chengbu', channelId: 'c', channelArn: 'arn:aws:ivs:ap-northeast-1:1:channel/c', title: 't', scheduledStart: iso(0), lineup: [] }, new Date(T0 - MIN));
const fold = (signals: (StreamSignal | undefined)[]) => signals.filter((s): s is StreamSignal => !!s).reduce((show, sig) => applySignal(show, sig, GRACE), base());

describe('IVS facts', () => {
  it('the documented Session Ended of a refused second session carries a failure code and, for a stream never started, ends nothing', () => {
    expect(sample('session-ended').detail).toMatchObject({ event_name: 'Session Ended', code: 'MultitrackInputNotAllowed' });
    expect(signalKind(sample('session-created').detail.event_name)).toBeUndefined();
    const live = fold([signalOf('stream-start', 'st-B', 0)]);
    const refused = fold([signalOf('stream-start', 'st-B', 0), signalOf('session-created', 'st-S', 10 * MIN), signalOf('session-ended', 'st-S', 10 * MIN + 500)]);
    const later = 60 * MIN;
    expect(deriveStatus(refused, new Date(T0 + later), GRACE)).toMatchObject({ status: 'LIVE', streamIds: ['st-B'] });
    expect(deriveStatus(refused, new Date(T0 + later), GRACE).broadcastEndedAt).toBeUndefined();
    expect(deriveStatus(live, new Date(T0 + later), GRACE).status).toBe('LIVE');
  });

  it('any order and any duplication of the same events, refused sessions among them, gives the same show as without them', () => {
    const scenario = fc.record({
      refused: fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 4 }), // minutes at which a second encoder is refused
      takeoverAt: fc.option(fc.integer({ min: 30, max: 90 }), { nil: undefined }), // a takeover by a new stream
      failureAt: fc.integer({ min: 100, max: 140 }), // the broadcast fails for good
      duplicates: fc.array(fc.nat(), { maxLength: 6 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(scenario, ({ refused, takeoverAt, failureAt, duplicates, seed }) => {
        const last = takeoverAt === undefined ? 'st-B' : 'st-T';
        const real = [
          signalOf('stream-start', 'st-B', 0),
          ...(takeoverAt === undefined ? [] : [signalOf('stream-start', 'st-T', takeoverAt * MIN, 'Stream Takeover')]),
          signalOf('stream-failure', last, failureAt * MIN),
        ];
        const noise = refused.flatMap((m, i) => [signalOf('session-created', `st-S${i}`, m * MIN), signalOf('session-ended', `st-S${i}`, m * MIN + 1000)]);
        const delivered = [...real, ...noise, ...duplicates.map((d) => [...real, ...noise][d % (real.length + noise.length)])];
        // a deterministic shuffle from the seed
        let x = seed >>> 0;
        const shuffled = delivered.map((s) => ({ s, k: (x = (x * 1103515245 + 12345) >>> 0) })).sort((a, b) => a.k - b.k).map(({ s }) => s);
        const now = new Date(T0 + (failureAt + 30) * MIN);
        const reference = deriveStatus(fold(real), now, GRACE);
        const result = deriveStatus(fold(shuffled), now, GRACE);
        expect(result.status).toBe('ENDED');
        expect({ status: result.status, startedAt: result.startedAt, endedAt: result.endedAt, streamIds: result.streamIds }).toEqual({
          status: reference.status, startedAt: reference.startedAt, endedAt: reference.endedAt, streamIds: reference.streamIds,
        });
        expect(result.endedAt).toBe(iso(failureAt * MIN));
      }),
      { numRuns: 300 },
    );
  });
});
