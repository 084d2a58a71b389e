/**
 * The show lifecycle on DynamoDB Local with the real handlers and the IVS stand-in
 * (test/support/ivs.ts). The scenarios deliver the documented IVS events themselves, with the
 * stream ids and times of their own timeline, as EventBridge would.
 */
import { IvsClient, ListStreamsCommand, type StreamSummary } from '@aws-sdk/client-ivs';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as endShowHandler } from '../../functions/shows/end-show.js';
import { handler as onStreamEvent } from '../../functions/shows/on-stream-event.js';
import { showDeps } from '../../functions/shows/deps.js';
import { sweepShows } from '../../functions/shows/lifecycle.js';
import { showStore } from '../../functions/adapters/show-store.js';
import { logger } from '../../functions/shared/powertools.js';
import { loadProvince } from '../../province/config/index.js';
import { rules, tables } from '../../province/wiring.js';
import { matchesEventPattern } from '../../local/event-pattern.js';
import { testChannel, testChannelArnPrefix } from '../support/env.js';
import { product, scheduledShow, seller, useOwnTables } from '../support/fixtures.js';
import { invoke, lambdaContext } from '../support/http.js';
import { ivs } from '../support/ivs.js';
import { domainEvents, streamRecords } from '../support/streams.js';

const MIN = 60_000;
const CHANNEL_ID = 'chengbu-main';
const CHANNEL = testChannel(CHANNEL_ID);
const sample = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ivs-events', `stream-state-change-${name}.json`), 'utf8'));

/** A verbatim IVS sample, rewritten (resources[0], stream_id, time) to fit the scenario. */
function ivsEvent(name: 'stream-start' | 'stream-end' | 'stream-failure' | 'session-created' | 'session-ended', streamId: string, time: Date, channelArn = CHANNEL.arn) {
  const e = sample(name);
  return { ...e, resources: [channelArn], time: time.toISOString().replace('.000Z', 'Z'), detail: { ...e.detail, stream_id: streamId } };
}
const deliver = (event: object) => onStreamEvent(event, lambdaContext('on-stream-event'));
const graceMs = loadProvince('hunan').postShowGraceMinutes * MIN;
const sweepAt = (t: Date) => sweepShows({ ...showDeps(), now: () => t });

/**
 * The one mock left here: IVS listing a stream of the scenario's own timeline on the channel
 * (its id, and a start minutes away from now), an answer the stand-in, whose streams get their
 * own ids and start when they do, cannot give. Elsewhere the stand-in answers (an offline
 * channel is not in ListStreams).
 */
let reported: { restore(): void } | undefined;
function reportStream(stream: Omit<StreamSummary, 'channelArn'>) {
  const mock = mockClient(IvsClient);
  mock.on(ListStreamsCommand).resolves({ streams: [{ ...stream, channelArn: CHANNEL.arn }] });
  reported = mock;
}

async function scheduled(at: Date) {
  const { sellerId } = await seller();
  const p = await product(sellerId, 100);
  const res = await scheduledShow([{ productId: p.productId, showPriceFen: 1990 }], { channel: CHANNEL_ID });
  // reschedule to the scenario's time (the fixture schedules "now")
  const show = (await showStore.getShow(res.showId))!;
  await showStore.save({ ...show, scheduledStart: at.toISOString() }, show);
  return res.showId;
}

async function showEventsFor(showId: string) {
  const records = (await streamRecords(process.env[tables.shows.env]!)).filter((r) => r.dynamodb?.Keys?.pk?.S === `SHOW#${showId}`);
  return domainEvents(records);
}

beforeEach(useOwnTables);
afterEach(async () => {
  reported?.restore();
  reported = undefined;
  await ivs().reset();
});

