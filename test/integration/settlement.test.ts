import { beforeEach, describe, expect, it } from 'vitest';
import { settlementStore } from '../../functions/adapters/settlement-store.js';
import type { SettlementDeps } from '../../functions/settlement/ports.js';
import { isBalanced, payoutFor } from '../../functions/domain/settlement.js';
import { handler as refundHandler } from '../../functions/settlement/refund-order.js';
import { handler as decideRefund } from '../../functions/settlement/decide-refund.js';
import { handler as listRefunds } from '../../functions/settlement/list-refunds.js';
import { handler as getSettlement } from '../../functions/settlement/get-settlement.js';
import { handler as retryHandler } from '../../functions/settlement/retry-settlement.js';
import { handler as scheduleSettlement } from '../../functions/settlement/schedule-settlement.js';
import { settlementDeps } from '../../functions/settlement/deps.js';
import { LEASE_MS, MAX_ATTEMPTS, settleDue, settleShow } from '../../functions/settlement/service.js';
import { showEventForChange } from '../../functions/contracts/events.js';
import { showStore } from '../../functions/adapters/show-store.js';
import { apiEvent, invoke, lambdaContext, operatorAuth } from '../support/http.js';
import { useOwnTables } from '../support/fixtures.js';
import { domainEvents, streamRecords } from '../support/streams.js';
import { endedShow, ledgerFor, makeOrders, seedSellers, writeOrders } from '../support/settlement-data.js';

const MIN = 60_000;
const quiet = { onSettled: () => undefined, onError: () => undefined };
const at = (t: number) => ({ ...settlementDeps(), now: () => new Date(t) });

async function showEndedEvent(showId: string) {
  const show = (await showStore.getShow(showId))!;
  const e = showEventForChange({ ...show, status: 'LIVE' }, show)!;
  return { version: '0', id: crypto.randomUUID(), source: e.source, 'detail-type': e.detailType, time: e.time, resources: [], detail: e.detail, account: '1', region: 'ap-northeast-1' };
}

/** Registers the show and returns a clock just past its due time. */
async function registered(showId: string): Promise<number> {
  await scheduleSettlement(await showEndedEvent(showId), lambdaContext());
  return Date.parse((await settlementStore.get(showId))!.dueAt) + 1000;
}

