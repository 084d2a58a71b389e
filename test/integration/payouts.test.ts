/**
 * Payouts on DynamoDB Local with the WeChat Pay stand-in: Show Settled (delivered twice, at once)
 * makes one payout per seller with a positive net payable; a farmer is paid by one WeChat transfer
 * (the sweep asks about it), a cooperative through the day's bank batch and the bank's answer; a
 * seller without a payee fails and is retried under the same id once corrected; the ledger moves
 * each payable to cash once and balances; views mask the payee; events are published.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { settlementStore } from '../../functions/adapters/settlement-store.js';
import { showStore } from '../../functions/adapters/show-store.js';
import { chinaDay, payoutStore } from '../../functions/adapters/payout-store.js';
import { handler as createSeller } from '../../functions/catalog/create-seller.js';
import { handler as setPayee } from '../../functions/catalog/set-payee.js';
import { showEventForChange } from '../../functions/contracts/events.js';
import { isBalanced } from '../../functions/domain/settlement.js';
import { handler as bankBatch } from '../../functions/payouts/bank-batch.js';
import { handler as bankReturns } from '../../functions/payouts/bank-returns.js';
import fc from 'fast-check';
import { handler as carryAdjustment } from '../../functions/payouts/carry-adjustment.js';
import { handler as refundOrder } from '../../functions/settlement/refund-order.js';
import { handler as decideRefund } from '../../functions/settlement/decide-refund.js';
import { handler as listPayouts } from '../../functions/payouts/list-payouts.js';
import { handler as payoutResult } from '../../functions/payouts/payout-result.js';
import { handler as retryPayout } from '../../functions/payouts/retry-payout.js';
import { handler as startPayouts } from '../../functions/payouts/start-payouts.js';
import { handler as sweepPayouts } from '../../functions/payouts/sweep-payouts.js';
import { settlementDeps } from '../../functions/settlement/deps.js';
import { handler as scheduleSettlement } from '../../functions/settlement/schedule-settlement.js';
import { settleShow } from '../../functions/settlement/service.js';
import { testWechatPay } from '../support/env.js';
import { eventually } from '../support/eventually.js';
import { useOwnTables } from '../support/fixtures.js';
import { apiEvent, invoke, lambdaContext, operatorAuth } from '../support/http.js';
import { endedShow, ledgerFor, makeOrders, writeOrders } from '../support/settlement-data.js';
import { domainEvents, streamRecords } from '../support/streams.js';

const standIn = testWechatPay.wechatPay;
const chengbu = operatorAuth('chengbu');
const admin = operatorAuth();

async function seller(name: string, kind: 'farmer' | 'cooperative', payee?: object) {
  const res = await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name, kind, ...(payee ? { payee } : {}) }, authorizer: chengbu });
  expect(res.status).toBe(201);
  return res.body.sellerId as string;
}

/** A show of these sellers, ended and settled (orders written as the order path leaves them). */
async function settledShow(sellerIds: string[], orderCount = 12) {
  const showId = await endedShow(randomUUID());
  const orders = makeOrders(showId, sellerIds, orderCount, 7);
  await writeOrders(orders);
  const show = (await showStore.getShow(showId))!;
  const e = showEventForChange({ ...show, status: 'LIVE' }, show)!;
  await scheduleSettlement({ version: '0', id: randomUUID(), source: e.source, 'detail-type': e.detailType, time: e.time, resources: [], detail: e.detail, account: '1', region: 'ap-northeast-1' }, lambdaContext());
  const due = Date.parse((await settlementStore.get(showId))!.dueAt) + 1000;
  expect(await settleShow({ ...settlementDeps(), now: () => new Date(due) }, showId)).toBe('settled');
  return showId;
}

const showSettled = (showId: string) => ({ version: '0', id: randomUUID(), source: 'county-live.settlements', 'detail-type': 'Show Settled', time: new Date().toISOString(), resources: [], account: '1', region: 'ap-northeast-1', detail: { eventId: `${showId}:SETTLED`, showId, countyId: 'chengbu', sellerShareBps: 8000, grossFen: 1, sellerPayoutFen: 1, operationsFen: 0, sellerCount: 1, orderCount: 1, settledAt: new Date().toISOString() } });
/** A refund after settlement: asked by the storefront, approved by an operator of the county. */
async function refundAfterSettlement(orderId: string) {
  expect((await invoke(refundOrder, { method: 'POST', pathParameters: { orderId } })).body.refundApproval).toBe('PENDING');
  expect((await invoke(decideRefund, { method: 'POST', pathParameters: { orderId }, body: { approve: true }, authorizer: chengbu })).body.status).toBe('REFUNDED');
}

