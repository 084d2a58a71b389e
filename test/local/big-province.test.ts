/**
 * A province as large as a real one runs offline: `npm start -- --counties 122` (366 channels in
 * the registry), and ten channels live at once — among them the last county's — all end and
 * settle, with the IVS stand-in holding ListStreams and GetStream to IVS's 5 calls a second.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, until } from '../../local/demo.js';
import { seedDemoCatalog } from '../../local/demo-data.js';
import { type ProvinceProcess, startProvinceProcess } from '../support/province-process.js';

let url: string;
let stateDir: string;
let startMs = 0;

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => call(url, method, path, body, headers);

let province: ProvinceProcess;

beforeAll(async () => {
  const started = performance.now();
  province = await startProvinceProcess(['--counties', '122', '--clock-speed', '120', '--no-seed'], 'big-province');
  ({ url, stateDir } = province);
  startMs = performance.now() - started;
}, 90_000);

afterAll(() => province?.stop());

describe('a province of 122 counties × 3 channels, offline', () => {
  it('starts with every channel in the registry, and ten shows live at once all end and settle', async () => {
    const state = (await api('GET', '/_local/state')).body;
    console.info(`big province: ready in ${Math.round(startMs)} ms, ${state.channels.length} channels, RSS ${state.memory.rssMb} MB`);
    expect(state.channels).toHaveLength(366);

    const credentials = JSON.parse(readFileSync(join(stateDir, 'credentials.json'), 'utf8'));
    const counties = ['county-122', ...Array.from({ length: 9 }, (_, i) => `county-${String(1 + i * 13).padStart(3, '0')}`)];
    const catalog = await seedDemoCatalog(url, counties, credentials.operators.admin);
    const asAdmin = { authorization: `Bearer ${credentials.operators.admin}` };
    const asStorefront = { 'x-api-key': credentials.storefront.apiKey };

    const shows = await Promise.all(counties.map(async (countyId) => {
      const channelId = `${countyId}-c`; // each county's third channel
      const product = catalog.find((p) => p.countyId === countyId)!;
      const created = await api('POST', '/shows', { countyId, channel: channelId, title: `${countyId} night market`, scheduledStart: new Date().toISOString(), lineup: [{ productId: product.productId, showPriceFen: 990 }] }, asAdmin);
      expect(created.status).toBe(201);
      return { countyId, channelId, productId: product.productId, showId: created.body.showId as string };
    }));
    for (const s of shows) expect((await api('POST', `/_local/ivs/${s.channelId}/live`)).status).toBe(200);
    await until('ten shows LIVE', 30_000, async () => {
      const statuses = await Promise.all(shows.map(async (s) => (await api('GET', `/shows/${s.showId}`, undefined, asStorefront)).body.status));
      return statuses.every((st) => st === 'LIVE') ? true : undefined;
    });
    expect((await api('GET', '/_local/state')).body.channels.filter((c: { live: boolean }) => c.live)).toHaveLength(10);

    for (const s of shows) {
      const order = await api('POST', '/orders', { showId: s.showId, buyerRef: `buyer-${s.countyId}`, items: [{ productId: s.productId, quantity: 2 }] }, { 'idempotency-key': randomUUID(), ...asStorefront });
      expect(order.status).toBe(201);
      // the buyer pays through WeChat Pay (the stand-in); the order is PAID on its notification
      expect((await api('POST', `/orders/${order.body.orderId}/payment`, { payerOpenId: `oBuyer-${s.countyId}` }, asStorefront)).status).toBe(200);
      expect((await api('POST', '/_local/wechatpay/pay', { orderId: order.body.orderId })).status).toBe(200);
      await until(`order of ${s.countyId} PAID`, 30_000, async () => ((await api('GET', `/orders/${order.body.orderId}`, undefined, asStorefront)).body.status === 'PAID' ? true : undefined));
    }
    for (const s of shows) await api('POST', `/_local/ivs/${s.channelId}/offline`);

    const settled = await until('ten settlements', 120_000, async () => {
      const all = await Promise.all(shows.map(async (s) => (await api('GET', `/shows/${s.showId}/settlement`, undefined, asAdmin)).body));
      return all.every((x) => x?.status === 'SETTLED') ? all : undefined;
    });
    for (const s of settled) expect(s).toMatchObject({ status: 'SETTLED', grossFen: 1980, orderCount: 1, sellerPayoutFen: 1584, operationsFen: 396 });
    expect(settled.find((s) => s.countyId === 'county-122')).toBeDefined();
    const after = (await api('GET', '/_local/state')).body;
    console.info(`big province: IVS calls refused for rate: ${JSON.stringify(after.ivsThrottled)}; dead letters: ${after.deadLetters.length}`);
    expect(after.deadLetters).toHaveLength(0);
    expect(after.iamRefused).toEqual([]); // every AWS call was one the template grants
  }, 240_000);
});
