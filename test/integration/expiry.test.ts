import { describe, expect, it } from 'vitest';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { orderDeps } from '../../functions/orders/deps.js';
import { handler as expireHandler } from '../../functions/orders/expire-reservations.js';
import { expireReservation, payOrder } from '../../functions/orders/service.js';
import { paymentStore } from '../../functions/adapters/payment-store.js';
import { liveShowWithProduct, newKey } from '../support/fixtures.js';
import { invoke, lambdaContext, TEST_STOREFRONT } from '../support/http.js';

const stockOf = async (productId: string) =>
  (await invoke(getProduct, { pathParameters: { productId } })).body.stock as number;
const at = (iso: string) => ({ ...orderDeps(), now: () => new Date(iso) });

describe('reservation expiry', () => {

  it('the code checks expiry itself: paying after expiresAt is refused even before any sweep', async () => {
    const { showId, productId } = await liveShowWithProduct(3);
    const res = await invoke(reserve, { method: 'POST', headers: { 'Idempotency-Key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 1 }] } });
    const late = new Date(Date.parse(res.body.expiresAt) + 1).toISOString();
    await expect(payOrder(at(late), { storefrontId: TEST_STOREFRONT, merchantOfRecord: true }, res.body.orderId, 'pay-1')).rejects.toMatchObject({ code: 'RESERVATION_EXPIRED' });
    const justInTime = new Date(Date.parse(res.body.expiresAt) - 1).toISOString();
    await expect(payOrder(at(justInTime), { storefrontId: TEST_STOREFRONT, merchantOfRecord: true }, res.body.orderId, 'pay-1')).resolves.toMatchObject({ status: 'PAID' });
  });

  it('a reservation whose time came is released exactly once (the same message delivered at once), a paid one is left alone', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const reserveOne = async (q: number) =>
      (await invoke(reserve, { method: 'POST', headers: { 'Idempotency-Key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: q }] } })).body;
    const due = await reserveOne(2);
    const paid = await reserveOne(3);
    await payOrder(orderDeps(), { storefrontId: TEST_STOREFRONT, merchantOfRecord: true }, paid.orderId, 'pay-2');
    expect(await stockOf(productId)).toBe(5);

    // a clock 16 minutes ahead: both reservations are past their 15 minutes; each event arrives three times at once
    const later = new Date(Date.now() + 16 * 60_000).toISOString();
    const outcomes = await Promise.all([due, paid, due, paid, due, paid].map((o) => expireReservation(at(later), o.orderId)));
    expect(outcomes.filter((o) => o === 'expired')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'expired').every((o) => o === 'not-reserved')).toBe(true);
    expect(await stockOf(productId)).toBe(7);
    expect((await invoke(getOrder, { pathParameters: { orderId: due.orderId } })).body.status).toBe('EXPIRED');
    expect((await invoke(getOrder, { pathParameters: { orderId: paid.orderId } })).body.status).toBe('PAID');
  });

  it('the delay queue: a record not yet due, or whose payment the provider cannot confirm yet, is answered as a failure and comes back; an unreadable one is dropped', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const fresh = (await invoke(reserve, { method: 'POST', headers: { 'Idempotency-Key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 1 }] } })).body;
    // the Order Reserved event, as the rule hands it to the queue and the queue to the function
    const record = (messageId: string, body: string) => ({ messageId, receiptHandle: messageId, body, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:ap-northeast-1:000000000000:expiry', awsRegion: 'ap-northeast-1' });
    const event = (detail: unknown) => JSON.stringify({ version: '0', id: newKey(), 'detail-type': 'Order Reserved', source: 'county-live.orders', account: '000000000000', time: new Date().toISOString(), region: 'ap-northeast-1', resources: [], detail });
    const answer = await expireHandler({ Records: [record('m-fresh', event({ eventId: `${fresh.orderId}:RESERVED`, orderId: fresh.orderId })), record('m-garbage', '{not json'), record('m-other', event({}))] } as never, lambdaContext());
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-fresh' }] });
    expect((await invoke(getOrder, { pathParameters: { orderId: fresh.orderId } })).body.status).toBe('RESERVED');

    // a payment was started and the provider cannot be reached: kept (it may be paid), asked again later
    await paymentStore.markStarted(fresh.orderId, { provider: 'wechatpay', prepayId: 'wx-prepay', startedAt: new Date().toISOString() });
    const due = new Date(Date.parse(fresh.expiresAt) + 1000).toISOString();
    const providerDown = { ...at(due), payments: { paidAtProvider: async () => { throw new Error('WeChat Pay unreachable'); } } };
    expect(await expireReservation(providerDown, fresh.orderId)).toBe('unconfirmed');
    expect(await stockOf(productId)).toBe(9);
    const providerSaysUnpaid = { ...at(due), payments: { paidAtProvider: async () => false } };
    expect(await expireReservation(providerSaysUnpaid, fresh.orderId)).toBe('expired');
    expect(await stockOf(productId)).toBe(10);
  });
});
