/**
 * A whole night in the console, in Debian's Chromium against a real `npm start` whose clock runs
 * 30× (so the payment window closes in about a minute): an operator schedules a show, the encoder
 * goes live (`npm run ivs`), the operator spotlights two products in turn (the IVS stand-in got
 * both, in order), storefront orders arrive through the API meanwhile (some paid through WeChat Pay,
 * some cancelled), the control room's figures match the API's and the orders placed, a product
 * sells out and says so, the operator ends the show, and once settled the settlement page's totals
 * equal the settlement API's and its CSV downloads.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, until } from '../../local/demo.js';
import { launchChromium } from '../support/browser.js';
import { type ProvinceProcess, startProvinceProcess } from '../support/province-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results');
let province: ProvinceProcess;
let browser: Browser;
let storefront: { 'x-api-key': string };

beforeAll(async () => {
  province = await startProvinceProcess(['--no-seed', '--clock-speed', '30'], 'night');
  storefront = { 'x-api-key': JSON.parse(readFileSync(join(province.stateDir, 'credentials.json'), 'utf8')).storefront.apiKey };
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await province?.stop();
});

/**
 * A fresh operator ID token through the local identity provider's code flow (the province's clock
 * runs 30×, so tokens from credentials.json expire within two minutes).
 */
async function operatorToken(who: string): Promise<string> {
  const issuer = `${province.url}/_local/cognito`;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect = `${province.url}/console/callback`;
  const params = { response_type: 'code', client_id: 'local-operators', redirect_uri: redirect, state: 's', scope: 'openid email', code_challenge: challenge, code_challenge_method: 'S256', nonce: 'n', who };
  const picked = await fetch(`${issuer}/oauth2/authorize`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString(), redirect: 'manual' });
  const code = new URL(picked.headers.get('location')!).searchParams.get('code')!;
  const token = await fetch(`${issuer}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, client_id: 'local-operators', code_verifier: verifier }).toString() });
  return ((await token.json()) as { id_token: string }).id_token;
}
const asOperator = async () => ({ authorization: `Bearer ${await operatorToken('chengbu')}` });

/** The console signs in again when its token expires (30× clock): pick the operator again if asked. */
async function signedIn(page: Page) {
  if (/\/_local\/cognito\/oauth2\/authorize/.test(page.url())) {
    await page.getByTestId('signin-chengbu').click();
    await page.waitForURL((u) => u.pathname.startsWith('/console/') && !u.pathname.startsWith('/console/callback'));
  }
}
const text = async (page: Page, testId: string) => {
  await signedIn(page);
  const el = page.getByTestId(testId);
  return (await el.count()) ? el.innerText() : '';
};
const yuan = (fen: number) => `¥${Math.trunc(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;

describe('a whole night in the console', () => {
  it('schedule, go live, spotlight, orders, live figures, sell out, end, settle, CSV', async () => {
    // the county's catalog (the console's catalog pages are tested elsewhere): a farmer with a WeChat payee, two products
    const op = await asOperator();
    const seller = await call(province.url, 'POST', '/sellers', { countyId: 'chengbu', name: '夜场测试农户', kind: 'farmer', household: { registeredPoor: true }, payee: { kind: 'wechat', openid: `oNight${randomUUID().slice(0, 10)}`, realName: '夜场' } }, op);
    expect(seller.status).toBe(201);
    const product = async (name: string, stock: number) => (await call(province.url, 'POST', '/products', { sellerId: seller.body.sellerId, name, unit: '箱', priceFen: 3990, stock }, op)).body.productId as string;
    const [oranges, bacon] = [await product('夜场脐橙', 500), await product('夜场腊肉', 3)];

    // 1. the operator schedules the show in the console, starting now (China time)
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${province.url}/console/`);
    await page.waitForURL(/\/_local\/cognito\/oauth2\/authorize/);
    await signedIn(page);
    await page.getByTestId('show-new').click();
    await page.getByTestId('show-title').fill('县长夜场直播');
    await page.getByTestId('show-channel').selectOption('chengbu-main');
    await page.getByTestId('show-start').fill(new Date(Date.now() + 8 * 3600_000 + 60_000).toISOString().slice(0, 16));
    for (const id of [oranges, bacon]) {
      await page.getByTestId(`lineup-add-${id}`).click();
      await page.getByTestId(`lineup-price-${id}`).fill('29.90');
    }
    await page.getByTestId('show-save').click();
    await page.waitForURL(/\/console\/shows\/(?!new)[^/]+$/);
    const showId = page.url().split('/').pop()!;

    // 2. the encoder goes live, as `npm run ivs -- live chengbu-main` does
    const ivs = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'local', 'ivs-cli.ts'), 'live', 'chengbu-main'], { env: { ...process.env, LOCAL_PROVINCE_URL: province.url }, encoding: 'utf8' });
    expect(ivs.status, ivs.stderr).toBe(0);
    await until('the show to be LIVE', 60_000, async () => ((await call(province.url, 'GET', `/county-shows/${showId}`, undefined, await asOperator())).body.status === 'LIVE' ? true : undefined));
    await page.goto(`${province.url}/console/shows/${showId}/live`);
    await signedIn(page);
    // on air, and IVS says the stream is healthy (the viewers' snapshot the sweep keeps)
    await expect.poll(async () => { await signedIn(page); return page.getByTestId('live-broadcasting').getAttribute('data-live'); }, { timeout: 30_000 }).toBe('true');
    await expect.poll(async () => { await signedIn(page); return page.getByTestId('live-health').getAttribute('data-health').catch(() => null); }, { timeout: 60_000 }).toBe('HEALTHY');

    // 3. two products in the spotlight, in turn: the stand-in got both, in order
    for (const id of [oranges, bacon]) {
      await page.getByTestId(`spotlight-${id}`).click();
      await expect.poll(async () => { await signedIn(page); return page.getByTestId(`spotlight-${id}`).getAttribute('aria-pressed'); }, { timeout: 20_000 }).toBe('true');
    }
    const sent = (await (await fetch(`${province.url}/_local/state`)).json()) as { ivs?: { metadataSent?: { channelId: string; metadata: string }[] }; metadataSent?: { channelId: string; metadata: string }[] };
    const metadata = (sent.ivs?.metadataSent ?? sent.metadataSent ?? []).filter((m) => m.channelId === 'chengbu-main').map((m) => JSON.parse(m.metadata).productId);
    expect(metadata.slice(-2)).toEqual([oranges, bacon]);

    // 4. storefront orders meanwhile: paid through WeChat Pay, some cancelled; the bacon sells out (3 units)
    const placed: { orderId: string; totalFen: number; paid: boolean }[] = [];
    for (let i = 0; i < 8; i++) {
      const items = i < 3 ? [{ productId: bacon, quantity: 1 }] : [{ productId: oranges, quantity: 1 + (i % 3) }];
      const order = await call(province.url, 'POST', '/orders', { showId, buyerRef: `night-${i}`, items }, { 'Idempotency-Key': randomUUID(), ...storefront });
      expect(order.status).toBe(201);
      const orderId = order.body.orderId as string;
      if (i === 5) {
        await call(province.url, 'POST', `/orders/${orderId}/cancel`, undefined, storefront);
        placed.push({ orderId, totalFen: order.body.totalFen, paid: false });
        continue;
      }
      await call(province.url, 'POST', `/orders/${orderId}/payment`, { payerOpenId: `oNightBuyer${i}` }, storefront);
      expect((await call(province.url, 'POST', '/_local/wechatpay/pay', { orderId })).status).toBe(200);
      placed.push({ orderId, totalFen: order.body.totalFen, paid: true });
    }
    for (const o of placed.filter((x) => x.paid)) await until(`order ${o.orderId} paid`, 30_000, async () => ((await call(province.url, 'GET', `/orders/${o.orderId}`, undefined, storefront)).body.status === 'PAID' ? true : undefined));
    const paidFen = placed.filter((o) => o.paid).reduce((n, o) => n + o.totalFen, 0);
    expect((await call(province.url, 'POST', '/orders', { showId, buyerRef: 'late', items: [{ productId: bacon, quantity: 1 }] }, { 'Idempotency-Key': randomUUID(), ...storefront })).body.error.code).toBe('OUT_OF_STOCK');

    // 5. the control room's figures: the API's, and the orders placed (within the 2 s refresh)
    await expect.poll(() => text(page, 'live-gmv'), { timeout: 20_000 }).toBe(yuan(paidFen));
    await expect.poll(() => text(page, 'live-orders-paid')).toBe(String(placed.filter((o) => o.paid).length));
    await expect.poll(() => text(page, 'live-orders-cancelled')).toBe('1');
    const live = (await call(province.url, 'GET', `/shows/${showId}/live`, undefined, await asOperator())).body;
    expect(live.paidGmvFen).toBe(paidFen);
    expect(live.products.find((p: { productId: string }) => p.productId === bacon)).toMatchObject({ unitsSold: 3, stockLeft: 0, soldOut: true });
    await expect.poll(() => page.getByTestId(`live-soldout-${bacon}`).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'console-live-zh-desktop.png'), fullPage: true });

    // 6. the operator ends the show
    await page.getByTestId('live-end').click();
    await page.getByTestId('confirm-yes').click();
    await until('the show to end', 30_000, async () => ((await call(province.url, 'GET', `/county-shows/${showId}`, undefined, await asOperator())).body.status === 'ENDED' ? true : undefined));

    // 7. after the payment window (30× clock) the settlement page shows the settlement API's totals
    const settled = await until('the settlement', 180_000, async () => {
      const s = await call(province.url, 'GET', `/shows/${showId}/settlement`, undefined, await asOperator());
      return s.status === 200 && s.body.status === 'SETTLED' ? s.body : undefined;
    });
    expect(settled.grossFen).toBe(paidFen);
    await page.goto(`${province.url}/console/shows/${showId}/settlement`);
    await signedIn(page);
    await expect.poll(async () => { await signedIn(page); return page.getByTestId('settlement-status').getAttribute('data-status'); }, { timeout: 30_000 }).toBe('SETTLED');
    expect(await text(page, 'settlement-gross')).toBe(yuan(settled.grossFen));
    expect(await text(page, 'settlement-payout')).toBe(yuan(settled.sellerPayoutFen));
    expect(await text(page, 'settlement-operations')).toBe(yuan(settled.operationsFen));
    await page.screenshot({ path: join(SHOTS, 'console-settlement-zh-desktop.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('settlement-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFseller_id,seller_name')).toBe(true);
    expect(csv).toContain(seller.body.sellerId);

    // 8. the month's report for officials counts the night (a fresh province: its only show), and the province overview too
    const month = new Date(Date.parse(settled.settledAt) + 8 * 3600_000).toISOString().slice(0, 7);
    await page.goto(`${province.url}/console/reports?period=${month}`);
    await expect.poll(() => text(page, 'report-gmv'), { timeout: 30_000 }).toBe(yuan(settled.grossFen));
    expect(await text(page, 'report-paid-to-sellers')).toContain(yuan(settled.sellerPayoutFen));
    expect(await text(page, 'report-households')).toContain('1'); // the registered-poor farmer
    await page.screenshot({ path: join(SHOTS, 'console-report-zh-desktop.png'), fullPage: true });
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').click();
    await page.waitForURL(/\/_local\/cognito\/oauth2\/authorize/);
    await page.getByTestId('signin-admin').click();
    await page.waitForURL((u) => u.pathname.startsWith('/console/') && !u.pathname.startsWith('/console/callback'));
    await page.goto(`${province.url}/console/reports/province?period=${month}`);
    await expect.poll(async () => { if (/authorize/.test(page.url())) { await page.getByTestId('signin-admin').click(); } const el = page.getByTestId('province-gmv'); return (await el.count()) ? el.innerText() : ''; }, { timeout: 30_000 }).toBe(yuan(settled.grossFen));
    expect(await page.getByTestId('province-county-chengbu').innerText()).toContain(yuan(settled.grossFen));
    await page.screenshot({ path: join(SHOTS, 'console-province-report-zh-desktop.png'), fullPage: true });
    await context.close();
  }, 360_000);
});
