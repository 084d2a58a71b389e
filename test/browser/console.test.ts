/**
 * The county console in a real Chromium (Debian's, driven by playwright-core; it never downloads
 * a browser) against a real `npm start` province on a free port: a Chengbu operator signs in
 * through the local identity provider's pages, adds a seller and two products, schedules a show
 * with a lineup, edits a price and sees the show in the list; a Xinhuang operator sees none of it;
 * a province admin issues a storefront key and revokes it. Every page passes axe-core without a
 * serious or critical violation; screenshots (zh-CN and en, desktop and phone) go to test-results/.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProvinceProcess, startProvinceProcess } from '../support/province-process.js';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

let province: ProvinceProcess;
let browser: Browser;

beforeAll(async () => {
  province = await startProvinceProcess(['--no-seed'], 'console');
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await province?.stop();
});

/** A browser in New York: the console must still show and take China time. */
const newContext = (viewport = DESKTOP): Promise<BrowserContext> => browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'America/New_York' });

/** Opens the console and signs in as `who` on the local identity provider's page. */
async function signIn(context: BrowserContext, who: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${province.url}/console/`);
  await page.waitForURL(/\/_local\/cognito\/oauth2\/authorize/);
  await page.getByTestId(`signin-${who}`).click();
  await page.waitForURL((u) => u.pathname.startsWith('/console/') && !u.pathname.startsWith('/console/callback'));
  await expect.poll(() => page.getByTestId('nav-shows').isVisible()).toBe(true);
  return page;
}

/** No serious or critical accessibility violation on the page as it is. */
async function accessible(page: Page, name: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });
}

/** A China-time wall clock a day ahead, as a datetime-local input takes it. */
const tomorrowInChina = () => new Date(Date.now() + 8 * 3600_000 + 24 * 3600_000).toISOString().slice(0, 11) + '20:00';

describe('the county console in Chromium', () => {
  const tag = Date.now().toString(36);
  const sellerName = `浏览器测试合作社 ${tag}`;
  const showTitle = `县长带你看脐橙 ${tag}`;

  it('a Chengbu operator adds a seller and two products, schedules a show with a lineup, edits a price, and sees the show', async () => {
    const context = await newContext();
    const page = await signIn(context, 'chengbu');
    await accessible(page, 'shows');
    await shot(page, 'shows-zh-desktop');

    // a seller, from the catalog
    await page.getByTestId('nav-catalog').click();
    await page.getByTestId('seller-new').click();
    await page.getByTestId('seller-name').fill(sellerName);
    await page.getByTestId('seller-kind').selectOption('cooperative');
    await accessible(page, 'seller form');
    await page.getByTestId('seller-save').click();
    const sellerRow = page.getByTestId('seller-row').filter({ hasText: sellerName });
    await expect.poll(() => sellerRow.count()).toBe(1);
    const sellerId = (await sellerRow.getAttribute('data-seller-id'))!;

    // two products
    for (const [name, price, stock] of [['脐橙 5斤装', '29.90', '500'], ['苗家腊肉', '88.00', '120']] as const) {
      await page.getByTestId(`product-new-${sellerId}`).click();
      await page.getByTestId('product-name').fill(name);
      await page.getByTestId('product-unit').fill('箱');
      await page.getByTestId('product-price').fill(price);
      await page.getByTestId('product-stock').fill(stock);
      await page.getByTestId('product-save').click();
      await expect.poll(() => sellerRow.getByTestId('product-row').filter({ hasText: name }).count()).toBe(1);
    }
    const productIds = await sellerRow.getByTestId('product-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-product-id')!));
    expect(productIds).toHaveLength(2);
    await accessible(page, 'catalog');
    await shot(page, 'catalog-zh-desktop');

    // a price edited: kept exactly (yuan in, fen stored)
    await page.goto(`${province.url}/console/products/${productIds[0]}`);
    await expect.poll(() => page.getByTestId('product-price').inputValue()).not.toBe('');
    await accessible(page, 'product');
    await shot(page, 'product-zh-desktop');
    await page.getByTestId('product-price').fill('25.50');
    await page.getByTestId('product-save').click();
    await expect.poll(() => page.getByTestId('product-price-view').innerText()).toContain('¥25.50');
    await page.reload();
    await expect.poll(() => page.getByTestId('product-price').inputValue()).toBe('25.50');

    // a show with both products in its lineup
    await page.goto(`${province.url}/console/shows/new`);
    await page.getByTestId('show-title').fill(showTitle);
    await page.getByTestId('show-channel').selectOption('chengbu-main');
    await page.getByTestId('show-start').fill(tomorrowInChina());
    for (const id of productIds) {
      await page.getByTestId(`lineup-add-${id}`).click();
      await page.getByTestId(`lineup-price-${id}`).fill('19.90');
    }
    await accessible(page, 'show form');
    await shot(page, 'show-form-zh-desktop');
    await page.getByTestId('show-save').click();
    await page.waitForURL(/\/console\/shows\/(?!new)[^/]+$/);
    // the show's page, read again from the API, has its lineup at the show prices
    await page.reload();
    for (const id of productIds) await expect.poll(() => page.getByTestId(`lineup-item-${id}`).innerText()).toContain('¥19.90');
    await accessible(page, 'show');
    await shot(page, 'show-zh-desktop');

    // the list shows it, its start in China time (20:00), although the browser is in New York
    await page.goto(`${province.url}/console/`);
    const row = page.getByTestId('show-row').filter({ hasText: showTitle });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('20:00');
    await shot(page, 'shows-zh-desktop');

    // English, and a phone
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await accessible(page, 'shows (en)');
    await shot(page, 'shows-en-desktop');
    await page.setViewportSize(PHONE);
    await accessible(page, 'shows (en, phone)');
    await shot(page, 'shows-en-phone');
    await page.getByTestId('lang-switch').click();
    await shot(page, 'shows-zh-phone');
    await context.close();
  }, 180_000);

  it('a Xinhuang operator sees none of Chengbu\'s sellers or shows', async () => {
    const context = await newContext();
    const page = await signIn(context, 'xinhuang');
    await expect.poll(() => page.getByTestId('nav-shows').isVisible()).toBe(true);
    expect(await page.getByTestId('show-row').filter({ hasText: showTitle }).count()).toBe(0);
    await page.getByTestId('nav-catalog').click();
    await expect.poll(() => page.getByTestId('seller-new').isVisible()).toBe(true);
    expect(await page.getByText(sellerName).count()).toBe(0);
    // and no storefronts page for a county operator
    expect(await page.getByTestId('nav-storefronts').count()).toBe(0);
    // the token lives in this tab's session storage only, and signing out removes it
    const stored = () => page.evaluate(() => ({ session: Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.')), local: Object.keys(localStorage).filter((k) => k.startsWith('oidc.')) }));
    expect((await stored()).session.length).toBeGreaterThan(0);
    expect((await stored()).local).toEqual([]);
    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.getByTestId('sign-in').isVisible()).toBe(true);
    expect((await stored()).session.filter((k) => k.startsWith('oidc.user'))).toEqual([]);
    await context.close();
  }, 120_000);

  it('a province admin issues a storefront key (shown once) and revokes it', async () => {
    const context = await newContext();
    const page = await signIn(context, 'admin');
    await page.getByTestId('nav-storefronts').click();
    await page.getByTestId('storefront-name').fill(`测试商城 ${tag}`);
    await page.getByTestId('storefront-issue').click();
    const key = page.getByTestId('key-once');
    await expect.poll(() => key.isVisible()).toBe(true);
    expect((await key.innerText()).length).toBeGreaterThan(20);
    await accessible(page, 'storefronts');
    await shot(page, 'storefronts-zh-desktop');
    await page.getByTestId('key-dismiss').click();
    const storefrontRow = page.getByTestId('storefront-row').filter({ hasText: `测试商城 ${tag}` });
    const storefrontId = (await storefrontRow.getAttribute('data-storefront-id'))!;
    await page.getByTestId(`storefront-keys-${storefrontId}`).click();
    const revoke = page.getByTestId(`keys-${storefrontId}`).locator('[data-testid^="key-revoke-"]').first();
    const revokeId = (await revoke.getAttribute('data-testid'))!;
    await revoke.click();
    await page.getByTestId('confirm-yes').click();
    // revoked: the key says so, and can no longer be revoked
    await expect.poll(() => page.getByTestId(`key-row-${revokeId.slice('key-revoke-'.length)}`).innerText()).toContain('已吊销');
    expect(await page.getByTestId(revokeId).count()).toBe(0);
    await context.close();
  }, 120_000);
});
