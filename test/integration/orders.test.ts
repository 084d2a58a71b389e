import { describe, expect, it } from 'vitest';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { handler as cancel } from '../../functions/orders/cancel.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { handler as pay } from '../../functions/orders/pay.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { invoke } from '../support/http.js';
import { goLive, liveShowWithProduct, newKey, product, scheduledShow, seller } from '../support/fixtures.js';

const reserveCall = (body: unknown, key = newKey()) =>
  invoke(reserve, { method: 'POST', path: '/orders', headers: { 'Idempotency-Key': key }, body });

const stockOf = async (productId: string) =>
  (await invoke(getProduct, { method: 'GET', path: `/products/${productId}`, pathParameters: { productId } })).body.stock as number;

describe('order path on DynamoDB Local', () => {
  it('reserves at the show price, takes the stock, pays', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const res = await reserveCall({ showId, buyerRef: 'buyer-1', items: [{ productId, quantity: 3 }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'RESERVED', totalFen: 3 * 2990, items: [{ productId, quantity: 3, showPriceFen: 2990, amountFen: 8970 }] });
    expect(Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt)).toBe(15 * 60_000);
    expect(await stockOf(productId)).toBe(7);

    const orderId = res.body.orderId;
    const paid = await invoke(pay, { method: 'POST', pathParameters: { orderId }, body: { paymentRef: 'wx-123' } });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ orderId, status: 'PAID', paymentRef: 'wx-123' });

    const again = await invoke(pay, { method: 'POST', pathParameters: { orderId }, body: { paymentRef: 'wx-123' } });
    expect(again.status).toBe(200);
    const other = await invoke(pay, { method: 'POST', pathParameters: { orderId }, body: { paymentRef: 'wx-999' } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('ORDER_STATE_CONFLICT');

    const cancelPaid = await invoke(cancel, { method: 'POST', pathParameters: { orderId } });
    expect(cancelPaid.status).toBe(409);
    expect(await stockOf(productId)).toBe(7);

    const read = await invoke(getOrder, { pathParameters: { orderId } });
    expect(read.body.status).toBe('PAID');
  });

  it('cancel returns the stock exactly once', async () => {
    const { showId, productId } = await liveShowWithProduct(5);
    const res = await reserveCall({ showId, buyerRef: 'b', items: [{ productId, quantity: 2 }] });
    const orderId = res.body.orderId;
    expect(await stockOf(productId)).toBe(3);
    const results = await Promise.all(Array.from({ length: 5 }, () => invoke(cancel, { method: 'POST', pathParameters: { orderId } })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.every((r) => r.body.status === 'CANCELLED')).toBe(true);
    expect(await stockOf(productId)).toBe(5);
    const payCancelled = await invoke(pay, { method: 'POST', pathParameters: { orderId }, body: { paymentRef: 'p' } });
    expect(payCancelled.body.error.code).toBe('ORDER_STATE_CONFLICT');
  });

  it('refuses orders for shows that are not live, products not in the lineup, and too much quantity, writing nothing', async () => {
    const { sellerId } = await seller();
    const p = await product(sellerId, 4);
    const outside = await product(sellerId, 4, 100, 'Tea oil 1 L');
    const show = await scheduledShow([{ productId: p.productId, showPriceFen: 2500 }]);

    const notLive = await reserveCall({ showId: show.showId, buyerRef: 'b', items: [{ productId: p.productId, quantity: 1 }] });
    expect(notLive.status).toBe(409);
    expect(notLive.body.error).toMatchObject({ code: 'SHOW_NOT_LIVE', field: 'showId' });

    await goLive(show.showId);
    const notInLineup = await reserveCall({ showId: show.showId, buyerRef: 'b', items: [{ productId: outside.productId, quantity: 1 }] });
    expect(notInLineup.status).toBe(422);
    expect(notInLineup.body.error).toMatchObject({ code: 'NOT_IN_LINEUP', field: 'items[0].productId' });

    const tooMany = await reserveCall({ showId: show.showId, buyerRef: 'b', items: [{ productId: p.productId, quantity: 5 }] });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'OUT_OF_STOCK', field: 'items[0].productId' });

    const unknownShow = await reserveCall({ showId: 'no-such-show', buyerRef: 'b', items: [{ productId: p.productId, quantity: 1 }] });
    expect(unknownShow.status).toBe(404);
    expect(unknownShow.body.error.code).toBe('NOT_FOUND');

    expect(await stockOf(p.productId)).toBe(4);
    expect(await stockOf(outside.productId)).toBe(4);
  });
});
