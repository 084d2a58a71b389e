import { beforeAll, describe, expect, it } from 'vitest';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { orderDeps } from '../../functions/orders/deps.js';
import { expireReservations, payOrder } from '../../functions/orders/service.js';
import { dynamoClient } from '../../functions/adapters/dynamo.js';
import { paymentStore } from '../../functions/adapters/payment-store.js';
import { liveShowWithProduct, newKey, useOwnTables } from '../support/fixtures.js';
import { invoke, TEST_STOREFRONT } from '../support/http.js';

const stockOf = async (productId: string) =>
  (await invoke(getProduct, { pathParameters: { productId } })).body.stock as number;
const at = (iso: string) => ({ ...orderDeps(), now: () => new Date(iso) });

describe('reservation expiry', () => {
  // the sweep is table-wide and runs with a clock moved ahead: keep other files' reservations out of it
  beforeAll(useOwnTables);

  it('the code checks expiry itself: paying after expiresAt is refused even before any sweep', async () => {
    const { showId, productId } = await liveShowWithProduct(3);
    const res = await invoke(reserve, { method: 'POST', headers: { 'Idempotency-Key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 1 }] } });
    const late = new Date(Date.parse(res.body.expiresAt) + 1).toISOString();
    await expect(payOrder(at(late), { storefrontId: TEST_STOREFRONT, merchantOfRecord: true }, res.body.orderId, 'pay-1')).rejects.toMatchObject({ code: 'RESERVATION_EXPIRED' });
    const justInTime = new Date(Date.parse(res.body.expiresAt) - 1).toISOString();
    await expect(payOrder(at(justInTime), { storefrontId: TEST_STOREFRONT, merchantOfRecord: true }, res.body.orderId, 'pay-1')).resolves.toMatchObject({ status: 'PAID' });
  });

  it('the sweep releases due reservations exactly once (concurrent sweeps) and leaves paid and fresh ones alone', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const reserveOne = async (q: number) =>
      (await invoke(reserve, { method: 'POST', headers: { 'Idempotency-Key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: q }] } })).body;
    const due = await reserveOne(2);
    const paid = await reserveOne(3);
    await payOrder(orderDeps(), { storefrontId: TEST_STOREFRONT, merchantOfRecord: true }, paid.orderId, 'pay-2');
    expect(await stockOf(productId)).toBe(5);

    // a clock 16 minutes ahead: both reservations are past their 15 minutes
    const later = new Date(Date.now() + 16 * 60_000).toISOString();
    const sweeps = await Promise.all([1, 2, 3].map(() => expireReservations(at(later))));
    expect(sweeps.reduce((n, s) => n + s.expired, 0)).toBe(1);
    expect(await stockOf(productId)).toBe(7);
    expect((await invoke(getOrder, { pathParameters: { orderId: due.orderId } })).body.status).toBe('EXPIRED');
    expect((await invoke(getOrder, { pathParameters: { orderId: paid.orderId } })).body.status).toBe('PAID');

    const fresh = await reserveOne(1);
    await expireReservations(orderDeps());
    expect((await invoke(getOrder, { pathParameters: { orderId: fresh.orderId } })).body.status).toBe('RESERVED');
    expect(await stockOf(productId)).toBe(6);
  });

  it('the sweep reads only the expiry times since it last got to, and holds back for a reservation the provider could not confirm', async () => {
    // tables of its own: the sweep remembers how far it got, and the test above moved its clock 16 minutes ahead
    await useOwnTables();
    const { showId, productId } = await liveShowWithProduct(10);
    const reserveOne = async () =>
      (await invoke(reserve, { method: 'POST', headers: { 'Idempotency-Key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 1 }] } })).body;
    // orders stay in the expiry index once paid (no index write when paying): the sweep skips them by their status
    const paid = await reserveOne();
    await payOrder(orderDeps(), { storefrontId: TEST_STOREFRONT, merchantOfRecord: true }, paid.orderId, `pay-${paid.orderId}`);
    const started = await reserveOne();
    await paymentStore.markStarted(started.orderId, { provider: 'wechatpay', prepayId: 'wx-prepay', startedAt: new Date().toISOString() });
    const plain = await reserveOne();

    // count the orders the sweep reads
    let read = 0;
    const name = `count-reads-${Date.now()}`;
    dynamoClient.middlewareStack.add((next: any, context: any) => async (args: any) => {
      if (context.commandName === 'BatchGetItemCommand') read += Object.values(args.input.RequestItems as Record<string, { Keys: unknown[] }>).reduce((n, r) => n + r.Keys.length, 0);
      return next(args);
    }, { step: 'initialize', name });
    try {
      const due = Date.parse(plain.expiresAt) + 60_000;
      const providerDown = { ...orderDeps(), now: () => new Date(due), payments: { paidAtProvider: async () => { throw new Error('WeChat Pay unreachable'); } } };
      expect(await expireReservations(providerDown)).toMatchObject({ expired: 1, unconfirmed: 1 });
      expect(read).toBeGreaterThanOrEqual(3);
      // the next sweep starts before the unconfirmed one: it is asked about again, and released once the provider answers "not paid"
      read = 0;
      const providerUp = { ...orderDeps(), now: () => new Date(due + 60_000), payments: { paidAtProvider: async () => false } };
      expect(await expireReservations(providerUp)).toMatchObject({ expired: 1, unconfirmed: 0 });
      expect(read).toBeGreaterThanOrEqual(1);
      // and then nothing of those is read again
      read = 0;
      expect(await expireReservations({ ...providerUp, now: () => new Date(due + 5 * 60_000) })).toMatchObject({ expired: 0, skipped: 0 });
      expect(read).toBe(0);
    } finally {
      dynamoClient.middlewareStack.remove(name);
    }
    for (const o of [plain, started]) expect((await invoke(getOrder, { pathParameters: { orderId: o.orderId } })).body.status).toBe('EXPIRED');
    expect((await invoke(getOrder, { pathParameters: { orderId: paid.orderId } })).body.status).toBe('PAID');
  });
});

