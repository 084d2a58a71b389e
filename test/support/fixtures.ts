/**
 * Builds a county's catalog and a LIVE show through the real handlers: a show goes live as in
 * production, its channel's encoder connecting in the IVS stand-in and the Stream Start event
 * going through onStreamEvent and the show lifecycle.
 */
import { expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { showStore } from '../../functions/adapters/show-store.js';
import { handler as createProduct } from '../../functions/catalog/create-product.js';
import { handler as createSeller } from '../../functions/catalog/create-seller.js';
import { handler as createShow } from '../../functions/shows/create-show.js';
import { channelPool, registerTestChannels } from './env.js';
import { tables } from '../../province/wiring.js';
import { invoke } from './http.js';
import { ivs } from './ivs.js';

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

let channelsTaken = 0;

/**
 * The next channel of this worker's pool (env.ts): each show the fixtures create has a channel
 * of its own, so that its encoder going live starts this show and no other.
 */
export function freshChannel(): string {
  const channel = channelPool[channelsTaken++];
  if (!channel) throw new Error(`this test file creates more than ${channelPool.length} shows through the fixtures: raise POOL_SIZE in test/support/env.ts`);
  return channel;
}

/** A show scheduled now in Chengbu, on a channel of its own unless the test names one (e.g. 'chengbu-main'). */
export async function scheduledShow(lineup: { productId: string; showPriceFen: number }[], { channel = freshChannel() }: { channel?: string } = {}) {
  const res = await invoke(createShow, {
    method: 'POST',
    path: '/shows',
    body: { countyId: 'chengbu', channel, title: 'Chengbu night market', scheduledStart: new Date().toISOString(), lineup },
  });
  expect(res.status).toBe(201);
  return res.body as { showId: string; status: string };
}

/**
 * The show's encoder connects: its channel goes live in the IVS stand-in, whose Stream Start is
 * delivered to onStreamEvent and makes the due show LIVE. Resolves once that delivery is done.
 */
export async function goLive(showId: string) {
  const show = await showStore.getShow(showId);
  expect(show, `goLive: show ${showId} does not exist`).toBeDefined();
  const { outcomes } = await ivs().goLive(show!.channelId);
  const live = await showStore.getShow(showId);
  expect(live?.status, `show ${showId} after Stream Start on ${show!.channelId} (onStreamEvent answered ${JSON.stringify(outcomes)})`).toBe('LIVE');
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
  const own = await createTables(inject('dynamoEndpoint'), `own-${randomUUID().slice(0, 8)}`);
  Object.assign(process.env, own);
  await registerTestChannels(); // the new channels table starts empty, as a new province's would
}
