/**
 * Period reports kept from settlement events (property-based): delivered in any order, with
 * duplicates and concurrently, the reports are the same and equal a direct computation from the
 * settlements and adjustments; a refund in a later period counts in the period it happens in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { householdsOf, type SellerFacts } from '../../functions/domain/facts.js';
import { periodsOf } from '../../functions/domain/period.js';
import { emptyReport, type Report, reportFigures } from '../../functions/domain/report.js';
import { payoutFor, reversalFor } from '../../functions/domain/settlement.js';
import { reportId, type ReportsDeps, type ReportScope, type ReportStore } from '../../functions/reports/ports.js';
import { provinceReport, reportSettlementAdjusted, reportShowSettled } from '../../functions/reports/service.js';
import type { SettlementWithStatements, Statement } from '../../functions/settlement/ports.js';

const BPS = 8000;
const H = 3_600_000;

interface GenShow {
  showId: string; countyId: string; settledAt: string; liveMs: number; orderCount: number;
  statements: Statement[];
}
interface GenAdjustment { eventId: string; showId: string; countyId: string; at: string; reversals: { sellerId: string; refundFen: number; payoutReversalFen: number; operationsReversalFen: number }[] }

const SELLERS = ['s1', 's2', 's3', 's4', 's5'];
const factsArb: fc.Arbitrary<SellerFacts> = fc.oneof(
  fc.boolean().map((registeredPoor) => ({ kind: 'farmer' as const, registeredPoor })),
  fc.nat(40).map((householdsBroughtAlong) => ({ kind: 'cooperative' as const, householdsBroughtAlong })),
);
// 2026-11-20 … 2027-01-20 (China time): months and ISO weeks, across the year's end (2026-W53)
const START = Date.parse('2026-11-20T00:00:00+08:00');
const instant = (span: number) => fc.integer({ min: 0, max: span }).map((ms) => START + ms);

const showArb = (i: number) =>
  fc.record({
    county: fc.constantFrom('chengbu', 'suining'),
    settledAt: instant(60 * 24 * H),
    liveMs: fc.integer({ min: 0, max: 5 * H }),
    orderCount: fc.integer({ min: 1, max: 50 }),
    sellers: fc.uniqueArray(
      fc.record({
        seller: fc.constantFrom(...SELLERS),
        facts: factsArb,
        lines: fc.uniqueArray(fc.record({ product: fc.constantFrom('p1', 'p2', 'p3'), quantity: fc.integer({ min: 1, max: 9 }), price: fc.integer({ min: 1, max: 20_000 }), certified: fc.boolean() }), { minLength: 1, maxLength: 3, selector: (l) => l.product }),
      }),
      { minLength: 1, maxLength: 4, selector: (s) => s.seller },
    ),
  }).map((g): GenShow => ({
    showId: `show${i}`, countyId: g.county, settledAt: new Date(g.settledAt).toISOString(), liveMs: g.liveMs, orderCount: g.orderCount,
    statements: g.sellers.map((s) => {
      // a seller and product belong to one county
      const sellerId = `${g.county}-${s.seller}`;
      const lines = s.lines.map((l) => ({ productId: `${sellerId}-${l.product}`, name: `${l.product} of ${sellerId}`, quantity: l.quantity, showPriceFen: l.price, amountFen: l.quantity * l.price, certified: l.certified }));
      const grossFen = lines.reduce((n, l) => n + l.amountFen, 0);
      const payoutFen = payoutFor(grossFen, BPS);
      return { showId: `show${i}`, sellerId, name: sellerId, facts: s.facts, grossFen, payoutFen, operationsFen: grossFen - payoutFen, lines, refundedFen: 0, payoutReversedFen: 0, operationsReversedFen: 0 };
    }),
  }));

/** Refunds after settlement: per show, a few, each later than the settlement (possibly another period), never beyond what is left. */
function adjustmentsOf(shows: GenShow[], picks: { show: number; delayMs: number; part: number }[]): GenAdjustment[] {
  const refunded = new Map<string, number>();
  const out: GenAdjustment[] = [];
  picks.forEach((p, k) => {
    const show = shows[p.show % shows.length]!;
    const st = show.statements[k % show.statements.length]!;
    const key = `${show.showId}/${st.sellerId}`;
    const before = refunded.get(key) ?? 0;
    const refundFen = Math.min(st.grossFen - before, 1 + Math.floor(((st.grossFen - before) * p.part) / 100));
    if (refundFen <= 0) return;
    const r = reversalFor(st.grossFen, before, refundFen, BPS, st.sellerId);
    refunded.set(key, before + refundFen);
    out.push({ eventId: `${show.showId}:adjustment:o${k}`, showId: show.showId, countyId: show.countyId, at: new Date(Date.parse(show.settledAt) + p.delayMs).toISOString(), reversals: [r] });
  });
  return out;
}

