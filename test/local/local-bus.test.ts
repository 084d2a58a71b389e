/** The local EventBridge through the real @aws-sdk/client-eventbridge. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventBridgePublisher } from '../../functions/adapters/event-bus.js';
import { type BusEnvelope, LocalEventBus, rateMs } from '../../local/event-bus.js';
import { ProvinceJournal } from '../../local/journal.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const received: BusEnvelope[] = [];
let failures = 0;
let server: Server;
let client: EventBridgeClient;
const bus = new LocalEventBus({
  clock: { speed: 1000, real: (ms) => ms / 1000 },
  region: 'ap-northeast-1',
  account: '000000000000',
  retryDelayMs: 1000,
  onError: () => undefined,
  rules: [
    { id: 'ShowEnded', bus: 'province-bus', pattern: { source: ['county-live.shows'], 'detail-type': ['Show Ended'] }, target: async (e) => void received.push(e) },
    {
      id: 'Flaky',
      bus: 'province-bus',
      pattern: { source: ['test.flaky'] },
      target: async () => {
        failures++;
        throw new Error('target down');
      },
    },
  ],
  schedules: [{ id: 'Tick', expression: 'rate(1 minute)', target: async (e) => void received.push(e) }],
});

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    await bus.handleHttp(req, res, body, { default: 'default', 'province-bus': 'province-bus' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = new EventBridgeClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
});
afterAll(async () => {
  await bus.stop();
  server.close();
});

describe('local event bus', () => {
  it('a delayed rule receives as its queue does: a delivery not finished comes back after the visibility timeout, up to its most receives, then is dead-lettered', async () => {
    const receives: Record<string, number[]> = {};
    const queued = new LocalEventBus({
      clock: { speed: 1000, real: (ms) => ms / 1000 },
      region: 'ap-northeast-1',
      account: '000000000000',
      onError: () => undefined,
      rules: [{
        id: 'Expiry', bus: 'province-bus', delayMs: 10_000, queue: { visibilityMs: 60_000, maxReceives: 4 }, pattern: { 'detail-type': ['Order Reserved'] },
        target: async (event) => {
          const id = String((event.detail as { orderId: string }).orderId);
          (receives[id] ??= []).push(performance.now());
          // 'later' is finished on its third receive; 'never' never is
          if (id === 'never' || receives[id]!.length < 3) throw new Error('not due yet');
        },
      }],
      schedules: [],
    });
    for (const orderId of ['later', 'never']) queued.put('province-bus', queued.envelope({ source: 'county-live.orders', 'detail-type': 'Order Reserved', detail: { orderId } }));
    await vi.waitFor(() => expect(queued.deadLetters).toHaveLength(1), { timeout: 5_000, interval: 20 });
    expect(receives.later).toHaveLength(3);
    expect(receives.never).toHaveLength(4);
    expect(queued.deadLetters[0]!.event.detail).toEqual({ orderId: 'never' });
    // each receive came a visibility timeout (60 s of province time: 60 ms here) after the one before
    for (const times of [receives.later!, receives.never!]) for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(55);
    await queued.stop();
  });

  it("a delayed rule (a delay queue in the cloud) hands each event over only after its delay, on the province's clock; stopping drops what is still held", async () => {
    const got: { at: number; event: BusEnvelope }[] = [];
    const delayed = new LocalEventBus({
      clock: { speed: 100, real: (ms) => ms / 100 },
      region: 'ap-northeast-1',
      account: '000000000000',
      onError: () => undefined,
      rules: [{ id: 'Expiry', bus: 'province-bus', delayMs: 30_000, pattern: { 'detail-type': ['Order Reserved'] }, target: async (event) => void got.push({ at: performance.now(), event }) }],
      schedules: [],
    });
    const put = performance.now();
    delayed.put('province-bus', delayed.envelope({ source: 'county-live.orders', 'detail-type': 'Order Reserved', detail: { orderId: 'o1' } }));
    expect(delayed.held).toBe(1);
    await vi.waitFor(() => expect(got).toHaveLength(1), { timeout: 5_000, interval: 20 });
    // 30 s of province time at 100×: 300 ms of real time, not at once
    expect(got[0]!.at - put).toBeGreaterThanOrEqual(290);
    expect(got[0]!.event.detail).toEqual({ orderId: 'o1' });
    // held when the bus stops: never delivered by this bus (a restart on --data delivers it from the journal)
    delayed.put('province-bus', delayed.envelope({ source: 'county-live.orders', 'detail-type': 'Order Reserved', detail: { orderId: 'o2' } }));
    expect(delayed.held).toBe(1);
    await delayed.stop();
    expect(delayed.held).toBe(0);
    expect(got.map((g) => g.event.detail)).toEqual([{ orderId: 'o1' }]);
  });

  it('speaks PutEvents: matching rules get the documented envelope', async () => {
    const out = await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: 'province-bus', Source: 'county-live.shows', DetailType: 'Show Ended', Detail: JSON.stringify({ showId: 's1' }), Time: new Date('2026-12-01T12:00:00Z') }],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries![0]!.EventId).toEqual(expect.any(String));
    await bus.idle();
    expect(received.at(-1)).toEqual({
      version: '0', id: out.Entries![0]!.EventId, 'detail-type': 'Show Ended', source: 'county-live.shows', account: '000000000000',
      time: '2026-12-01T12:00:00Z', region: 'ap-northeast-1', resources: [], detail: { showId: 's1' },
    });
  });

  it('reports failed entries in a 200 answer (FailedEntryCount), which the publisher adapter catches', async () => {
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'province-bus', Source: 'a', DetailType: 'b', Detail: '{}' },
          { EventBusName: 'no-such-bus', Source: 'a', DetailType: 'b', Detail: '{}' },
          { EventBusName: 'province-bus', Source: 'a', DetailType: 'b', Detail: 'not json' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries!.map((e) => e.ErrorCode)).toEqual([undefined, 'ResourceNotFoundException', 'MalformedDetail']);

    process.env.EVENT_BUS_NAME = 'no-such-bus';
    const failed = await eventBridgePublisher(client).publish([{ source: 'a', detailType: 'b', time: new Date().toISOString(), detail: {} }]);
    expect(failed).toEqual([0]);
  });

  it('retries a failing target twice, then writes a dead letter', async () => {
    await client.send(new PutEventsCommand({ Entries: [{ EventBusName: 'province-bus', Source: 'test.flaky', DetailType: 'x', Detail: '{}' }] }));
    await bus.idle();
    expect(failures).toBe(3);
    expect(bus.deadLetters).toEqual([expect.objectContaining({ rule: 'Flaky', error: 'target down' })]);
  });

  it('runs rate schedules on the sped-up clock', async () => {
    expect(rateMs('rate(1 minute)')).toBe(60_000);
    expect(rateMs('rate(2 hours)')).toBe(7_200_000);
    expect(() => rateMs('cron(0 12 * * ? *)')).toThrow(/rate\(\)/);
    const before = received.filter((e) => e['detail-type'] === 'Scheduled Event').length;
    // the bus's schedule timers run on a test clock: 400 ms of it pass at once, deterministically
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      bus.start(); // 1 minute at 1000× = 60 ms
      await vi.advanceTimersByTimeAsync(400);
      await bus.idle();
    } finally {
      vi.useRealTimers();
    }
    expect(received.filter((e) => e['detail-type'] === 'Scheduled Event').length - before).toBeGreaterThanOrEqual(3);
  });
});

describe('the local bus on a journal (npm start -- --data)', () => {
  it('a restarted bus lists the earlier events and makes the deliveries it still owed, once', async () => {
    const journal = new ProvinceJournal(mkdtempSync(join(tmpdir(), 'bus-journal-')));
    const delivered: string[] = [];
    const busOn = () =>
      new LocalEventBus({
        clock: { speed: 1000, real: (ms) => ms / 1000 },
        region: 'ap-northeast-1',
        account: '000000000000',
        onError: () => undefined,
        journal,
        rules: [
          { id: 'A', bus: 'b', pattern: { source: ['s'] }, target: async (e) => void delivered.push(`A ${e.id}`) },
          { id: 'B', bus: 'b', pattern: { source: ['s'], 'detail-type': ['owed'] }, target: async (e) => void delivered.push(`B ${e.id}`) },
        ],
        schedules: [],
      });
    const first = busOn();
    first.start();
    const done = first.envelope({ source: 's', 'detail-type': 'done', detail: {} });
    first.put('b', done);
    await first.idle();
    await first.stop();
    // the next event was put, and the process was killed before its deliveries ran: the journal has the put only
    const owed = first.envelope({ source: 's', 'detail-type': 'owed', detail: {} });
    journal.appendBus({ put: 'b', event: owed });
    // and one whose delivery to A was done, to B not yet
    const half = first.envelope({ source: 's', 'detail-type': 'owed', detail: {} });
    journal.appendBus({ put: 'b', event: half });
    journal.appendBus({ done: half.id, rule: 'A' });
    delivered.length = 0;

    const second = busOn();
    second.start();
    await second.idle();
    expect(second.recent.map((r) => r.event.id)).toEqual([done.id, owed.id, half.id]);
    expect(delivered.sort()).toEqual([`A ${owed.id}`, `B ${half.id}`, `B ${owed.id}`].sort());
    await second.stop();

    // a third start owes nothing
    delivered.length = 0;
    const third = busOn();
    third.start();
    await third.idle();
    expect(delivered).toEqual([]);
    await third.stop();
  });
});
