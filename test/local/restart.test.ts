/**
 * `npm start -- --data`: a province killed outright (kill -9) in the middle of a flash sale and
 * started again on the same data carries on. Every acknowledged order and payment is there, once;
 * every domain event is on the bus log (one per state change); the bus log of the first run
 * survives; the clock never goes backwards; deliveries the bus still owed are made, so the show
 * still settles by itself, to the fen. A second restart, once everything was read, republishes
 * nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, until } from '../../local/demo.js';
import { type ProvinceProcess, startProvinceProcess } from '../support/province-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'restart-data-'));
const stateDir = mkdtempSync(join(tmpdir(), 'restart-state-'));
const running: ProvinceProcess[] = [];

const start = async () => {
  const province = await startProvinceProcess(['--data', dataDir, '--clock-speed', '60'], 'restart', { stateDir });
  running.push(province);
  const credentials = JSON.parse(readFileSync(join(stateDir, 'credentials.json'), 'utf8'));
  return {
    url: province.url,
    province,
    asOperator: { authorization: `Bearer ${credentials.operators.chengbu}` },
    asStorefront: { 'x-api-key': credentials.storefront.apiKey as string },
  };
};

/** Kill -9, and wait until DynamoDB Local (killed by its watchdog) has let go of the data. */
const killOutright = async (province: ProvinceProcess) => {
  province.child.kill('SIGKILL');
  await until('DynamoDB Local to be gone', 20_000, async () => {
    try {
      execFileSync('pgrep', ['-f', dataDir]);
      return undefined;
    } catch {
      return true; // pgrep found none
    }
  });
};

/** Every table stream read at least twice since start, with nothing left for the relay. */
const caughtUp = async (url: string) =>
  until('the streams to catch up', 60_000, async () => {
    const { streams } = (await call(url, 'GET', '/_local/state')).body as { streams: Record<string, { reads: number; pending: number }> };
    return Object.values(streams).every((s) => s.reads >= 2 && s.pending === 0) ? true : undefined;
  });

const busLog = async (url: string) => {
  const events: { id: string; 'detail-type': string; detail: { eventId: string; orderId?: string; status?: string } }[] = [];
  // page from the oldest event on
  for (let after = ''; ; ) {
    const page = (await call(url, 'GET', `/_local/events?limit=1000&after=${after}`)).body;
    events.push(...page.events);
    if (!page.next) return events;
    after = page.next;
  }
};

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop();
});

