/**
 * Payments through WeChat Pay (the stand-in, over HTTP, with its own keys), on DynamoDB Local:
 * an order becomes PAID only on the provider's verified word, once per transaction; forged,
 * tampered, stale or mismatched notifications change nothing; a lost notification is caught by
 * the reservation's expiry; late money goes back exactly once; refunds complete on the provider's notice.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { settlementsTable } from '../../functions/adapters/codecs/settlements.js';
import { createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ddb, dynamoClient } from '../../functions/adapters/dynamo.js';
import { injectFaults, internal } from '../support/faults.js';
import { tradeNumber } from '../../functions/adapters/wechatpay/client.js';
import { encryptResource, platformHeaders } from '../../functions/adapters/wechatpay/protocol.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { handler as pay } from '../../functions/orders/pay.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { orderDeps } from '../../functions/orders/deps.js';
import { expireReservation } from '../../functions/orders/service.js';
import { handler as startPayment } from '../../functions/payments/start-payment.js';
import { handler as refund } from '../../functions/settlement/refund-order.js';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { testWechatPay } from '../support/env.js';
import { liveShowWithProduct, newKey } from '../support/fixtures.js';
import { invoke, storefrontAuth, TEST_STOREFRONT } from '../support/http.js';
import { deliverNotification } from '../support/wechatpay.js';
import { eventually } from '../support/eventually.js';
import { domainEvents, streamRecords } from '../support/streams.js';

const standIn = testWechatPay.wechatPay;
const OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
/** A storefront whose buyers pay through WeChat Pay (the default for every storefront). */
const viaProvider = storefrontAuth(TEST_STOREFRONT, 100_000, false);

/** One live show for the whole file (a show takes a channel of the worker's pool): stock is checked as differences. */
let live: Promise<{ showId: string; productId: string }> | undefined;
async function reservedOrder(quantity = 1, show?: Promise<{ showId: string; productId: string }>) {
  live ??= liveShowWithProduct(100_000);
  const { showId, productId } = await (show ?? live);
  const res = await invoke(reserve, { method: 'POST', path: '/orders', headers: { 'Idempotency-Key': newKey() }, body: { showId, buyerRef: 'wx-buyer', items: [{ productId, quantity }] }, authorizer: viaProvider });
  expect(res.status).toBe(201);
  return { orderId: res.body.orderId as string, totalFen: res.body.totalFen as number, productId };
}

const startPaying = (orderId: string) => invoke(startPayment, { method: 'POST', path: `/orders/${orderId}/payment`, pathParameters: { orderId }, body: { payerOpenId: OPENID }, authorizer: viaProvider });
const readOrder = async (orderId: string) => (await invoke(getOrder, { pathParameters: { orderId }, authorizer: viaProvider })).body;
const stockOf = async (productId: string) => (await invoke(getProduct, { pathParameters: { productId } })).body.stock as number;

/** What the payments table kept for an order: its notifications (and their verdicts). */
async function keptNotifications(orderId: string) {
  const { Items } = await ddb.send(new QueryCommand({ TableName: process.env.PAYMENTS_TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `ORDER#${orderId}` } }));
  return Items ?? [];
}

