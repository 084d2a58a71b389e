import { beforeAll, describe, expect, it } from 'vitest';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { orderDeps } from '../../functions/orders/deps.js';
import { expireReservations, payOrder } from '../../functions/orders/service.js';
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
});