const normalize = (items: Record<string, any>[], showId: string) => JSON.parse(JSON.stringify(items).replaceAll(showId, 'SHOW').replace(/"at":"[^"]+"/g, '"at":"AT"'));

beforeEach(useOwnTables);

describe('settlement on DynamoDB Local', () => {
  it('Show Ended delivered 10 times concurrently → one settlement; concurrent sweeps → settled once, one entry per seller', async () => {
    const sellers = await seedSellers(7);
    const showId = await endedShow();
    const orders = makeOrders(showId, sellers, 120);
    await writeOrders(orders);
    const event = await showEndedEvent(showId);
    const results = await Promise.all(Array.from({ length: 10 }, () => scheduleSettlement(event, lambdaContext())));
    expect(results.filter((r: any) => r.registered)).toHaveLength(1);
    const settlement = (await settlementStore.get(showId))!;
    expect(settlement).toMatchObject({ status: 'PENDING', sellerShareBps: 8000 });
    // the payment window (15 min reservation timeout + margin) must close first
    expect(Date.parse(settlement.dueAt) - Date.parse(settlement.registeredAt)).toBe(16 * MIN);
    expect(await settleShow(at(Date.parse(settlement.dueAt) - 1000), showId)).toBe('not-claimed');

    const t = Date.parse(settlement.dueAt) + 1000;
    const sweeps = await Promise.all(Array.from({ length: 5 }, () => settleDue(at(t), quiet)));
    expect(sweeps.reduce((n, s) => n + s.settled, 0)).toBe(1);
    const done = (await settlementStore.get(showId))!;
    const gross = orders.reduce((n, o) => n + o.totalFen, 0);
    expect(done).toMatchObject({ status: 'SETTLED', grossFen: gross, orderCount: 120, sellerCount: 7 });
    expect(done.sellerPayoutFen! + done.operationsFen!).toBe(gross);
    const ledger = await ledgerFor(showId);
    expect(ledger).toHaveLength(7);
    expect(ledger.every((e) => isBalanced(e as any))).toBe(true);
    expect(await settleShow(at(t + 1000), showId)).toBe('not-claimed'); // and never again
  });

  it('a crash after each write, then a retry, ends with the same ledger and statements as an uninterrupted run', async () => {
    const sellers = await seedSellers(120); // 3 chunks of 50 sellers
    const reference = await endedShow();
    await writeOrders(makeOrders(reference, sellers, 400, 42));
    const t0 = await registered(reference);
    expect(await settleShow(at(t0), reference)).toBe('settled');
    const expectedLedger = normalize(await ledgerFor(reference), reference);
    const expectedStatements = normalize((await settlementStore.getWithStatements(reference)).statements, reference);
    expect(expectedLedger).toHaveLength(120);

    const writesInARun = 1 /* claim */ + 3 /* chunks */ + 1; /* finish */
    for (let crashAfter = 1; crashAfter < writesInARun; crashAfter++) {
      const showId = await endedShow();
      await writeOrders(makeOrders(showId, sellers, 400, 42));
      const t = await registered(showId);
      await expect(settleShow({ ...at(t), ...crashing(settlementDeps(), crashAfter) }, showId)).rejects.toThrow('crash');
      expect((await settlementStore.get(showId))!.status).toBe('SETTLING');
      // the next sweep after the lease has run out resumes it
      expect(await settleShow(at(t + 1000), showId)).toBe('not-claimed');
      expect(await settleShow(at(t + LEASE_MS + 1000), showId)).toBe('settled');
      expect(normalize(await ledgerFor(showId), showId)).toEqual(expectedLedger);
      expect(normalize((await settlementStore.getWithStatements(showId)).statements, showId)).toEqual(expectedStatements);
      expect((await settlementStore.get(showId))!).toMatchObject({ status: 'SETTLED', orderCount: 400 });
    }
  });

  it('10,000 orders across 500 sellers settle, and the statement adds up to the fen', async () => {
    const sellers = await seedSellers(500);
    const showId = await endedShow();
    const orders = makeOrders(showId, sellers, 10_000, 7);
    await writeOrders(orders);
    const t = await registered(showId);
    expect(await settleShow(at(t), showId)).toBe('settled');
    const view = (await invoke(getSettlement, { path: `/shows/${showId}/settlement`, pathParameters: { showId } })).body;
    const gross = orders.reduce((n, o) => n + o.totalFen, 0);
    expect(view).toMatchObject({ showId, status: 'SETTLED', grossFen: gross, orderCount: 10_000, sellerShareBps: 8000 });
    expect(view.sellers).toHaveLength(500);
    expect(view.sellerPayoutFen + view.operationsFen).toBe(gross);
    expect(view.sellers.reduce((n: number, s: any) => n + s.payoutFen, 0)).toBe(view.sellerPayoutFen);
    for (const s of view.sellers) {
      expect(s.payoutFen).toBe(payoutFor(s.grossFen, 8000));
      expect(s.lines.reduce((n: number, l: any) => n + l.amountFen, 0)).toBe(s.grossFen);
    }
    expect(await ledgerFor(showId)).toHaveLength(500);
  });

  it('a show whose Show Ended never arrived (its delivery dead-lettered) is registered by the settlement sweep, then settled, once', async () => {
    const sellers = await seedSellers(3);
    const showId = await endedShow(); // ENDED, and nothing delivered to scheduleSettlement
    await writeOrders(makeOrders(showId, sellers, 7));
    expect(await settlementStore.get(showId)).toBeUndefined();
    const first = await settleDue(at(Date.now()), quiet);
    expect(first.registered).toBe(1);
    const registered = (await settlementStore.get(showId))!;
    expect(registered).toMatchObject({ status: 'PENDING', countyId: 'chengbu' });
    expect((await settleDue(at(Date.now()), quiet)).registered).toBe(0); // no longer awaiting
    expect((await settleDue(at(Date.parse(registered.dueAt) + 1000), quiet)).settled).toBe(1);
    expect(await settlementStore.get(showId)).toMatchObject({ status: 'SETTLED', orderCount: 7 });
  });

  it('FAILED after the last attempt; an operator re-run makes it due again', async () => {
    const sellers = await seedSellers(2);
    const showId = await endedShow();
    await writeOrders(makeOrders(showId, sellers, 5));
    let t = await registered(showId);
    const broken = { ...settlementDeps().book, writeSellers: async () => { throw new Error('disk on fire'); } } satisfies SettlementDeps['book'];
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await expect(settleShow({ ...at(t), book: broken }, showId)).rejects.toThrow('disk on fire');
      t += 2 * MIN;
    }
    expect(await settlementStore.get(showId)).toMatchObject({ status: 'FAILED', lastError: 'disk on fire' });
    expect((await settlementStore.due(new Date(t + 3_600_000))).map((s) => s.showId)).not.toContain(showId);
    const rerun = await invoke(retryHandler, { method: 'POST', pathParameters: { showId } });
    expect(rerun.status).toBe(202);
    expect((await invoke(retryHandler, { method: 'POST', pathParameters: { showId } })).body.error.code).toBe('SETTLEMENT_NOT_FAILED');
    expect((await settleDue(at(Date.now() + 1000), quiet)).settled).toBe(1);
    expect((await settlementStore.get(showId))!.status).toBe('SETTLED');
  });
});