/** A payment notification as WeChat Pay would send it, with any part forged. */
function paymentNotification(
  orderId: string,
  totalFen: number,
  o: { transactionId?: string; mchId?: string; appId?: string; tradeState?: string; eventType?: string; apiV3Key?: string; signer?: { serial: string; privateKey: import('node:crypto').KeyObject }; timestamp?: number; tamper?: (body: string) => string } = {},
) {
  const transaction = {
    appid: o.appId ?? standIn.appId,
    mchid: o.mchId ?? standIn.mchId,
    out_trade_no: tradeNumber(orderId),
    transaction_id: o.transactionId ?? `4200${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    trade_type: 'JSAPI',
    trade_state: o.tradeState ?? 'SUCCESS',
    payer: { openid: OPENID },
    amount: { total: totalFen, payer_total: totalFen, currency: 'CNY', payer_currency: 'CNY' },
  };
  const body = JSON.stringify({
    id: randomUUID(),
    create_time: new Date().toISOString(),
    resource_type: 'encrypt-resource',
    event_type: o.eventType ?? 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: encryptResource(JSON.stringify(transaction), o.apiV3Key ?? standIn.apiV3Key, 'transaction', 'transaction'),
  });
  const headers = platformHeaders(body, o.signer ?? standIn.platform[0]!, o.timestamp);
  return { headers, body: o.tamper ? o.tamper(body) : body, transactionId: transaction.transaction_id };
}

describe('payments through WeChat Pay', () => {
  it('a storefront that is not a merchant of record cannot mark an order PAID with a claim of its own', async () => {
    const { orderId } = await reservedOrder();
    const res = await invoke(pay, { method: 'POST', pathParameters: { orderId }, body: { paymentRef: 'i-did-not-pay' }, authorizer: viaProvider });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await readOrder(orderId)).status).toBe('RESERVED');
  });

  // before any forged serial makes the notify function read the secret again (it does so at most once a minute)
  it('a platform key rotation: notifications signed with the new key are accepted (the secret is read again)', async () => {
    const { orderId } = await reservedOrder();
    await startPaying(orderId);
    const before = standIn.platform.length;
    standIn.rotatePlatformKey();
    try {
      standIn.pay(tradeNumber(orderId));
      await testWechatPay.settled();
      expect((await readOrder(orderId)).status).toBe('PAID');
    } finally {
      standIn.platform.splice(0, standIn.platform.length - before); // back to the original signing key
    }
  });

  it('a merchant of record: one reference pays one order only', async () => {
    const a = await reservedOrder();
    const b = await reservedOrder();
    expect((await invoke(pay, { method: 'POST', pathParameters: { orderId: a.orderId }, body: { paymentRef: 'mor-ref-1' } })).status).toBe(200);
    const again = await invoke(pay, { method: 'POST', pathParameters: { orderId: b.orderId }, body: { paymentRef: 'mor-ref-1' } });
    expect(again.status).toBe(409);
    expect(again.body.error.field).toBe('paymentRef');
  });

  it('start: wx.requestPayment parameters signed with the merchant key, the same prepay id when asked again; the buyer pays → PAID by the transaction', async () => {
    const { orderId, totalFen } = await reservedOrder(2);
    const started = await startPaying(orderId);
    expect(started.status).toBe(200);
    const p = started.body.requestPayment;
    expect(p).toMatchObject({ appId: standIn.appId, signType: 'RSA', package: expect.stringMatching(/^prepay_id=wx/) });
    const signed = `${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    expect(createVerify('RSA-SHA256').update(signed).verify(standIn.merchant.publicKey, p.paySign, 'base64')).toBe(true);
    const trade = standIn.trades.get(tradeNumber(orderId))!;
    expect(trade).toMatchObject({ totalFen, payerOpenId: OPENID, notifyUrl: 'https://localhost/payments/wechatpay/notify' });
    // WeChat closes the payment at the reservation's expiry (to the second, never after it)
    expect(Date.parse(started.body.expiresAt) - Date.parse(trade.timeExpire)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(started.body.expiresAt) - Date.parse(trade.timeExpire)).toBeLessThan(1000);
    expect((await startPaying(orderId)).body.requestPayment.package).toBe(p.package);

    const paid = standIn.pay(tradeNumber(orderId));
    expect(paid.ok).toBe(true);
    await testWechatPay.settled();
    const order = await readOrder(orderId);
    expect(order).toMatchObject({ status: 'PAID', paymentRef: (paid as { transactionId: string }).transactionId });
    expect((await keptNotifications(orderId)).map((n) => n.verdict)).toEqual(['accepted']);
  });

  it('the same notification 10 times at once: 2xx each time, one PAID, one claim', async () => {
    const { orderId, totalFen } = await reservedOrder();
    await startPaying(orderId);
    const n = paymentNotification(orderId, totalFen);
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliverNotification(n.headers, n.body)));
    expect(answers.map((a) => `${a.status} ${a.body}`)).toEqual(Array(10).fill('204 '));
    expect(await readOrder(orderId)).toMatchObject({ status: 'PAID', paymentRef: n.transactionId });
    expect((await keptNotifications(orderId)).filter((k) => k.verdict === 'accepted')).toHaveLength(10);
  });

  it('forged, tampered, stale, mismatched or foreign notifications are refused and change nothing (property)', async () => {
    const { orderId, totalFen } = await reservedOrder();
    await startPaying(orderId);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const forgeries = fc.oneof(
      fc.constant({ expect: 401, o: { signer: { serial: standIn.platform[0]!.serial, privateKey: stranger.privateKey } } }),
      fc.constant({ expect: 401, o: { signer: { serial: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', privateKey: stranger.privateKey } } }),
      fc.integer({ min: 600, max: 86_400 }).chain((skew) => fc.constantFrom(-skew, skew)).map((skew) => ({ expect: 401, o: { timestamp: now + skew } })),
      fc.constant({ expect: 401, o: { apiV3Key: 'x'.repeat(32) } }),
      fc.tuple(fc.nat({ max: 400 }), fc.string({ minLength: 1, maxLength: 3 })).map(([at, text]) => ({ expect: 401, o: { tamper: (b: string) => (b.slice(0, at % b.length) + text + b.slice(at % b.length)) } })),
      fc.integer({ min: 1, max: 1_000_000 }).filter((fen) => fen !== totalFen).map((fen) => ({ expect: 409, amount: fen, o: {} })),
      fc.constant({ expect: 409, o: { mchId: '1900009999' } }),
      fc.constant({ expect: 409, o: { appId: 'wx0000000000000000' } }),
      fc.constant({ expect: 404, unknown: true, o: {} }),
    );
    await fc.assert(
      fc.asyncProperty(forgeries, async (f: { expect: number; o: object; amount?: number; unknown?: boolean }) => {
        const target = f.unknown ? randomUUID() : orderId;
        const n = paymentNotification(target, f.amount ?? totalFen, f.o);
        const answer = await deliverNotification(n.headers, n.body);
        expect(answer.status).toBe(f.expect);
        expect(JSON.parse(answer.body)).toMatchObject({ code: 'FAIL' });
        expect((await readOrder(orderId)).status).toBe('RESERVED');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 40) },
    );
    // every one was kept for audit, refused; nothing else was written
    const kept = await keptNotifications(orderId);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((k) => k.verdict === 'refused')).toBe(true);
  });

  it('a lost notification: the expiry asks WeChat Pay and the order is PAID, not expired', async () => {
    const { orderId } = await reservedOrder(2);
    const started = await startPaying(orderId);
    const paid = standIn.pay(tradeNumber(orderId), { mode: 'drop' }) as { transactionId: string };
    const after = new Date(Date.parse(started.body.expiresAt) + 1000);
    expect(await expireReservation({ ...orderDeps(), now: () => after }, orderId)).toBe('paid-at-provider');
    expect(await readOrder(orderId)).toMatchObject({ status: 'PAID', paymentRef: paid.transactionId });
  });

  it('a payment landing around the expiry: PAID, or EXPIRED with the money sent back once; never both, never lost (property)', async () => {
    // a product of its own: this test counts this product's stock
    const raceShow = liveShowWithProduct(1_000);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('before-the-expiry', 'after-the-expiry', 'during-the-expiry'), fc.integer({ min: 1, max: 3 }), async (when, copies) => {
        const { orderId, totalFen, productId } = await reservedOrder(1, raceShow);
        const stock = await stockOf(productId);
        const started = await startPaying(orderId);
        const after = new Date(Date.parse(started.body.expiresAt) + 1000);
        const expire = () => expireReservation({ ...orderDeps(), now: () => after }, orderId);
        // the buyer's money lands at WeChat Pay (at the last moment: WeChat's own lag), and its notification comes, maybe several times
        const payment = async () => {
          const paid = standIn.pay(tradeNumber(orderId), { mode: 'drop', afterExpiry: true }) as { transactionId: string };
          const n = paymentNotification(orderId, totalFen, { transactionId: paid.transactionId });
          await Promise.all(Array.from({ length: copies }, () => deliverNotification(n.headers, n.body)));
          return paid.transactionId;
        };
        let transactionId: string;
        if (when === 'before-the-expiry') transactionId = await payment().then(async (t) => (await expire(), t));
        else if (when === 'after-the-expiry') transactionId = await expire().then(payment);
        else transactionId = (await Promise.all([payment(), expire()]))[0];
        await testWechatPay.settled();
        const final = await readOrder(orderId);
        const trade = standIn.trades.get(tradeNumber(orderId))!;
        if (final.status === 'PAID') {
          expect(final.paymentRef).toBe(transactionId);
          expect(final.latePayment).toBeUndefined();
          expect(trade.refunds.size).toBe(0);
          expect(await stockOf(productId)).toBe(stock);
        } else {
          expect(final.status).toBe('EXPIRED');
          expect(final.latePayment).toMatchObject({ amountFen: totalFen });
          expect([...trade.refunds.values()].map((r) => r.refundFen)).toEqual([totalFen]); // refunded exactly once, whatever the copies
          expect(await stockOf(productId)).toBe(stock + 1); // the unit went back
        }
        if (when === 'before-the-expiry') expect(final.status).toBe('PAID');
        if (when === 'after-the-expiry') expect(final.status).toBe('EXPIRED');
      }),
      { numRuns: 9 },
    );
  });

  it('money that lands once the show is being settled is not counted: refunded as late money, the order stays unpaid', async () => {
    const show = liveShowWithProduct(100);
    const { orderId, totalFen } = await reservedOrder(1, show);
    await startPaying(orderId);
    // the show's settlement has started (the settlement run holds it): no order of the show may become PAID now
    const now = new Date().toISOString();
    await ddb.send(new PutCommand({ TableName: process.env.SETTLEMENTS_TABLE, Item: settlementsTable.settlementItem({ showId: (await show).showId, countyId: 'chengbu', status: 'SETTLING', sellerShareBps: 8000, registeredAt: now, dueAt: now, startedAt: now, attempts: 1 }) }));
    standIn.pay(tradeNumber(orderId));
    await testWechatPay.settled();
    const order = await readOrder(orderId);
    expect(order.status).toBe('RESERVED');
    expect(order.latePayment).toMatchObject({ amountFen: totalFen });
    expect([...standIn.trades.get(tradeNumber(orderId))!.refunds.values()].map((r) => r.refundFen)).toEqual([totalFen]);
  });

  it('money for a cancelled order is refunded through WeChat Pay exactly once, under repeated notifications', async () => {
    const { orderId, totalFen } = await reservedOrder();
    await startPaying(orderId);
    const { handler: cancel } = await import('../../functions/orders/cancel.js');
    expect((await invoke(cancel, { method: 'POST', pathParameters: { orderId }, authorizer: viaProvider })).body.status).toBe('CANCELLED');
    standIn.pay(tradeNumber(orderId), { mode: 'duplicate' });
    await testWechatPay.settled();
    const n = paymentNotification(orderId, totalFen, { transactionId: standIn.trades.get(tradeNumber(orderId))!.transactionId });
    await Promise.all([1, 2, 3].map(() => deliverNotification(n.headers, n.body)));
    await testWechatPay.settled();
    const order = await eventually(async () => {
      const read = await readOrder(orderId);
      expect(read.latePayment).toMatchObject({ amountFen: totalFen, refundState: 'SUCCESS' }); // WeChat Pay confirmed the money is back
      return read;
    }, { timeoutMs: 10_000 });
    expect(order.status).toBe('CANCELLED');
    const trade = standIn.trades.get(tradeNumber(orderId))!;
    expect([...trade.refunds.values()].map((r) => r.refundFen)).toEqual([totalFen]);
    // published once, through the outbox (the orders table stream): the order's own events, then the late payment's
    const events = await domainEvents((await streamRecords(process.env.ORDERS_TABLE!)).filter((r) => r.dynamodb?.Keys?.pk?.S === `ORDER#${orderId}`));
    expect(events.map((e) => e.detailType)).toEqual(['Order Reserved', 'Order Cancelled', 'Late Payment Refunded']);
    expect(events[2]!.detail).toMatchObject({ orderId, orderStatus: 'CANCELLED', latePayment: { amountFen: totalFen, transactionId: trade.transactionId } });
  });

  it('late money and a crash between its refund and its record: WeChat Pay retries, the refund is asked again under the same number and made once', async () => {
    const { orderId, totalFen } = await reservedOrder();
    await startPaying(orderId);
    const { handler: cancel } = await import('../../functions/orders/cancel.js');
    await invoke(cancel, { method: 'POST', pathParameters: { orderId }, authorizer: viaProvider });
    const paid = standIn.pay(tradeNumber(orderId), { mode: 'drop' }) as { transactionId: string };
    const n = paymentNotification(orderId, totalFen, { transactionId: paid.transactionId });
    const faults = injectFaults(dynamoClient, { command: 'UpdateItem', table: 'orders', error: internal }); // recording the late payment fails
    try {
      const first = await deliverNotification(n.headers, n.body);
      expect(first.status).toBe(500);
      expect(JSON.parse(first.body)).toMatchObject({ code: 'FAIL' });
    } finally {
      faults.remove();
    }
    expect((await deliverNotification(n.headers, n.body)).status).toBe(204);
    expect((await readOrder(orderId)).latePayment).toMatchObject({ amountFen: totalFen });
    expect([...standIn.trades.get(tradeNumber(orderId))!.refunds.values()].map((r) => r.refundFen)).toEqual([totalFen]);
  });

  it('a refund is asked of WeChat Pay; the order becomes REFUNDED on its notification, once', async () => {
    const { orderId, totalFen, productId } = await reservedOrder(1);
    await startPaying(orderId);
    standIn.pay(tradeNumber(orderId));
    await testWechatPay.settled();
    const stockBefore = await stockOf(productId);
    const asked = await Promise.all([1, 2].map(() => invoke(refund, { method: 'POST', pathParameters: { orderId }, authorizer: viaProvider })));
    expect(asked.map((a) => a.status)).toEqual([200, 200]);
    expect(asked[0]!.body).toMatchObject({ status: 'PAID', refundRequestedAt: expect.any(String) }); // not before WeChat Pay confirms
    await eventually(async () => expect(await readOrder(orderId)).toMatchObject({ status: 'REFUNDED' }), { timeoutMs: 10_000 });
    expect([...standIn.trades.get(tradeNumber(orderId))!.refunds.values()].map((r) => r.refundFen)).toEqual([totalFen]);
    expect(await stockOf(productId)).toBe(stockBefore); // a refund is money back, not stock back
  });


});