/** The show's Settlement Adjusted events as the relay publishes them, delivered to the payouts' rule target. */
async function deliverAdjustments(showId: string) {
  const events = (await domainEvents((await streamRecords(process.env.SETTLEMENTS_TABLE!)).filter((r) => r.dynamodb?.Keys?.pk?.S === `SETTLEMENT#${showId}`))).filter((e) => e.detailType === 'Settlement Adjusted');
  for (const e of events) await carryAdjustment({ version: '0', id: randomUUID(), source: e.source, 'detail-type': e.detailType, time: e.time, resources: [], account: '1', region: 'ap-northeast-1', detail: e.detail }, lambdaContext());
  return events.length;
}

const netOf = async (showId: string, sellerId: string) => {
  const s = (await settlementStore.getWithStatements(showId)).statements.find((x) => x.sellerId === sellerId)!;
  return s.payoutFen - s.payoutReversedFen;
};
const payableOf = async (sellerId: string, showIds: string[]) => {
  let fen = 0;
  for (const showId of showIds) {
    for (const e of await ledgerFor(showId)) {
      expect(isBalanced(e as never)).toBe(true);
      for (const l of e.lines as { account: string; debitFen: number; creditFen: number }[]) if (l.account === `payable:seller:${sellerId}`) fen += l.creditFen - l.debitFen;
    }
  }
  return fen;
};

const payoutsOf = async (showId: string) => (await invoke(listPayouts, { pathParameters: { showId }, authorizer: chengbu })).body;

beforeEach(useOwnTables);

