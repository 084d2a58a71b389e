/**
 * Reconciliation on DynamoDB Local against the WeChat Pay stand-in's bills: a day whose bills
 * match the books is CLEAN; each kind of mismatch planted in the stand-in's bills is found once,
 * kept, published once (the settlements table's stream) and answered by GET /reconciliation/{date}
 * to province admins only; a re-run finds the same ones and publishes nothing new.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { chinaDay } from '../../functions/adapters/payout-store.js';
import { tradeNumber } from '../../functions/adapters/wechatpay/client.js';
import { handler as createSeller } from '../../functions/catalog/create-seller.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { handler as startPayment } from '../../functions/payments/start-payment.js';
import { handler as startPayouts } from '../../functions/payouts/start-payouts.js';
import { handler as sweepPayouts } from '../../functions/payouts/sweep-payouts.js';
import { handler as reconciliation } from '../../functions/reconciliation/reconciliation.js';
import { handler as refund } from '../../functions/settlement/refund-order.js';
import { settlementDeps } from '../../functions/settlement/deps.js';
import { settleShow } from '../../functions/settlement/service.js';
import { settlementStore } from '../../functions/adapters/settlement-store.js';
import { showStore } from '../../functions/adapters/show-store.js';
import { showEventForChange } from '../../functions/contracts/events.js';
import { handler as scheduleSettlement } from '../../functions/settlement/schedule-settlement.js';
import { testWechatPay } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { liveShowWithProduct, newKey, useOwnTables } from '../support/fixtures.js';
import { invoke, lambdaContext, operatorAuth, storefrontAuth, TEST_STOREFRONT } from '../support/http.js';
import { endedShow, makeOrders, writeOrders } from '../support/settlement-data.js';
import { domainEvents, streamRecords } from '../support/streams.js';

const standIn = testWechatPay.wechatPay;
const viaProvider = storefrontAuth(TEST_STOREFRONT, 100_000, false);
const admin = operatorAuth();
const chengbu = operatorAuth('chengbu');
const today = () => chinaDay(new Date().toISOString());

/** An order paid through WeChat Pay: reserved, payment opened, paid in WeChat, notified. */
async function paidOrder(show: { showId: string; productId: string }) {
  const res = await invoke(reserve, { method: 'POST', path: '/orders', headers: { 'Idempotency-Key': newKey() }, body: { showId: show.showId, buyerRef: 'wx-buyer', items: [{ productId: show.productId, quantity: 1 }] }, authorizer: viaProvider });
  const orderId = res.body.orderId as string;
  await invoke(startPayment, { method: 'POST', path: `/orders/${orderId}/payment`, pathParameters: { orderId }, body: { payerOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, authorizer: viaProvider });
  standIn.pay(tradeNumber(orderId));
  await testWechatPay.settled();
  await eventually(async () => expect((await invoke(getOrder, { pathParameters: { orderId }, authorizer: viaProvider })).body.status).toBe('PAID'));
  return orderId;
}

/** A farmer's payout made by WeChat transfer and SUCCEEDED. */
async function paidOutFarmer() {
  const res = await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: '刘', kind: 'farmer', payee: { kind: 'wechat', openid: `oRecon${randomUUID().slice(0, 12)}`, realName: '刘' } }, authorizer: chengbu });
  const sellerId = res.body.sellerId as string;
  const showId = await endedShow(randomUUID());
  await writeOrders(makeOrders(showId, [sellerId], 4, 3));
  const show = (await showStore.getShow(showId))!;
  const e = showEventForChange({ ...show, status: 'LIVE' }, show)!;
  await scheduleSettlement({ version: '0', id: randomUUID(), source: e.source, 'detail-type': e.detailType, time: e.time, resources: [], detail: e.detail, account: '1', region: 'ap-northeast-1' }, lambdaContext());
  const due = Date.parse((await settlementStore.get(showId))!.dueAt) + 1000;
  expect(await settleShow({ ...settlementDeps(), now: () => new Date(due) }, showId)).toBe('settled');
  await startPayouts({ version: '0', id: randomUUID(), source: 'county-live.settlements', 'detail-type': 'Show Settled', time: new Date().toISOString(), resources: [], account: '1', region: 'ap-northeast-1', detail: { eventId: `${showId}:SETTLED`, showId, countyId: 'chengbu', sellerShareBps: 8000, grossFen: 1, sellerPayoutFen: 1, operationsFen: 0, sellerCount: 1, orderCount: 1, settledAt: new Date().toISOString() } }, lambdaContext());
  const reference = [...standIn.transfers.values()].at(-1)!.outBillNo;
  await eventually(() => expect(standIn.transfers.get(reference)?.state).toBe('SUCCESS'));
  await sweepPayouts({}, lambdaContext());
  return reference;
}

const run = (date: string, authorizer = admin) => invoke(reconciliation, { method: 'POST', path: `/reconciliation/${date}`, pathParameters: { date }, authorizer });
const read = (date: string, authorizer = admin) => invoke(reconciliation, { path: `/reconciliation/${date}`, pathParameters: { date }, authorizer });