describe('refunds', () => {
  it('before settlement the order simply drops out; after settlement a reversal adjusts the statement; twice is refused', async () => {
    const [coop, ent] = await seedSellers(2);
    const showId = await endedShow();
    const orders = makeOrders(showId, [coop!, ent!], 10, 3);
    await writeOrders(orders);
    const early = orders[0]!;
    const refundedEarly = await invoke(refundHandler, { method: 'POST', pathParameters: { orderId: early.orderId } });
    expect(refundedEarly.status).toBe(200);
    expect(refundedEarly.body.status).toBe('REFUNDED');

    const t = await registered(showId);
    expect(await settleShow(at(t), showId)).toBe('settled');
    const settled = (await invoke(getSettlement, { path: `/shows/${showId}/settlement`, pathParameters: { showId } })).body;
    const remaining = orders.slice(1);
    expect(settled.grossFen).toBe(remaining.reduce((n, o) => n + o.totalFen, 0));
    expect(settled.orderCount).toBe(9);

    // after settlement the farmers were counted their share: the refund waits for an operator of the county
    const late = orders[1]!;
    const res = await invoke(refundHandler, { method: 'POST', pathParameters: { orderId: late.orderId } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'PAID', refundApproval: 'PENDING' });
    const waiting = await invoke(listRefunds, { path: '/refunds', authorizer: operatorAuth('chengbu') });
    expect(waiting.body.refunds.map((r: { orderId: string }) => r.orderId)).toContain(late.orderId);
    const otherCounty = await invoke(decideRefund, { method: 'POST', pathParameters: { orderId: late.orderId }, body: { approve: true }, authorizer: operatorAuth('xinhuang') });
    expect(otherCounty.status).toBe(404);
    const approved = await invoke(decideRefund, { method: 'POST', pathParameters: { orderId: late.orderId }, body: { approve: true }, authorizer: operatorAuth('chengbu') });
    expect(approved.body).toMatchObject({ status: 'REFUNDED', refundApproval: 'APPROVED' });
    expect((await invoke(listRefunds, { path: '/refunds', authorizer: operatorAuth('chengbu') })).body.refunds.map((r: { orderId: string }) => r.orderId)).not.toContain(late.orderId);
    expect((await invoke(refundHandler, { method: 'POST', pathParameters: { orderId: late.orderId } })).body.error.code).toBe('ORDER_STATE_CONFLICT');
    // a refused one stays paid, and counted
    const kept = orders[2]!;
    await invoke(refundHandler, { method: 'POST', pathParameters: { orderId: kept.orderId } });
    expect((await invoke(decideRefund, { method: 'POST', pathParameters: { orderId: kept.orderId }, body: { approve: false }, authorizer: operatorAuth('chengbu') })).body).toMatchObject({ status: 'PAID', refundApproval: 'REFUSED' });
    expect((await invoke(refundHandler, { method: 'POST', pathParameters: { orderId: kept.orderId } })).body).toMatchObject({ status: 'PAID', refundApproval: 'REFUSED' });

    const adjusted = (await invoke(getSettlement, { path: `/shows/${showId}/settlement`, pathParameters: { showId } })).body;
    expect(adjusted.grossFen).toBe(settled.grossFen); // the settlement itself is never edited
    expect(adjusted.adjustments).toHaveLength(1);
    const adjustment = adjusted.adjustments[0];
    expect(adjustment.orderId).toBe(late.orderId);
    expect(adjustment.reversals.reduce((n: number, r: any) => n + r.refundFen, 0)).toBe(late.totalFen);
    expect(adjusted.net.grossFen).toBe(settled.grossFen - late.totalFen);
    expect(adjusted.net.sellerPayoutFen + adjusted.net.operationsFen).toBe(adjusted.net.grossFen);
    for (const s of adjusted.sellers) expect(s.net.payoutFen).toBe(payoutFor(s.net.grossFen, 8000));

    const ledger = await ledgerFor(showId);
    const reversals = ledger.filter((e) => e.kind === 'reversal');
    expect(reversals.length).toBe(adjustment.reversals.length);
    expect(reversals.every((e) => isBalanced(e as any) && e.orderId === late.orderId)).toBe(true);
    expect(ledger.filter((e) => e.kind === 'payout')).toHaveLength(2);

    // the settlements table stream carries exactly one Show Settled and one Settlement Adjusted
    const events = await domainEvents((await streamRecords(process.env.SETTLEMENTS_TABLE!)).filter((r) => r.dynamodb?.Keys?.pk?.S === `SETTLEMENT#${showId}`));
    expect(events.map((e) => e.detailType)).toEqual(['Show Settled', 'Settlement Adjusted']);
    expect(events[0]!.detail).toMatchObject({ showId, grossFen: settled.grossFen, sellerPayoutFen: settled.sellerPayoutFen, operationsFen: settled.operationsFen, orderCount: 9 });
    expect(events[1]!.detail).toMatchObject({ showId, orderId: late.orderId, refundFen: late.totalFen });
  });

  it('refunding every order of a seller reverses exactly the payout, never more', async () => {
    const [only] = await seedSellers(1);
    const showId = await endedShow();
    const orders = makeOrders(showId, [only!], 6, 9);
    await writeOrders(orders);
    expect(await settleShow(at(await registered(showId)), showId)).toBe('settled');
    await Promise.all(orders.map((o) => invoke(refundHandler, { method: 'POST', pathParameters: { orderId: o.orderId } })));
    await Promise.all(orders.map((o) => invoke(decideRefund, { method: 'POST', pathParameters: { orderId: o.orderId }, body: { approve: true }, authorizer: operatorAuth('chengbu') })));
    const view = (await invoke(getSettlement, { path: `/shows/${showId}/settlement`, pathParameters: { showId } })).body;
    expect(view.adjustments).toHaveLength(6);
    expect(view.sellers[0]).toMatchObject({ refundedFen: view.grossFen, payoutReversedFen: view.sellerPayoutFen });
    expect(view.net).toEqual({ grossFen: 0, sellerPayoutFen: 0, operationsFen: 0 });
  });

  it('the CSV statement: BOM, one row per seller, yuan with two decimals and fen, quoted names', async () => {
    const sellers = await seedSellers(3);
    const showId = await endedShow();
    await writeOrders(makeOrders(showId, sellers, 30, 5));
    expect(await settleShow(at(await registered(showId)), showId)).toBe('settled');
    const raw = await getSettlement(apiEvent({ path: `/shows/${showId}/settlement.csv`, pathParameters: { showId } }), lambdaContext());
    expect(raw.statusCode).toBe(200);
    expect((raw.headers as Record<string, string>)['content-type']).toBe('text/csv; charset=utf-8');
    expect(raw.body.startsWith('\uFEFFseller_id,seller_name,gross_yuan,gross_fen,payout_yuan,payout_fen')).toBe(true);
    const rows = raw.body.slice(1).trim().split('\r\n');
    expect(rows).toHaveLength(1 + 3);
    expect(rows[1]).toMatch(/^[^,]+-seller-0000,"城步合作社 0, ""Miao"" co-op",\d+\.\d{2},\d+,\d+\.\d{2},\d+,/);
    const view = (await invoke(getSettlement, { path: `/shows/${showId}/settlement`, pathParameters: { showId } })).body;
    const first = view.sellers[0];
    expect(rows[1]).toContain(`,${(first.grossFen / 100).toFixed(2)},${first.grossFen},`);
  });

  it('GET settlement of a show without one is 404', async () => {
    expect((await invoke(getSettlement, { path: '/shows/none/settlement', pathParameters: { showId: 'none' } })).status).toBe(404);
  });
});

/** The adapter seam: the process "dies" right after the n-th write; nothing after runs. */
function crashing(deps: SettlementDeps, n: number): Pick<SettlementDeps, 'settlements' | 'book'> {
  let writes = 0;
  const dead = () => { throw new Error('crash (process died)'); };
  const after = async <T>(p: Promise<T>) => {
    if (writes >= n) dead();
    const result = await p;
    if (++writes >= n) dead();
    return result;
  };
  const { settlements, book } = deps;
  return {
    settlements: {
      ...settlements,
      claim: (...a) => after(settlements.claim(...a)),
      finish: (...a) => after(settlements.finish(...a)),
      failAttempt: async () => dead(),
    },
    book: { ...book, writeSellers: (...a) => after(book.writeSellers(...a)) },
  };
}
