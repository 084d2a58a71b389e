/**
 * A storefront's night, typed end to end: find a live show, read its lineup, reserve an order
 * (idempotent per key), open its WeChat Pay payment (the answer goes to wx.requestPayment in the
 * buyer's WeChat), and read the order until WeChat Pay's notification made it PAID. Run it
 * against a province (locally, `npm run pay -- <orderId>` plays the buyer):
 *   npx tsx clients/typescript/src/storefront-flow.ts http://127.0.0.1:3000 <storefront API key> <buyer openid>
 */
import { randomUUID } from 'node:crypto';
import { type ApiError, type Order, storefrontClient } from './index.js';

export async function buyFromALiveShow(baseUrl: string, apiKey: string, payerOpenId: string, waitMs = 60_000): Promise<Order | ApiError> {
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
    body: { showId: show.showId, buyerRef: payerOpenId, items: [{ productId: first.productId, quantity: 1 }] },
  });
  if (reserved.error) return reserved.error;
  const order: Order = reserved.data;
  const fen: number = order.totalFen;
  console.log(`reserved ${order.orderId}: ¥${(fen / 100).toFixed(2)}`);

  const payment = await api.POST('/orders/{orderId}/payment', { params: { path: { orderId: order.orderId } }, body: { payerOpenId } });
  if (payment.error) return payment.error;
  // in a mini program: wx.requestPayment({ ...payment.data.requestPayment, success, fail })
  const { timeStamp, nonceStr, package: pkg, signType, paySign } = payment.data.requestPayment;
  console.log(`wx.requestPayment(${JSON.stringify({ timeStamp, nonceStr, package: pkg, signType, paySign: `${paySign.slice(0, 12)}…` })})`);

  // the order is PAID when WeChat Pay tells the province (never on the client's word)
  const until = Date.now() + waitMs;
  for (;;) {
    const read = await api.GET('/orders/{orderId}', { params: { path: { orderId: order.orderId } } });
    if (read.error || read.data.status !== 'RESERVED' || Date.now() > until) return read.error ?? read.data;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

if (process.argv[1]?.endsWith('storefront-flow.ts')) {
  const [baseUrl, apiKey, openId] = process.argv.slice(2);
  if (!baseUrl || !apiKey) throw new Error('usage: storefront-flow.ts <base URL> <storefront API key> [buyer openid]');
  console.log(JSON.stringify(await buyFromALiveShow(baseUrl, apiKey, openId ?? `oTypedBuyer${randomUUID().slice(0, 8)}`), null, 2));
}
