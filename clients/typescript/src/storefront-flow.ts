/**
 * A storefront's night, typed end to end: find a live show, read its lineup, reserve an order
 * (idempotent per key), pay it, read it back. Run it against a province:
 *   npx tsx clients/typescript/src/storefront-flow.ts http://127.0.0.1:3000 <storefront API key>
 */
import { randomUUID } from 'node:crypto';
import { type ApiError, type Order, storefrontClient } from './index.js';

export async function buyFromALiveShow(baseUrl: string, apiKey: string, buyerRef: string): Promise<Order | ApiError> {
  const api = storefrontClient(baseUrl, apiKey);

  const live = await api.GET('/shows', { params: { query: { status: 'live' } } });
  if (live.error) return live.error;
  const show = live.data.shows[0];
  if (!show) return { error: { code: 'NOT_FOUND', message: 'no show is live' } };

  const detail = await api.GET('/shows/{showId}', { params: { path: { showId: show.showId } } });
  if (detail.error) return detail.error;
  const first = detail.data.lineup[0];
  if (!first) return { error: { code: 'NOT_FOUND', message: 'the show has no lineup' } };

  const reserved = await api.POST('/orders', {
    params: { header: { 'idempotency-key': randomUUID() } },
    body: { showId: show.showId, buyerRef, items: [{ productId: first.productId, quantity: 1 }] },
  });
  if (reserved.error) return reserved.error;
  const order: Order = reserved.data;
  const fen: number = order.totalFen;
  console.log(`reserved ${order.orderId}: ¥${(fen / 100).toFixed(2)}`);

  const paid = await api.POST('/orders/{orderId}/pay', { params: { path: { orderId: order.orderId } }, body: { paymentRef: `wxpay-${randomUUID()}` } });
  if (paid.error) return paid.error;

  const read = await api.GET('/orders/{orderId}', { params: { path: { orderId: order.orderId } } });
  return read.error ?? read.data;
}

if (process.argv[1]?.endsWith('storefront-flow.ts')) {
  const [baseUrl, apiKey] = process.argv.slice(2);
  if (!baseUrl || !apiKey) throw new Error('usage: storefront-flow.ts <base URL> <storefront API key>');
  console.log(JSON.stringify(await buyFromALiveShow(baseUrl, apiKey, 'wx-buyer-typed'), null, 2));
}
