/**
 * Builds a county's catalog and a LIVE show through the real handlers (and, for going live,
 * the domain transition that the IVS lifecycle will drive).
 */
import { expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { showStore } from '../../functions/adapters/show-store.js';
import { applySignal } from '../../functions/domain/show.js';
import { handler as createProduct } from '../../functions/catalog/create-product.js';
import { handler as createSeller } from '../../functions/catalog/create-seller.js';
import { handler as createShow } from '../../functions/shows/create-show.js';
import { invoke } from './http.js';

export async function seller(name = 'Chengbu Navel Orange Cooperative') {
  const res = await invoke(createSeller, {
    method: 'POST', path: '/sellers', body: { countyId: 'chengbu', name, kind: 'cooperative' },
  });
  expect(res.status).toBe(201);
  return res.body as { sellerId: string };
}

export async function product(sellerId: string, stock: number, priceFen = 3990, name = 'Navel oranges 5 kg') {
  const res = await invoke(createProduct, {
    method: 'POST', path: '/products', body: { sellerId, name, unit: 'box', priceFen, stock },
  });
  expect(res.status).toBe(201);
  return res.body as { productId: string; stock: number; priceFen: number };
}

export async function scheduledShow(lineup: { productId: string; showPriceFen: number }[]) {
  const res = await invoke(createShow, {
    method: 'POST',
    path: '/shows',
    body: { countyId: 'chengbu', channel: 'chengbu-main', title: 'Chengbu night market', scheduledStart: new Date().toISOString(), lineup },
  });
  expect(res.status).toBe(201);
  return res.body as { showId: string; status: string };
}

export async function goLive(showId: string) {
  const show = (await showStore.getShow(showId))!;
  await showStore.save(applySignal(show, { kind: 'start', streamId: `st-${randomUUID()}`, time: new Date().toISOString() }, 0), show);
}

/** A LIVE show selling one product (show price 2990 fen) with the given stock. */
export async function liveShowWithProduct(stock: number) {
  const { sellerId } = await seller();
  const p = await product(sellerId, stock);
  const show = await scheduledShow([{ productId: p.productId, showPriceFen: 2990 }]);
  await goLive(show.showId);
  return { sellerId, productId: p.productId, showId: show.showId };
}

export const newKey = () => `key-${randomUUID()}`;

/**
 * Gives this test file its own set of tables (each file runs in its own worker), for tests
 * whose operation is table-wide by nature, such as the expiry sweep with a clock moved ahead.
 */
export async function useOwnTables(): Promise<void> {
  const { inject } = await import('vitest');
  const { createTables } = await import('../../local/dynamodb-local.js');
  Object.assign(process.env, await createTables(inject('dynamoEndpoint'), `own-${randomUUID().slice(0, 8)}`));
}