describe('the IVS rule pattern (from the wiring) on the documented samples', () => {
  const province = loadProvince('hunan');
  const pattern = rules.find((r) => r.id === 'IvsStreamStateChange')!.pattern(province, {
    table: () => 'unused', bus: 'unused', channel: testChannel, ivsChannelArnPrefix: testChannelArnPrefix, paymentSecretArn: 'unused',
  });

  it.each(['stream-start', 'stream-end', 'stream-failure', 'session-created', 'session-ended'] as const)('matches %s on a province channel', (name) => {
    expect(matchesEventPattern(pattern, ivsEvent(name, 'st-x', new Date()))).toBe(true);
  });

  it('does not match other channels, other detail-types or other sources', () => {
    expect(matchesEventPattern(pattern, sample('stream-start'))).toBe(false); // the sample's own (foreign) channel
    // another account's channel (the rule takes the account's channels by ARN prefix; onStreamEvent ignores those not in the registry)
    expect(matchesEventPattern(pattern, ivsEvent('stream-start', 'st-x', new Date(), 'arn:aws:ivs:ap-northeast-1:999999999999:channel/other-county'))).toBe(false);
    expect(matchesEventPattern(pattern, { ...ivsEvent('stream-start', 'st-x', new Date()), 'detail-type': 'IVS Stream Health Change' })).toBe(false);
    expect(matchesEventPattern(pattern, { ...ivsEvent('stream-start', 'st-x', new Date()), 'detail-type': 'IVS Recording State Change' })).toBe(false);
    expect(matchesEventPattern(pattern, { ...ivsEvent('stream-start', 'st-x', new Date()), source: 'custom.ivs' })).toBe(false);
    expect(matchesEventPattern(pattern, { ...ivsEvent('stream-start', 'st-x', new Date()), 'detail-type': 'IVS Limit Breach', resources: [] })).toBe(false);
  });
});

