import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { catalogStore } from '../../functions/adapters/catalog-store.js';
import { settlementStore } from '../../functions/adapters/settlement-store.js';
import { showStore } from '../../functions/adapters/show-store.js';
import { handler as createSeller } from '../../functions/catalog/create-seller.js';
import { handler as sellers } from '../../functions/catalog/sellers.js';
import { showEventForChange } from '../../functions/contracts/events.js';
import { householdsOf } from '../../functions/domain/facts.js';
import { periodsOf } from '../../functions/domain/period.js';
import { payoutFor } from '../../functions/domain/settlement.js';
import { handler as getReport } from '../../functions/reports/get-report.js';
import { handler as maintainReports } from '../../functions/reports/maintain-reports.js';
import { handler as decideRefund } from '../../functions/settlement/decide-refund.js';
import { settlementDeps } from '../../functions/settlement/deps.js';
import { handler as refundOrder } from '../../functions/settlement/refund-order.js';
import { handler as scheduleSettlement } from '../../functions/settlement/schedule-settlement.js';
import { settleShow } from '../../functions/settlement/service.js';
import { useOwnTables } from '../support/fixtures.js';
import { invoke, lambdaContext, operatorAuth } from '../support/http.js';
import { testChannel } from '../support/env.js';
import { makeOrders, writeOrders } from '../support/settlement-data.js';
import { domainEvents, streamRecords } from '../support/streams.js';

const chengbu = operatorAuth('chengbu');
const admin = operatorAuth();
beforeEach(useOwnTables);

async function seller(body: object) {
  const res = await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: `seller ${randomUUID().slice(0, 6)}`, ...body }, authorizer: chengbu });
  expect(res.status).toBe(201);
  return res.body.sellerId as string;
}

async function settledShow(sellerIds: string[], orders: number, seed: number) {
  const showId = randomUUID();
  const now = new Date();
  await showStore.putShow({
    showId, countyId: 'chengbu', channelId: 'chengbu-main', channelArn: testChannel('chengbu-main').arn, title: 'Reported show', scheduledStart: now.toISOString(), status: 'ENDED',
    lineup: [], createdAt: now.toISOString(), streams: {}, startedAt: new Date(now.getTime() - 90 * 60_000).toISOString(), endedAt: now.toISOString(), version: 0,
  });
  const show = (await showStore.getShow(showId))!;
  await writeOrders(makeOrders(showId, sellerIds, orders, seed));
  const e = showEventForChange({ ...show, status: 'LIVE' }, show)!;
  await scheduleSettlement({ version: '0', id: randomUUID(), source: e.source, 'detail-type': e.detailType, time: e.time, resources: [], detail: e.detail, account: '1', region: 'ap-northeast-1' }, lambdaContext());
  const due = Date.parse((await settlementStore.get(showId))!.dueAt) + 1000;
  expect(await settleShow({ ...settlementDeps(), now: () => new Date(due) }, showId)).toBe('settled');
  return showId;
}

/** The shows' settlement events as the relay publishes them. */
async function settlementEvents(showIds: string[]) {
  const records = (await streamRecords(process.env.SETTLEMENTS_TABLE!)).filter((r) => showIds.some((id) => r.dynamodb?.Keys?.pk?.S === `SETTLEMENT#${id}`));
  return (await domainEvents(records))
    .filter((e) => e.detailType === 'Show Settled' || e.detailType === 'Settlement Adjusted')
    .map((e) => ({ version: '0', id: randomUUID(), source: e.source, 'detail-type': e.detailType, time: e.time, resources: [], account: '1', region: 'ap-northeast-1', detail: e.detail }));
}

const report = (countyId: string, period: string, authorizer = chengbu) =>
  invoke(getReport, { path: `/reports/counties/${countyId}`, pathParameters: { countyId }, queryStringParameters: { period }, authorizer });