/** The reports table with its markers and versions, in memory (every call yields, so deliveries interleave). */
function memoryReports(): ReportStore & { all: Map<string, { report: Report; version: number }> } {
  const all = new Map<string, { report: Report; version: number }>();
  const markers = new Set<string>();
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return {
    all,
    async read(items) {
      await tick();
      const out = new Map<string, { report: Report; version: number }>();
      for (const i of items) { const r = all.get(reportId(i.scope, i.period)); if (r) out.set(reportId(i.scope, i.period), structuredClone(r)); }
      return out;
    },
    async get(scope, period) { await tick(); return structuredClone(all.get(reportId(scope, period))); },
    async apply(eventId, writes) {
      await tick();
      if (writes.some((w) => markers.has(`${reportId(w.scope, w.period)}/${eventId}`))) return 'already-applied';
      if (writes.some((w) => (all.get(reportId(w.scope, w.period))?.version ?? 0) !== w.readVersion)) return 'conflict';
      for (const w of writes) { markers.add(`${reportId(w.scope, w.period)}/${eventId}`); all.set(reportId(w.scope, w.period), { report: structuredClone(w.report), version: w.readVersion + 1 }); }
      return 'applied';
    },
  };
}

function depsFor(shows: GenShow[]): ReportsDeps & { store: ReturnType<typeof memoryReports> } {
  const byId = new Map(shows.map((s) => [s.showId, s]));
  const store = memoryReports();
  return {
    store,
    reports: store,
    settlements: {
      async getWithStatements(showId): Promise<SettlementWithStatements> {
        const s = byId.get(showId)!;
        return {
          settlement: { showId, countyId: s.countyId, status: 'SETTLED', sellerShareBps: BPS, registeredAt: s.settledAt, dueAt: s.settledAt, attempts: 1, settledAt: s.settledAt, orderCount: s.orderCount },
          statements: s.statements, adjustments: [],
        };
      },
    },
    shows: { async getShow(showId) { const s = byId.get(showId)!; return { startedAt: new Date(Date.parse(s.settledAt) - s.liveMs - 60_000).toISOString(), endedAt: new Date(Date.parse(s.settledAt) - 60_000).toISOString() }; } },
    now: () => new Date(),
  };
}

type Delivery = { kind: 'settled'; show: GenShow } | { kind: 'adjusted'; adjustment: GenAdjustment };
const deliver = (deps: ReportsDeps, d: Delivery) =>
  d.kind === 'settled' ? reportShowSettled(deps, { eventId: `${d.show.showId}:SETTLED`, showId: d.show.showId }) : reportSettlementAdjusted(deps, d.adjustment);

/** Straight from the settlements and adjustments: what each report must say. */
function expected(shows: GenShow[], adjustments: GenAdjustment[], scope: ReportScope, period: string) {
  const inScope = (countyId: string) => scope.kind === 'province' || scope.countyId === countyId;
  const inPeriod = (at: string) => Object.values(periodsOf(new Date(at))).includes(period);
  const ss = shows.filter((s) => inScope(s.countyId) && inPeriod(s.settledAt));
  const as = adjustments.filter((a) => inScope(a.countyId) && inPeriod(a.at));
  const statementOf = (a: GenAdjustment, sellerId: string) => shows.find((s) => s.showId === a.showId)!.statements.find((x) => x.sellerId === sellerId)!;
  const certGross = (st: Statement) => st.lines.filter((l) => l.certified).reduce((n, l) => n + l.amountFen, 0);
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
  const households = new Map<string, number>();
  const products = new Map<string, { productId: string; name: string; units: number; grossFen: number }>();
  for (const s of ss) for (const st of s.statements) {
    households.set(st.sellerId, Math.max(households.get(st.sellerId) ?? 0, householdsOf(st.facts)));
    for (const l of st.lines) {
      const p = products.get(l.productId) ?? { productId: l.productId, name: l.name, units: 0, grossFen: 0 };
      products.set(l.productId, { ...p, units: p.units + l.quantity, grossFen: p.grossFen + l.amountFen });
    }
  }
  const statements = ss.flatMap((s) => s.statements);
  const reversals = as.flatMap((a) => a.reversals.map((r) => ({ r, st: statementOf(a, r.sellerId) })));
  return {
    showsHeld: ss.length,
    hoursLive: Math.round(sum(ss, (s) => s.liveMs) / 360_000) / 10,
    ordersPaid: sum(ss, (s) => s.orderCount),
    gmvFen: sum(statements, (st) => st.grossFen) - sum(reversals, ({ r }) => r.refundFen),
    paidToSellersFen: sum(statements, (st) => st.payoutFen) - sum(reversals, ({ r }) => r.payoutReversalFen),
    operationsFen: sum(statements, (st) => st.operationsFen) - sum(reversals, ({ r }) => r.operationsReversalFen),
    sellers: households.size,
    householdsReached: [...households.values()].reduce((n, h) => n + h, 0),
    toRegisteredHouseholdsFen: sum(statements.filter((st) => householdsOf(st.facts) > 0), (st) => st.payoutFen) - sum(reversals.filter(({ st }) => householdsOf(st.facts) > 0), ({ r }) => r.payoutReversalFen),
    toCertifiedProductsFen: sum(statements, (st) => Math.min(st.payoutFen, payoutFor(certGross(st), BPS))) - sum(reversals, ({ r, st }) => Math.floor((r.payoutReversalFen * certGross(st)) / st.grossFen)),
    topProducts: [...products.values()].sort((a, b) => b.grossFen - a.grossFen || b.units - a.units || a.productId.localeCompare(b.productId)).slice(0, 10),
  };
}