describe('show lifecycle on DynamoDB Local', () => {
  it('Stream Start makes the due show LIVE; Session Created changes nothing', async () => {
    const t = new Date();
    const showId = await scheduled(new Date(t.getTime() + 10 * MIN));
    await expect(deliver(ivsEvent('session-created', 'st-a', t))).resolves.toMatchObject({ outcome: 'ignored' });
    await expect(deliver(ivsEvent('stream-start', 'st-a', t))).resolves.toMatchObject({ outcome: 'applied', showId });
    expect(await showStore.getShow(showId)).toMatchObject({ status: 'LIVE', streamIds: ['st-a'] });
    await expect(deliver(ivsEvent('stream-start', 'st-a', t))).resolves.toMatchObject({ outcome: 'duplicate', showId });
  });

  it('an encoder reconnecting within the grace period: still LIVE, one show, both streams', async () => {
    const t = new Date();
    const showId = await scheduled(t);
    const later = await scheduled(new Date(t.getTime() + 3 * 3_600_000)); // the next show on the channel, tonight
    await deliver(ivsEvent('stream-start', 'st-a', t));
    await deliver(ivsEvent('stream-end', 'st-a', new Date(t.getTime() + 20 * MIN)));
    await deliver(ivsEvent('stream-start', 'st-b', new Date(t.getTime() + 21 * MIN)));
    reportStream({ streamId: 'st-b', state: 'LIVE', startTime: new Date(t.getTime() + 21 * MIN), viewerCount: 7 });
    await sweepAt(new Date(t.getTime() + 30 * MIN));
    expect(await showStore.getShow(showId)).toMatchObject({ status: 'LIVE', streamIds: ['st-a', 'st-b'] });
    expect((await showStore.getShow(later))!.status).toBe('SCHEDULED');
    expect((await showEventsFor(showId)).map((e) => e.detailType)).toEqual(['Show Scheduled', 'Show Started']);
  });

  it('Stream End delivered 5 times (concurrently) → exactly one Show Ended, after the grace period', async () => {
    const t = new Date(Date.now() - 60 * MIN);
    const showId = await scheduled(t);
    await deliver(ivsEvent('stream-start', 'st-a', t));
    const endAt = new Date(t.getTime() + 30 * MIN);
    await Promise.all([0, 1, 2, 3, 4].map(() => deliver(ivsEvent('stream-end', 'st-a', endAt))));
    await deliver(ivsEvent('session-ended', 'st-a', new Date(endAt.getTime() - 1000))); // may come first, or later
    // the channel is offline in the stand-in: ListStreams does not list it
    await sweepAt(new Date(endAt.getTime() + graceMs - 1000));
    expect((await showStore.getShow(showId))!.status).toBe('LIVE');
    await Promise.all([sweepAt(new Date(endAt.getTime() + graceMs)), sweepAt(new Date(endAt.getTime() + graceMs + 1000))]);
    await deliver(ivsEvent('stream-end', 'st-a', endAt)); // a sixth, late
    const show = (await showStore.getShow(showId))!;
    expect(show).toMatchObject({ status: 'ENDED', endedAt: endAt.toISOString(), endedBy: 'stream', streamIds: ['st-a'] });
    const events = await showEventsFor(showId);
    expect(events.filter((e) => e.detailType === 'Show Ended')).toHaveLength(1);
    expect(events.find((e) => e.detailType === 'Show Ended')!.detail).toMatchObject({
      showId, countyId: 'chengbu', channelArn: CHANNEL.arn, startedAt: t.toISOString(), endedAt: endAt.toISOString(), streamIds: ['st-a'],
    });
  });

  it('a missing Stream End: the sweep finds the channel offline (one ListStreams per sweep) and ends the show after the grace period', async () => {
    const t = new Date(Date.now() - 60 * MIN);
    const showId = await scheduled(t);
    await deliver(ivsEvent('stream-start', 'st-a', t));
    // the channel is offline in the stand-in: ListStreams does not list it
    const firstSeen = new Date(t.getTime() + 40 * MIN);
    await sweepAt(firstSeen);
    expect(await showStore.getShow(showId)).toMatchObject({ status: 'LIVE', offlineSince: firstSeen.toISOString() });
    expect(ivs().calls('ListStreams')).toHaveLength(1);
    await sweepAt(new Date(firstSeen.getTime() + graceMs));
    expect(await showStore.getShow(showId)).toMatchObject({ status: 'ENDED', endedAt: firstSeen.toISOString(), endedBy: 'reconciliation' });
    expect(ivs().calls('ListStreams')).toHaveLength(2);
    expect(ivs().calls('ListStreams')[0]).toEqual({ maxResults: 100 });
  });

  it('a missed Stream Start is caught by the sweep when ListStreams reports the stream', async () => {
    const t = new Date(Date.now() - 10 * MIN);
    const showId = await scheduled(t);
    await deliver(ivsEvent('stream-start', 'st-a', t));
    await deliver(ivsEvent('stream-end', 'st-a', new Date(t.getTime() + 1 * MIN)));
    // st-b started 2 minutes later but its event never came
    reportStream({ streamId: 'st-b', state: 'LIVE', startTime: new Date(t.getTime() + 3 * MIN), viewerCount: 1 });
    await sweepAt(new Date(t.getTime() + 9 * MIN));
    expect(await showStore.getShow(showId)).toMatchObject({ status: 'LIVE', streamIds: ['st-a', 'st-b'] });
  });

  it('an event for an unknown channel is ignored and logged', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const verbatim = sample('stream-start');
    await expect(deliver(verbatim)).resolves.toEqual({ outcome: 'ignored' });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('ignored'), expect.objectContaining({ channelArn: verbatim.resources[0], known: false }));
    warn.mockRestore();
  });

  it('POST /shows/{id}/end ends a LIVE show at once and stops its stream; a SCHEDULED one is cancelled', async () => {
    const t = new Date();
    const live = await scheduled(t);
    await ivs().goLive(CHANNEL_ID); // the encoder connects: its Stream Start makes the show LIVE
    // EventBridge brings the Stream End that StopStream causes after the operator's end is saved
    const deliverStreamEnd = ivs().hold();
    const res = await invoke(endShowHandler, { method: 'POST', pathParameters: { showId: live } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ENDED', endedBy: 'operator' });
    expect(ivs().calls('StopStream')).toEqual([{ channelArn: CHANNEL.arn }]);
    await deliverStreamEnd();
    await deliver(ivsEvent('stream-start', 'st-a2', new Date(t.getTime() + 1000))); // the encoder reconnects
    expect((await showStore.getShow(live))!.status).toBe('ENDED');

    const never = await scheduled(new Date(t.getTime() + 5 * 3_600_000));
    const cancelled = await invoke(endShowHandler, { method: 'POST', pathParameters: { showId: never } });
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(ivs().calls('StopStream')).toHaveLength(1);
    expect((await invoke(endShowHandler, { method: 'POST', pathParameters: { showId: 'nope' } })).status).toBe(404);
  });
});