describe('a province restarted on its data', () => {
  it('after kill -9 mid-flash-sale: every acknowledged order, payment (taken by WeChat Pay) and event exactly once; the show still settles', async () => {
    let province = await start();
    const catalog = JSON.parse(readFileSync(join(stateDir, 'province.json'), 'utf8')).catalog as { productId: string; countyId: string; priceFen: number }[];
    const lineup = catalog.filter((p) => p.countyId === 'chengbu').map((p) => ({ productId: p.productId, showPriceFen: p.priceFen }));
    const created = await call(province.url, 'POST', '/shows', { countyId: 'chengbu', channel: 'chengbu-main', title: 'Restart night', scheduledStart: new Date().toISOString(), lineup }, province.asOperator);
    expect(created.status).toBe(201);
    const showId: string = created.body.showId;
    await call(province.url, 'POST', '/_local/ivs/chengbu-main/live');
    await until('the show to go LIVE', 30_000, async () => ((await call(province.url, 'GET', `/shows/${showId}`, undefined, province.asStorefront)).body.status === 'LIVE' ? true : undefined));

    // the flash sale: buyers reserve and pay concurrently; the province is killed while they do
    const reserved = new Map<string, number>(); // orderId → totalFen, acknowledged 201
    const paid = new Set<string>(); // acknowledged 200
    let stopBuying = false;
    const buyer = async (b: number) => {
      for (let i = 0; !stopBuying; i++) {
        try {
          const item = lineup[(b + i) % lineup.length]!;
          const order = await call(province.url, 'POST', '/orders', { showId, buyerRef: `wx-${b}-${i}`, items: [{ productId: item.productId, quantity: 1 }] }, { ...province.asStorefront, 'Idempotency-Key': `restart-${b}-${i}` });
          if (order.status !== 201) continue;
          reserved.set(order.body.orderId, order.body.totalFen);
          // the buyer pays through WeChat Pay (the stand-in): acknowledged once WeChat Pay took the money
          const started = await call(province.url, 'POST', `/orders/${order.body.orderId}/payment`, { payerOpenId: `oBuyer${b}x${i}` }, province.asStorefront);
          if (started.status !== 200) continue;
          const pay = await call(province.url, 'POST', '/_local/wechatpay/pay', { orderId: order.body.orderId });
          if (pay.status === 200) paid.add(order.body.orderId);
        } catch {
          return; // the province is gone: what was not answered was not acknowledged
        }
      }
    };
    const buyers = Array.from({ length: 12 }, (_, b) => buyer(b));
    await until('40 paid orders', 60_000, async () => (paid.size >= 40 ? true : undefined));
    const lastSeen = Date.parse((await call(province.url, 'GET', '/_local/state')).body.now);
    await killOutright(province.province);
    stopBuying = true;
    await Promise.all(buyers);

    province = await start();
    const resumedAt = Date.parse((await call(province.url, 'GET', '/_local/state')).body.now);
    expect(resumedAt).toBeGreaterThanOrEqual(lastSeen); // the clock (60×) carried on

    // every acknowledged order is there; every payment WeChat Pay took makes its order PAID (the
    // stand-in on the same data sends again the notifications the province never answered)
    for (const [orderId, totalFen] of reserved) {
      const order = await call(province.url, 'GET', `/orders/${orderId}`, undefined, province.asStorefront);
      expect(order.status).toBe(200);
      expect(order.body.totalFen).toBe(totalFen);
    }
    for (const orderId of paid) {
      await until(`order ${orderId} to be PAID`, 60_000, async () => ((await call(province.url, 'GET', `/orders/${orderId}`, undefined, province.asStorefront)).body.status === 'PAID' ? true : undefined));
    }

    // every state change became one domain event, and the first run's events are still listed
    await caughtUp(province.url);
    // every payment WeChat Pay took has its Order Paid on the bus (the stream is read a moment after the order changed)
    const events = await until('an Order Paid for every payment taken', 30_000, async () => {
      const log = await busLog(province.url);
      const paidIds = new Set(log.filter((e) => e['detail-type'] === 'Order Paid').map((e) => e.detail.orderId));
      return [...paid].every((id) => paidIds.has(id)) ? log : undefined;
    });
    expect(events.some((e) => e['detail-type'] === 'Show Scheduled' && (e.detail as { showId?: string }).showId === showId)).toBe(true);
    const paidEvents = new Map<string, Set<string>>();
    for (const e of events.filter((e) => e['detail-type'] === 'Order Paid')) paidEvents.set(e.detail.orderId!, (paidEvents.get(e.detail.orderId!) ?? new Set()).add(e.detail.eventId));
    for (const orderId of paid) expect(paidEvents.get(orderId)?.size, `Order Paid for ${orderId}`).toBe(1);

    // the show ends and settles by itself; the settlement counts each paid order once
    await call(province.url, 'POST', '/_local/ivs/chengbu-main/offline');
    const settlement = await until('the settlement', 180_000, async () => {
      const res = await call(province.url, 'GET', `/shows/${showId}/settlement`, undefined, province.asOperator);
      return res.status === 200 && res.body.status === 'SETTLED' ? res.body : undefined;
    });
    // (orders whose payment WeChat Pay took before the kill but notified after the events were read may have become PAID since)
    await caughtUp(province.url);
    const paidNow = [...new Set((await busLog(province.url)).filter((e) => e['detail-type'] === 'Order Paid').map((e) => e.detail.orderId!))];
    for (const orderId of paidEvents.keys()) expect(paidNow).toContain(orderId);
    let paidFen = 0;
    for (const orderId of paidNow) paidFen += (await call(province.url, 'GET', `/orders/${orderId}`, undefined, province.asStorefront)).body.totalFen;
    expect(settlement.grossFen).toBe(paidFen);

    // a second restart, everything read: nothing is published again
    await caughtUp(province.url);
    const before = await busLog(province.url);
    await killOutright(province.province);
    province = await start();
    await caughtUp(province.url);
    const after = await busLog(province.url);
    expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
  }, 420_000);
});