describe('period reports on DynamoDB Local', () => {
  it("equal the period's settlements and adjustments; events twice, in any order, change nothing; a household edited later leaves the past report as it was", async () => {
    const poor = await seller({ kind: 'farmer', household: { registeredPoor: true } });
    const other = await seller({ kind: 'farmer', household: { registeredPoor: false } });
    const coop = await seller({ kind: 'cooperative', householdsBroughtAlong: 5 });
    await catalogStore.putProduct({ productId: `${poor}-p1`, sellerId: poor, countyId: 'chengbu', name: '脐橙', unit: '箱', priceFen: 100, stock: 0, povertyAlleviation: { certified: true }, createdAt: new Date().toISOString(), version: 1 });
    const first = await settledShow([poor, other, coop], 30, 3);
    const second = await settledShow([poor, coop], 20, 5);
    // a refund after settlement, approved by the county
    const orderId = `${first}-o1`;
    expect((await invoke(refundOrder, { method: 'POST', pathParameters: { orderId } })).body.refundApproval).toBe('PENDING');
    expect((await invoke(decideRefund, { method: 'POST', pathParameters: { orderId }, body: { approve: true }, authorizer: chengbu })).body.status).toBe('REFUNDED');

    const events = await settlementEvents([first, second]);
    expect(events.map((e) => e['detail-type']).sort()).toEqual(['Settlement Adjusted', 'Show Settled', 'Show Settled']);
    // at least once, in any order: backwards, then all again at once
    for (const e of [...events].reverse()) await maintainReports(e, lambdaContext());
    await Promise.all([...events, ...events].map((e) => maintainReports(e, lambdaContext())));

    const records = await Promise.all([first, second].map((id) => settlementStore.getWithStatements(id)));
    const settledAt = records[0]!.settlement!.settledAt!;
    for (const period of Object.values(periodsOf(new Date(settledAt)))) {
      const inPeriod = (at: string) => Object.values(periodsOf(new Date(at))).includes(period);
      const shows = records.filter((r) => inPeriod(r.settlement!.settledAt!));
      const statements = shows.flatMap((r) => r.statements);
      const reversals = records.flatMap((r) => r.adjustments.filter((a) => inPeriod(a.at)).flatMap((a) => a.reversals.map((x) => ({ x, st: r.statements.find((s) => s.sellerId === x.sellerId)! }))));
      const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
      const certified = (st: (typeof statements)[number]) => sum(st.lines.filter((l) => l.certified), (l) => l.amountFen);
      const res = await report('chengbu', period);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        scope: 'county', countyId: 'chengbu', period, periodKind: period.includes('W') ? 'week' : 'month',
        showsHeld: shows.length, hoursLive: 1.5 * shows.length, ordersPaid: sum(shows, (r) => r.settlement!.orderCount!),
        gmvFen: sum(statements, (s) => s.grossFen) - sum(reversals, ({ x }) => x.refundFen),
        paidToSellersFen: sum(statements, (s) => s.payoutFen) - sum(reversals, ({ x }) => x.payoutReversalFen),
        operationsFen: sum(statements, (s) => s.operationsFen) - sum(reversals, ({ x }) => x.operationsReversalFen),
        sellers: 3, householdsReached: 6,
        toRegisteredHouseholdsFen: sum(statements.filter((s) => s.sellerId !== other), (s) => s.payoutFen) - sum(reversals.filter(({ x }) => x.sellerId !== other), ({ x }) => x.payoutReversalFen),
        toCertifiedProductsFen: sum(statements, (s) => Math.min(s.payoutFen, payoutFor(certified(s), 8000))) - sum(reversals, ({ x, st }) => Math.floor((x.payoutReversalFen * certified(st)) / st.grossFen)),
      });
      expect(statements.find((s) => s.sellerId === poor)!.facts).toEqual({ kind: 'farmer', registeredPoor: true });
      expect(householdsOf(statements.find((s) => s.sellerId === coop)!.facts)).toBe(5);
      expect(res.body.topProducts.length).toBeLessThanOrEqual(10);
      expect(sum(res.body.topProducts as { grossFen: number }[], (p) => p.grossFen)).toBeLessThanOrEqual(sum(statements, (s) => s.grossFen));

      // the household edited afterwards, the events delivered again: the past report stays as it was
      const before = res.body;
      const v = (await invoke(sellers, { path: `/sellers/${poor}`, pathParameters: { sellerId: poor }, authorizer: chengbu })).body.version;
      expect((await invoke(sellers, { method: 'PATCH', path: `/sellers/${poor}`, pathParameters: { sellerId: poor }, body: { version: v, household: { registeredPoor: false } }, authorizer: chengbu })).status).toBe(200);
      for (const e of events) await maintainReports(e, lambdaContext());
      expect((await report('chengbu', period)).body).toEqual(before);

      const province = await invoke(getReport, { path: '/reports/province', queryStringParameters: { period }, authorizer: admin });
      expect(province.status).toBe(200);
      expect(province.body).toMatchObject({ scope: 'province', gmvFen: before.gmvFen, householdsReached: 6, sellers: 3, topProducts: before.topProducts });
      expect(province.body.counties).toEqual([{ countyId: 'chengbu', gmvFen: before.gmvFen, paidToSellersFen: before.paidToSellersFen, householdsReached: 6, showsHeld: before.showsHeld, ordersPaid: before.ordersPaid }]);
    }

    const month = periodsOf(new Date(settledAt)).month;
    const csv = await invoke(getReport, { path: `/reports/counties/chengbu/report.csv`, pathParameters: { countyId: 'chengbu' }, queryStringParameters: { period: month }, authorizer: chengbu });
    expect(csv.status).toBe(200);
    expect(csv.body.startsWith('\uFEFFscope,county\r\n')).toBe(true);
    const gmv = (await report('chengbu', month)).body.gmvFen as number;
    expect(csv.body).toContain(`\r\ngmv,${(gmv / 100).toFixed(2)},${gmv}\r\n`);
    expect(csv.body.endsWith('\r\n')).toBe(true);
  });

  it('authorization, an empty period, a bad period', async () => {
    expect((await report('chengbu', '2026-11', operatorAuth('suining'))).status).toBe(403);
    expect((await invoke(getReport, { path: '/reports/province', queryStringParameters: { period: '2026-11' }, authorizer: chengbu })).status).toBe(403);
    expect((await invoke(getReport, { path: '/reports/province.csv', queryStringParameters: { period: '2026-11' }, authorizer: chengbu })).status).toBe(403);
    const empty = await report('chengbu', '2020-W53', admin);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      scope: 'county', countyId: 'chengbu', period: '2020-W53', periodKind: 'week', from: '2020-12-27T16:00:00.000Z', to: '2021-01-03T16:00:00.000Z',
      showsHeld: 0, hoursLive: 0, ordersPaid: 0, gmvFen: 0, paidToSellersFen: 0, operationsFen: 0, sellers: 0, householdsReached: 0,
      toRegisteredHouseholdsFen: 0, toCertifiedProductsFen: 0, topProducts: [], updatedAt: null,
    });
    expect((await invoke(getReport, { path: '/reports/province', queryStringParameters: { period: '2026-12' }, authorizer: admin })).body).toMatchObject({ scope: 'province', counties: [], gmvFen: 0 });
    for (const period of ['2026-13', '2021-W53', 'november', '2026-11-01']) {
      const bad = await report('chengbu', period);
      expect(bad.status, period).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.period' });
    }
    const missing = await invoke(getReport, { path: '/reports/province', authorizer: admin });
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.period' });
  });
});