describe('payouts', () => {
  it('Show Settled twice at once: one payout per seller; farmer by one WeChat transfer, cooperative through the bank batch, no payee fails until corrected', async () => {
    const openid = `oFarmer${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    const farmer = await seller('杨秀英', 'farmer', { kind: 'wechat', openid, realName: '杨秀英' });
    const coop = await seller('城步脐橙合作社', 'cooperative', { kind: 'bank', accountName: '城步县脐橙专业合作社', accountNumber: '6228 4804 0256 4890 018', bank: '中国农业银行', branch: '城步支行' });
    const nobody = await seller('no payee yet', 'farmer');
    const showId = await settledShow([farmer, coop, nobody]);
    const statements = new Map((await settlementStore.getWithStatements(showId)).statements.map((s) => [s.sellerId, s.payoutFen]));

    await Promise.all([startPayouts(showSettled(showId), lambdaContext()), startPayouts(showSettled(showId), lambdaContext())]);
    let view = await payoutsOf(showId);
    const byseller = (v: typeof view) => new Map<string, any>(v.payouts.map((p: { sellerId: string }) => [p.sellerId, p]));
    expect(view.payouts).toHaveLength(3);
    const f = byseller(view).get(farmer);
    expect(f).toMatchObject({ payoutId: `payout:${showId}:${farmer}`, method: 'wechat', amountFen: statements.get(farmer), status: 'SUBMITTED', payee: { kind: 'wechat', realName: '杨**' } });
    expect(JSON.stringify(view)).not.toContain(openid);
    expect(byseller(view).get(coop)).toMatchObject({ method: 'bank', status: 'SUBMITTED', amountFen: statements.get(coop), payee: { accountNumber: '6228 **** **** 0018' } });
    expect(byseller(view).get(nobody)).toMatchObject({ status: 'FAILED', failure: expect.stringContaining('no payee') });
    // exactly one transfer asked of WeChat Pay, under the payout's reference
    expect([...standIn.transfers.values()].filter((t) => t.openid === openid).map((t) => [t.outBillNo, t.amountFen, t.realName])).toEqual([[f.reference, statements.get(farmer), '杨秀英']]);

    // the transfer finishes at WeChat Pay; the sweep asks (no notification was asked for) → SUCCEEDED, once
    await eventually(() => expect([...standIn.transfers.values()].find((t) => t.openid === openid)?.state).toBe('SUCCESS'));
    await Promise.all([sweepPayouts({}, lambdaContext()), sweepPayouts({}, lambdaContext())]);
    expect(byseller(await payoutsOf(showId)).get(farmer).status).toBe('SUCCEEDED');

    // the bank batch of the day: the cooperative's line with its account in full (province admin only)
    const day = chinaDay(new Date().toISOString());
    expect((await bankBatch(apiEvent({ path: '/payouts/bank-batch.csv', queryStringParameters: { date: day }, authorizer: chengbu }), lambdaContext())).statusCode).toBe(403);
    const csv = (await bankBatch(apiEvent({ path: '/payouts/bank-batch.csv', queryStringParameters: { date: day }, authorizer: admin }), lambdaContext())) as { statusCode: number; body: string };
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\uFEFFpayout_id,reference,payee_name,account_number,bank,branch,amount_yuan,amount_fen')).toBe(true);
    const line = csv.body.split('\r\n').find((l) => l.startsWith(`payout:${showId}:${coop}`))!;
    expect(line).toContain('6228480402564890018');
    expect(line).toContain(`${(statements.get(coop)! / 100).toFixed(2)},${statements.get(coop)}`);
    // the bank's answer, recorded by a province admin
    const coopId = `payout:${showId}:${coop}`;
    expect((await invoke(payoutResult, { method: 'POST', pathParameters: { payoutId: coopId }, body: { succeeded: true }, authorizer: chengbu })).status).toBe(403);
    expect((await invoke(payoutResult, { method: 'POST', pathParameters: { payoutId: coopId }, body: { succeeded: true }, authorizer: admin })).body.status).toBe('SUCCEEDED');

    // the seller without a payee: corrected, retried under the same id
    await invoke(setPayee, { method: 'PUT', pathParameters: { sellerId: nobody }, body: { kind: 'wechat', openid: 'oLatePayee000001', realName: '李四' }, authorizer: chengbu });
    const retried = await invoke(retryPayout, { method: 'POST', pathParameters: { payoutId: `payout:${showId}:${nobody}` }, authorizer: chengbu });
    expect(retried.body).toMatchObject({ status: 'SUBMITTED', attempts: 2 });
    await eventually(() => expect([...standIn.transfers.values()].find((t) => t.openid === 'oLatePayee000001')?.state).toBe('SUCCESS'));
    await sweepPayouts({}, lambdaContext());
    view = await payoutsOf(showId);
    expect(view.payouts.map((p: { status: string }) => p.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(view.paidOutFen).toBe([...statements.values()].reduce((n, v) => n + v, 0));
    // the settlement (JSON and CSV) says each seller's payout status
    const { handler: getSettlement } = await import('../../functions/settlement/get-settlement.js');
    const settled = (await invoke(getSettlement, { path: `/shows/${showId}/settlement`, pathParameters: { showId }, authorizer: chengbu })).body;
    expect(settled.sellers.map((s: { payoutStatus: string }) => s.payoutStatus)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const statementCsv = (await getSettlement(apiEvent({ path: `/shows/${showId}/settlement.csv`, rawPath: `/shows/${showId}/settlement.csv`, pathParameters: { showId }, authorizer: chengbu } as never), lambdaContext())) as { body: string };
    expect(statementCsv.body.split('\r\n')[0]!.endsWith(',payout_status')).toBe(true);
    expect(statementCsv.body.split('\r\n').slice(1, 4).every((row) => row.endsWith(',SUCCEEDED'))).toBe(true);

    // the ledger: each payable moved to cash once, every entry balanced, the show's payables at zero
    const ledger = await ledgerFor(showId);
    expect(ledger.every((e) => isBalanced(e as never))).toBe(true);
    expect(ledger.filter((e) => e.kind === 'paid-out')).toHaveLength(3);
    const payable = new Map<string, number>();
    for (const e of ledger) for (const l of e.lines as { account: string; debitFen: number; creditFen: number }[]) if (l.account.startsWith('payable:')) payable.set(l.account, (payable.get(l.account) ?? 0) + l.creditFen - l.debitFen);
    expect([...payable.values()]).toEqual([0, 0, 0]);

    // events: submitted, then succeeded (or failed, then submitted again), from the settlements table's stream
    const events = await domainEvents((await streamRecords(process.env.SETTLEMENTS_TABLE!)).filter((r) => String(r.dynamodb?.Keys?.sk?.S).startsWith('PAYOUT#') && r.dynamodb?.Keys?.pk?.S === `SETTLEMENT#${showId}`));
    const ofSeller = (s: string) => events.filter((e) => (e.detail as { sellerId: string }).sellerId === s).map((e) => e.detailType);
    expect(ofSeller(farmer)).toEqual(['Payout Submitted', 'Payout Succeeded']);
    expect(ofSeller(nobody)).toEqual(['Payout Failed', 'Payout Submitted', 'Payout Succeeded']);
  });

  it('a show whose Show Settled never arrived (dead-lettered): the payout sweep starts its payouts, once', async () => {
    const openid = `oLost${randomUUID().slice(0, 12)}`;
    const farmer = await seller('陈', 'farmer', { kind: 'wechat', openid, realName: '陈' });
    const showId = await settledShow([farmer]);
    expect((await payoutsOf(showId)).payouts).toEqual([]);
    await Promise.all([sweepPayouts({}, lambdaContext()), sweepPayouts({}, lambdaContext())]);
    expect((await payoutsOf(showId)).payouts).toMatchObject([{ status: expect.stringMatching(/^(SUBMITTED|SUCCEEDED)$/), method: 'wechat' }]);
    expect([...standIn.transfers.values()].filter((t) => t.openid === openid)).toHaveLength(1);
    // once all its payouts are made the show leaves the sweep's list: a later sweep starts nothing more
    await eventually(() => expect([...standIn.transfers.values()].find((t) => t.openid === openid)?.state).toBe('SUCCESS'));
    const after = (await sweepPayouts({}, lambdaContext())) as { showsStarted: number };
    expect(after.showsStarted).toBe(0);
    expect((await payoutsOf(showId)).payouts[0].status).toBe('SUCCEEDED');
  });

  it('WeChat Pay makes the transfer but the answer is lost (500): the payout stays PENDING, the sweep asks again under the same reference, one transfer', async () => {
    const openid = `oTimeout${randomUUID().slice(0, 12)}`;
    const farmer = await seller('刘', 'farmer', { kind: 'wechat', openid, realName: '刘' });
    const showId = await settledShow([farmer]);
    standIn.failAnswersAfterTransfer = 1;
    await expect(startPayouts(showSettled(showId), lambdaContext())).rejects.toThrow(); // EventBridge retries it, then the DLQ; the sweep is the backstop
    expect((await payoutsOf(showId)).payouts[0].status).toBe('PENDING');
    await sweepPayouts({}, lambdaContext());
    await startPayouts(showSettled(showId), lambdaContext()); // the retried event finds it submitted: nothing more
    expect([...standIn.transfers.values()].filter((t) => t.openid === openid)).toHaveLength(1);
    await eventually(() => expect([...standIn.transfers.values()].find((t) => t.openid === openid)?.state).toBe('SUCCESS'));
    await sweepPayouts({}, lambdaContext());
    expect((await payoutsOf(showId)).payouts[0].status).toBe('SUCCEEDED');
    expect((await ledgerFor(showId)).filter((e) => e.kind === 'paid-out')).toHaveLength(1);
  });

  it('a cooperative registered without a payee: FAILED, then its bank account is set, retried: in the bank batch as a bank payout', async () => {
    const coop = await seller('无账户合作社', 'cooperative');
    const showId = await settledShow([coop]);
    await startPayouts(showSettled(showId), lambdaContext());
    const payoutId = `payout:${showId}:${coop}`;
    expect((await payoutsOf(showId)).payouts[0]).toMatchObject({ status: 'FAILED' });
    await invoke(setPayee, { method: 'PUT', pathParameters: { sellerId: coop }, body: { kind: 'bank', accountName: '无账户合作社', accountNumber: '6217000012345678', bank: '中国建设银行', branch: '城步支行' }, authorizer: chengbu });
    expect((await invoke(retryPayout, { method: 'POST', pathParameters: { payoutId }, authorizer: chengbu })).body).toMatchObject({ status: 'SUBMITTED', method: 'bank', payee: { kind: 'bank', accountNumber: '6217 **** **** 5678' } });
    const csv = (await bankBatch(apiEvent({ path: '/payouts/bank-batch.csv', queryStringParameters: { date: chinaDay(new Date().toISOString()) }, authorizer: admin }), lambdaContext())) as { body: string };
    expect(csv.body).toContain(`${payoutId},`);
    expect(csv.body).toContain('6217000012345678');
  });

  it('a transfer the farmer must confirm waits, and says so; a refused transfer fails with WeChat\'s reason', async () => {
    const waiting = await seller('王大爷', 'farmer', { kind: 'wechat', openid: `oWait${randomUUID().slice(0, 12)}`, realName: '王大爷' });
    standIn.transferMode = 'await-confirmation';
    try {
      const showId = await settledShow([waiting]);
      await startPayouts(showSettled(showId), lambdaContext());
      const p = (await payoutsOf(showId)).payouts[0];
      expect(p).toMatchObject({ status: 'AWAITING_CONFIRMATION', awaiting: expect.stringContaining('confirms') });
      standIn.confirmTransfer(p.reference);
      await sweepPayouts({}, lambdaContext());
      expect((await payoutsOf(showId)).payouts[0].status).toBe('SUCCEEDED');

      standIn.transferMode = 'fail';
      const refused = await seller('赵', 'farmer', { kind: 'wechat', openid: `oFail${randomUUID().slice(0, 12)}`, realName: '赵' });
      const second = await settledShow([refused]);
      await startPayouts(showSettled(second), lambdaContext());
      const q = (await payoutsOf(second)).payouts[0];
      await eventually(() => expect(standIn.transfers.get(q.reference)?.state).toBe('FAIL'));
      await sweepPayouts({}, lambdaContext());
      expect((await payoutsOf(second)).payouts[0]).toMatchObject({ status: 'FAILED', failure: expect.stringContaining('PAYEE_ACCOUNT_ABNORMAL') });
    } finally {
      standIn.transferMode = 'succeed';
    }
  });

  it('a refund approved before the payout is fixed lowers it: the seller is paid what the statement owes now', async () => {
    const farmer = await seller('周', 'farmer'); // no payee yet: the payout fails before its amount is fixed
    const showId = await settledShow([farmer], 6);
    await startPayouts(showSettled(showId), lambdaContext());
    const before = (await payoutsOf(showId)).payouts[0];
    expect(before).toMatchObject({ status: 'FAILED', amountFen: await netOf(showId, farmer) });
    expect(before.fixedAt).toBeUndefined();

    const seen = (await payoutStore.statementDue(showId, farmer))!;
    await refundAfterSettlement(`${showId}-o0`);
    expect(await deliverAdjustments(showId)).toBe(1); // the payout is not fixed: nothing is carried
    const lowered = await netOf(showId, farmer);
    expect(lowered).toBeLessThan(before.amountFen);

    // fixing the amount from a statement read before the refund is refused (the refund's transaction changed it)
    expect(await payoutStore.retry(before)).toBe(true);
    const stale = { dueFen: seen.netFen, offsetFen: 0, amountFen: seen.netFen, offsets: [], fixedAt: new Date().toISOString() };
    expect(await payoutStore.fixAmount({ ...before, status: 'PENDING' }, seen.payoutReversedFen, stale, [])).toBe(false);
    expect((await payoutStore.get(before.payoutId))!.fixedAt).toBeUndefined();

    // the payee is set; the sweep submits the PENDING payout with the amount the statement owes now
    const openid = `oLowered${randomUUID().slice(0, 10)}`;
    await invoke(setPayee, { method: 'PUT', pathParameters: { sellerId: farmer }, body: { kind: 'wechat', openid, realName: '周' }, authorizer: chengbu });
    await sweepPayouts({}, lambdaContext());
    const retried = (await payoutsOf(showId)).payouts[0];
    expect(retried).toMatchObject({ amountFen: lowered, dueFen: lowered, offsetFen: 0, fixedAt: expect.any(String), attempts: 2 });
    expect([...standIn.transfers.values()].filter((t) => t.openid === openid).map((t) => t.amountFen)).toEqual([lowered]);
    await eventually(() => expect(standIn.transfers.get(retried.reference)?.state).toBe('SUCCESS'));
    await sweepPayouts({}, lambdaContext());
    expect(await payableOf(farmer, [showId])).toBe(0);
  });

  it('a refund after the payout is a receivable: taken off the seller\'s next payout (never a negative transfer), once however often the event arrives', async () => {
    const openid = `oCarry${randomUUID().slice(0, 12)}`;
    const farmer = await seller('吴', 'farmer', { kind: 'wechat', openid, realName: '吴' });
    const first = await settledShow([farmer], 6);
    await startPayouts(showSettled(first), lambdaContext());
    const paid = (await payoutsOf(first)).payouts[0];
    await eventually(() => expect(standIn.transfers.get(paid.reference)?.state).toBe('SUCCESS'));
    await sweepPayouts({}, lambdaContext());
    expect((await payoutsOf(first)).payouts[0].status).toBe('SUCCEEDED');

    // two refunds after the money left: the statement owes less than was paid
    await refundAfterSettlement(`${first}-o0`);
    await refundAfterSettlement(`${first}-o1`);
    await Promise.all([deliverAdjustments(first), deliverAdjustments(first)]); // each event twice, concurrently
    const owed = paid.amountFen - (await netOf(first, farmer));
    expect(owed).toBeGreaterThan(0);
    expect(await payableOf(farmer, [first])).toBe(-owed); // the payable is negative: a receivable

    // the seller's next show pays its statement less what is owed
    const second = await settledShow([farmer], 6);
    await startPayouts(showSettled(second), lambdaContext());
    const next = (await payoutsOf(second)).payouts[0];
    const due = await netOf(second, farmer);
    expect(next).toMatchObject({ dueFen: due, offsetFen: owed, amountFen: due - owed, offsets: [{ showId: first, fen: owed }] });
    expect(standIn.transfers.get(next.reference)?.amountFen).toBe(due - owed);
    await eventually(() => expect(standIn.transfers.get(next.reference)?.state).toBe('SUCCESS'));
    await sweepPayouts({}, lambdaContext());
    expect(await payableOf(farmer, [first, second])).toBe(0);

    // a receivable larger than the next statement: that payout is made whole by it (no transfer), the rest waits
    for (let i = 0; i < 6; i++) await refundAfterSettlement(`${second}-o${i}`); // everything of the second show refunded
    await deliverAdjustments(second);
    const third = await settledShow([farmer], 1);
    const small = await netOf(third, farmer);
    await startPayouts(showSettled(third), lambdaContext());
    const offset = (await payoutsOf(third)).payouts[0];
    expect(offset).toMatchObject({ status: 'SUCCEEDED', amountFen: 0, dueFen: small, offsetFen: small });
    expect(standIn.transfers.has(offset.reference)).toBe(false);
    // the second show was all refunded: its whole due is owed back (part of it was the first show's receivable, recovered), less what the third took
    expect(await payableOf(farmer, [first, second, third])).toBe(-(due - small));
  });

  it("the bank's return file: each line's answer on its payout, by payout id or reference; unfit lines refused and nothing changed; the same file twice changes nothing", async () => {
    const bank = (n: number) => ({ kind: 'bank', accountName: `合作社${n}`, accountNumber: `6228 4804 0256 4890 0${n}0`, bank: '中国农业银行', branch: '城步支行' });
    const coops = [await seller('甲社', 'cooperative', bank(1)), await seller('乙社', 'cooperative', bank(2)), await seller('丙社', 'cooperative', bank(3))];
    const showId = await settledShow(coops);
    await startPayouts(showSettled(showId), lambdaContext());
    const [a, b, c] = coops.map((id) => (async () => (await payoutsOf(showId)).payouts.find((p: { sellerId: string }) => p.sellerId === id))());
    const [pa, pb, pc] = [await a, await b, await c];
    expect([pa.status, pb.status, pc.status]).toEqual(['SUBMITTED', 'SUBMITTED', 'SUBMITTED']);
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    const file = [
      '\uFEFFpayout_id,reference,attempt,amount_yuan,result,reason',
      `${pa.payoutId},,1,${yuan(pa.amountFen)},成功,`,
      `,${pb.reference},1,${yuan(pb.amountFen)},FAILED,"账户已销户, account closed: 6228480402564890020"`,
      `,${pc.reference},1,${yuan(pc.amountFen + 1)},SUCCESS,`,
      `,PO${'0'.repeat(30)},1,1.00,SUCCESS,`,
    ].join('\r\n');
    const post = (body: unknown, authorizer = admin) => invoke(bankReturns, { method: 'POST', path: '/payouts/bank-returns', body, authorizer });
    expect((await post({ file }, chengbu)).status).toBe(403);
    const first = (await post({ file })).body;
    expect(first).toMatchObject({ lines: 4, succeeded: 1, failed: 1, already: 0, refused: 2 });
    expect(first.results.map((r: { outcome: string }) => r.outcome)).toEqual(['SUCCEEDED', 'FAILED', 'REFUSED', 'REFUSED']);
    expect(first.results[2].reason).toContain('differs');
    const view = new Map<string, any>((await payoutsOf(showId)).payouts.map((p: { sellerId: string }) => [p.sellerId, p]));
    expect(view.get(coops[0]!)).toMatchObject({ status: 'SUCCEEDED' });
    expect(view.get(coops[1]!)).toMatchObject({ status: 'FAILED', failure: 'bank: 账户已销户, account closed: 6228****0020' }); // an account number in the bank's words is masked
    expect(view.get(coops[2]!)).toMatchObject({ status: 'SUBMITTED' });
    const again = (await post({ file })).body;
    expect(again).toMatchObject({ succeeded: 0, failed: 0, already: 2, refused: 2 });
    expect((await ledgerFor(showId)).filter((e) => e.kind === 'paid-out')).toHaveLength(1);

    // the refused one is corrected and retried (attempt 2): the old file's FAILED answer no longer applies to it
    await invoke(setPayee, { method: 'PUT', pathParameters: { sellerId: coops[1]! }, body: bank(9), authorizer: chengbu });
    expect((await invoke(retryPayout, { method: 'POST', pathParameters: { payoutId: pb.payoutId }, authorizer: chengbu })).body).toMatchObject({ status: 'SUBMITTED', attempts: 2 });
    const stale = (await post({ file })).body;
    expect(stale.results[1]).toMatchObject({ outcome: 'REFUSED', reason: expect.stringContaining('attempt 2') });
    expect((await payoutStore.get(pb.payoutId))!.status).toBe('SUBMITTED');

    // a file without the columns it needs is refused whole, naming the field
    expect((await post({ file: 'ref,amount\r\nx,1' })).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'file' });
    // a line whose amount is not the payout's (or unreadable) never settles it, whatever its result and attempt say
    const line = fc.tuple(
      fc.constantFrom(pc.payoutId, pc.reference, 'PO123', ''),
      fc.constantFrom('1', '2', '0', 'x', ''),
      fc.oneof(fc.integer({ min: 1, max: 10_000_000 }).filter((f) => f !== pc.amountFen).map(yuan), fc.string({ maxLength: 8 })),
      fc.constantFrom('SUCCESS', 'FAILED', '成功', '失败', 'maybe', ''),
    );
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 5 }), async (rows) => {
      const text = ['payout_id,attempt,amount_yuan,result', ...rows.map((r) => r.map((x) => `"${x.replaceAll('"', '""')}"`).join(','))].join('\n');
      const res = await post({ file: text });
      expect(res.status).toBe(200);
      expect(res.body.succeeded + res.body.failed).toBe(0);
      expect((await payoutStore.get(pc.payoutId))!.status).toBe('SUBMITTED');
    }), { numRuns: 25 });
  });

  it('two payouts of one seller fixed at once take a receivable once between them', async () => {
    const openid = `oTwice${randomUUID().slice(0, 12)}`;
    const farmer = await seller('郑', 'farmer', { kind: 'wechat', openid, realName: '郑' });
    const first = await settledShow([farmer], 6);
    await startPayouts(showSettled(first), lambdaContext());
    const paid = (await payoutsOf(first)).payouts[0];
    for (let i = 0; i < 3; i++) await refundAfterSettlement(`${first}-o${i}`);
    await deliverAdjustments(first);
    const owed = paid.amountFen - (await netOf(first, farmer));
    expect(owed).toBeGreaterThan(0);

    const [a, b] = [await settledShow([farmer], 1), await settledShow([farmer], 1)];
    await Promise.all([startPayouts(showSettled(a), lambdaContext()), startPayouts(showSettled(b), lambdaContext()), sweepPayouts({}, lambdaContext())]);
    const fixed = [(await payoutsOf(a)).payouts[0], (await payoutsOf(b)).payouts[0]];
    const taken = fixed.reduce((n, p) => n + p.offsetFen, 0);
    expect(taken).toBe(Math.min(owed, fixed.reduce((n, p) => n + p.dueFen, 0)));
    for (const p of fixed) expect(p.amountFen).toBe(p.dueFen - p.offsetFen);
    const [receivable] = await payoutStore.receivablesOf(farmer).then((rs) => rs.length ? rs : [{ owedFen: owed, recoveredFen: owed }]);
    expect(receivable!.recoveredFen).toBe(taken);
  });
});