beforeEach(async () => {
  await useOwnTables();
  // a bill shows the whole merchant account's day: start the stand-in's day afresh for each case
  standIn.trades.clear();
  standIn.transfers.clear();
  Object.assign(standIn.billPlants, { payments: [], refunds: [], transfers: [], amounts: new Map(), hidden: new Set() });
});

describe('reconciliation', () => {
  it('a day whose bills match the books is CLEAN (payments, a refund, a transfer); province admins only', async () => {
    const show = await liveShowWithProduct(1000);
    const [kept, refunded] = [await paidOrder(show), await paidOrder(show)];
    await invoke(refund, { method: 'POST', pathParameters: { orderId: refunded }, authorizer: viaProvider });
    await eventually(async () => expect((await invoke(getOrder, { pathParameters: { orderId: refunded }, authorizer: viaProvider })).body.status).toBe('REFUNDED'));
    await paidOutFarmer();

    expect((await read(today())).body.error.code).toBe('NOT_FOUND');
    expect((await run(today(), chengbu)).status).toBe(403);
    const res = await run(today());
    expect(res.status).toBe(200);
    expect(res.body.reconciliation).toMatchObject({ day: today(), status: 'CLEAN', mismatchCount: 0, runs: 1, checked: { payments: 2, refunds: 1, transfers: 1, payouts: 1 } });
    expect(res.body.mismatches).toEqual([]);
    expect((await read(today())).body.reconciliation.status).toBe('CLEAN');
    expect((await read(today(), chengbu)).status).toBe(403);
    expect((await run('2999-01-01')).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'date' });
    expect((await read('2026-13-01')).status).toBe(400);
    void kept;
  });

  it('each kind of mismatch planted in the bills is found, kept and published once; a re-run finds the same and publishes nothing new', async () => {
    const show = await liveShowWithProduct(1000);
    const [a, b, c] = [await paidOrder(show), await paidOrder(show), await paidOrder(show)];
    await invoke(refund, { method: 'POST', pathParameters: { orderId: c }, authorizer: viaProvider });
    await eventually(async () => expect((await invoke(getOrder, { pathParameters: { orderId: c }, authorizer: viaProvider })).body.status).toBe('REFUNDED'));
    const [shorted, hidden] = [await paidOutFarmer(), await paidOutFarmer()];
    const now = new Date().toISOString();
    const plants = standIn.billPlants;
    const stranger = randomUUID();
    plants.payments.push({ outTradeNo: tradeNumber(stranger), transactionId: '4200000000000000000000000001', amountFen: 999, at: now });
    plants.amounts.set(tradeNumber(a), 1); // WeChat took 0.01 yuan for order a
    plants.refunds.push({ outTradeNo: tradeNumber(b), transactionId: standIn.trades.get(tradeNumber(b))!.transactionId!, outRefundNo: `R${tradeNumber(b)}`, amountFen: 2990, at: now });
    plants.amounts.set(`R${tradeNumber(c)}`, 100);
    plants.transfers.push({ outBillNo: 'POnotours0000000000000000000001', billNo: '1330000000000000000000000001', amountFen: 5000, at: now });
    plants.amounts.set(shorted, 12);
    plants.hidden.add(hidden);

    const first = (await run(today())).body;
    expect(first.reconciliation).toMatchObject({ status: 'MISMATCHES', mismatchCount: 7 });
    const found = Object.fromEntries(first.mismatches.map((m: { kind: string; ref: string }) => [m.kind, m.ref]));
    expect(found).toEqual({
      PAID_THERE_NOT_HERE: stranger,
      PAYMENT_AMOUNT_DIFFERS: a,
      REFUND_THERE_NOT_HERE: `R${tradeNumber(b)}`,
      REFUND_AMOUNT_DIFFERS: `R${tradeNumber(c)}`,
      TRANSFER_NOT_OURS: 'POnotours0000000000000000000001',
      TRANSFER_AMOUNT_DIFFERS: shorted,
      PAID_OUT_HERE_NOT_THERE: hidden,
    });
    expect(first.mismatches.find((m: { kind: string }) => m.kind === 'PAYMENT_AMOUNT_DIFFERS')).toMatchObject({ providerFen: 1, ourFen: 2990 });

    const second = (await run(today())).body;
    expect(second.reconciliation).toMatchObject({ status: 'MISMATCHES', mismatchCount: 7, runs: 2 });
    expect((await read(today())).body.mismatches).toHaveLength(7);
    // published once each, from the settlements table's stream
    const events = await domainEvents((await streamRecords(process.env.SETTLEMENTS_TABLE!)).filter((r) => r.dynamodb?.Keys?.pk?.S === `RECONCILIATION#${today()}`));
    expect(events.map((e) => e.detailType)).toEqual(Array(7).fill('Reconciliation Mismatch'));
    expect(new Set(events.map((e) => (e.detail as { kind: string }).kind)).size).toBe(7);

    // the bills corrected (the planted lines gone): a re-run is CLEAN and lists none of the resolved mismatches
    Object.assign(standIn.billPlants, { payments: [], refunds: [], transfers: [], amounts: new Map(), hidden: new Set() });
    const third = (await run(today())).body;
    expect(third.reconciliation).toMatchObject({ status: 'CLEAN', mismatchCount: 0, runs: 3 });
    expect(third.mismatches).toEqual([]);
    expect((await read(today())).body.mismatches).toEqual([]);
  });
});
