import { describe, expect, it } from 'vitest';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { handler as cancel } from '../../functions/orders/cancel.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { handler as pay } from '../../functions/orders/pay.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { paymentsTable } from '../../functions/adapters/codecs/payments.js';
import { ddb } from '../../functions/adapters/dynamo.js';
import { orderDeps } from '../../functions/orders/deps.js';
import { payOrder } from '../../functions/orders/service.js';
import { invoke, TEST_STOREFRONT } from '../support/http.js';
import { goLive, liveShowWithProduct, newKey, product, scheduledShow, seller } from '../support/fixtures.js';

const reserveCall = (body: unknown, key = newKey()) =>
  invoke(reserve, { method: 'POST', path: '/orders', headers: { 'Idempotency-Key': key }, body });

const stockOf = async (productId: string) =>
  (await invoke(getProduct, { method: 'GET', path: `/products/${productId}`, pathParameters: { productId } })).body.stock as number;

describe('order path on DynamoDB Local', () => {
  it('a payment reference pays one order, however its calls interleave (double submits in the same millisecond included), and an unpayable order is refused before any write', async () => {
    const { showId, productId } = await liveShowWithProduct(50);
    const reserveOne = async () => (await invoke(reserve, { method: 'POST', headers: { 'Idempotency-Key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 1 }] } })).body.orderId as string;
    const caller = { storefrontId: TEST_STOREFRONT, merchantOfRecord: true };
    const sameMillisecond = { ...orderDeps(), now: () => new Date(Date.now() + 60_000) };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 4 }), async (copies, rivals) => {
        const ref = `double-${newKey()}`;
        const [x, ...others] = await Promise.all(Array.from({ length: 1 + rivals }, reserveOne));
        // the same order paid several times at once under one clock reading, and other orders tried with the same reference meanwhile
        const outcomes = await Promise.allSettled([
          ...Array.from({ length: copies }, () => payOrder(sameMillisecond, caller, x!, ref)),
          ...others.map((o) => payOrder(sameMillisecond, caller, o, ref)),
        ]);
        const paidWithRef: string[] = [];
        for (const orderId of [x!, ...others]) {
          const order = (await invoke(getOrder, { pathParameters: { orderId } })).body;
          if (order.status === 'PAID' && order.paymentRef === ref) paidWithRef.push(orderId);
        }
        expect(paidWithRef.length).toBe(1);
        // whichever order won the reference, the others are refused now and later
        for (const o of [x!, ...others].filter((id) => id !== paidWithRef[0])) {
          await expect(payOrder(orderDeps(), caller, o, ref)).rejects.toMatchObject({ code: 'ORDER_STATE_CONFLICT' });
        }
        expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 8 },
    );
    // an order that cannot be paid (no such order, another storefront's) writes no claim: its reference stays free
    const claimed = async (ref: string) => (await ddb.send(new GetCommand({ TableName: process.env.PAYMENTS_TABLE, Key: paymentsTable.claimKey(`${TEST_STOREFRONT}#${ref}`), ConsistentRead: true }))).Item;
    await expect(payOrder(orderDeps(), caller, 'no-such-order', 'free-ref')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await claimed('free-ref')).toBeUndefined();
    const mine = await reserveOne();
    expect((await payOrder(orderDeps(), caller, mine, 'free-ref')).status).toBe('PAID');
  });

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