const scenario = fc
  .integer({ min: 1, max: 6 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => showArb(i))))
  .chain((shows) =>
    fc.record({
      shows: fc.constant(shows),
      picks: fc.array(fc.record({ show: fc.nat(), delayMs: fc.integer({ min: 1000, max: 45 * 24 * H }), part: fc.integer({ min: 0, max: 100 }) }), { maxLength: 6 }),
    }),
  )
  .map(({ shows, picks }) => ({ shows, adjustments: adjustmentsOf(shows, picks) }));

describe('period reports from settlement events', () => {
  it('any order, duplicates and concurrency give the same reports, equal to a direct computation', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario.chain((s) => {
          const deliveries: Delivery[] = [...s.shows.map((show) => ({ kind: 'settled' as const, show })), ...s.adjustments.map((adjustment) => ({ kind: 'adjusted' as const, adjustment }))];
          return fc.record({
            s: fc.constant(s),
            order: fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length }),
            duplicates: fc.array(fc.constantFrom(...deliveries), { maxLength: 6 }),
            other: fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length }),
            parallel: fc.integer({ min: 1, max: 4 }),
          });
        }),
        async ({ s, order, duplicates, other, parallel }) => {
          const first = depsFor(s.shows);
          const queue = [...order, ...duplicates];
          await Promise.all(Array.from({ length: parallel }, async () => { for (let d = queue.shift(); d; d = queue.shift()) await deliver(first, d); }));
          const second = depsFor(s.shows);
          for (const d of [...other, ...other.slice(0, 2)]) await deliver(second, d);

          const keys = new Set([...first.store.all.keys(), ...second.store.all.keys()]);
          for (const key of keys) expect(first.store.all.get(key)?.report, key).toEqual(second.store.all.get(key)?.report);

          const periods = new Set([...s.shows.map((x) => x.settledAt), ...s.adjustments.map((a) => a.at)].flatMap((at) => Object.values(periodsOf(new Date(at)))));
          for (const period of periods) {
            for (const scope of [{ kind: 'province' as const }, { kind: 'county' as const, countyId: 'chengbu' }, { kind: 'county' as const, countyId: 'suining' }]) {
              const report = scope.kind === 'province'
                ? (await provinceReport(first, { subject: 'admin', provinceAdmin: true }, period)).report // its top products from its counties'
                : (first.store.all.get(reportId(scope, period))?.report ?? emptyReport());
              const { updatedAt, counties, ...figures } = reportFigures(report, scope.kind);
              void updatedAt; void counties;
              expect(figures, `${reportId(scope, period)}`).toEqual(expected(s.shows, s.adjustments, scope, period));
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a refund in a later period counts in the period it happens in, not the settlement\'s', async () => {
    const [show] = fc.sample(showArb(0), { numRuns: 1, seed: 7 });
    const settled = { ...show!, countyId: 'chengbu', settledAt: '2026-11-30T10:00:00.000Z' }; // 2026-11, 2026-W49
    const st = settled.statements[0]!;
    const r = reversalFor(st.grossFen, 0, st.grossFen, BPS, st.sellerId);
    const adjustment: GenAdjustment = { eventId: 'show0:adjustment:o1', showId: settled.showId, countyId: 'chengbu', at: '2027-01-02T03:00:00.000Z', reversals: [r] };
    const deps = depsFor([settled]);
    await deliver(deps, { kind: 'adjusted', adjustment });
    await deliver(deps, { kind: 'settled', show: settled });
    const county = (period: string) => deps.store.all.get(reportId({ kind: 'county', countyId: 'chengbu' }, period))!.report;
    const gross = settled.statements.reduce((n, x) => n + x.grossFen, 0);
    expect(county('2026-11').gmvFen).toBe(gross);
    expect(county('2026-W49').gmvFen).toBe(gross);
    expect(county('2027-01')).toMatchObject({ gmvFen: -st.grossFen, paidToSellersFen: -st.payoutFen, showsHeld: 0 });
    expect(county('2026-W53')).toMatchObject({ gmvFen: -st.grossFen, operationsFen: -st.operationsFen });
    expect(deps.store.all.get(reportId({ kind: 'county', countyId: 'chengbu' }, '2026-12'))).toBeUndefined();
  });
});
