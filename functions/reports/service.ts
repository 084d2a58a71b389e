/**
 * Report use cases: keep the county's and the province's week and month reports from the
 * settlement events (each event once per report, in any order, however often delivered), and
 * answer a period's report to the operators who may see it.
 */
import { mayActOnCounty, type Operator, requireProvinceAdmin } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { parsePeriod, type Period, periodsOf } from '../domain/period.js';
import { adjustmentContribution, applyContribution, type Contribution, emptyReport, mergeProducts, type Report, type SettledSeller, settledContribution } from '../domain/report.js';
import type { Statement } from '../settlement/ports.js';
import { reportId, type ReportScope, type ReportsDeps, type ReportWrite } from './ports.js';

/** Attempts when other events keep changing the same reports meanwhile. */
const MAX_ATTEMPTS = 20;

const asSettledSeller = (s: Statement): SettledSeller => ({
  sellerId: s.sellerId, facts: s.facts, grossFen: s.grossFen, payoutFen: s.payoutFen, operationsFen: s.operationsFen,
  lines: s.lines.map((l) => ({ productId: l.productId, name: l.name, quantity: l.quantity, amountFen: l.amountFen, certified: l.certified })),
});

export type ReportOutcome = 'applied' | 'already-applied';

/**
 * Adds one event's contribution to the 4 reports it touches (its county and the province, the
 * week and the month of its time), all in one transaction with a marker per report: read, add,
 * write IF each report is still as read and the marker is not there yet.
 */
async function applyToReports(deps: ReportsDeps, eventId: string, c: Contribution): Promise<ReportOutcome> {
  const { week, month } = periodsOf(new Date(c.at));
  const county: ReportScope = { kind: 'county', countyId: c.countyId };
  const province: ReportScope = { kind: 'province' };
  const targets = [week, month].flatMap((period) => [{ scope: county, period }, { scope: province, period }]);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await deps.reports.read(targets);
    const writes: ReportWrite[] = [];
    for (const period of [week, month]) {
      const c0 = stored.get(reportId(county, period));
      const p0 = stored.get(reportId(province, period));
      const countyNext = applyContribution(c0?.report ?? emptyReport(), c);
      writes.push({ scope: county, period, readVersion: c0?.version ?? 0, report: countyNext });
      writes.push({ scope: province, period, readVersion: p0?.version ?? 0, report: applyContribution(p0?.report ?? emptyReport(), c, countyNext) });
    }
    const outcome = await deps.reports.apply(eventId, writes);
    if (outcome !== 'conflict') return outcome;
    await new Promise((r) => setTimeout(r, Math.random() * 20 * (attempt + 1)));
  }
  throw new Error(`reports for event ${eventId} kept changing; the delivery is retried`);
}

/** A settled show counts in the reports of the week and month it was settled in. */
export async function reportShowSettled(deps: ReportsDeps, event: { eventId: string; showId: string }): Promise<ReportOutcome> {
  const record = await deps.settlements.getWithStatements(event.showId);
  const s = record.settlement;
  if (!s || s.status !== 'SETTLED' || !s.settledAt) throw new Error(`show ${event.showId} is not settled yet`);
  const show = await deps.shows.getShow(event.showId);
  const liveMs = show?.startedAt && show.endedAt ? Math.max(0, Date.parse(show.endedAt) - Date.parse(show.startedAt)) : 0;
  return applyToReports(deps, event.eventId, settledContribution({
    eventId: event.eventId, showId: s.showId, countyId: s.countyId, settledAt: s.settledAt, sellerShareBps: s.sellerShareBps,
    orderCount: s.orderCount ?? 0, liveMs, sellers: record.statements.map(asSettledSeller),
  }));
}

/** A refund after settlement counts in the reports of the week and month it happened in. */
export async function reportSettlementAdjusted(
  deps: ReportsDeps,
  event: { eventId: string; showId: string; at: string; reversals: { sellerId: string; refundFen: number; payoutReversalFen: number; operationsReversalFen: number }[] },
): Promise<ReportOutcome> {
  const record = await deps.settlements.getWithStatements(event.showId);
  if (!record.settlement) throw new Error(`show ${event.showId} has no settlement`);
  const statements = new Map(record.statements.map((s) => [s.sellerId, asSettledSeller(s)]));
  return applyToReports(deps, event.eventId, adjustmentContribution({
    eventId: event.eventId, showId: event.showId, countyId: record.settlement.countyId, at: event.at,
    reversals: event.reversals.map((r) => ({ ...r, statement: statements.get(r.sellerId) })),
  }));
}

export interface PeriodReport { scope: ReportScope; period: Period; report: Report }

function periodOf(key: string): Period {
  const period = parsePeriod(key);
  if (!period) throw new DomainError('VALIDATION_FAILED', 'query.period: must be a month (2026-11) or an ISO week (2026-W48) that exists', 'query.period');
  return period;
}

/** A county's report: its operators and province admins; another county's is refused. A period with nothing is all zeros. */
export async function countyReport(deps: Pick<ReportsDeps, 'reports'>, operator: Operator, countyId: string, periodKey: string): Promise<PeriodReport> {
  if (!mayActOnCounty(operator, countyId)) throw new DomainError('FORBIDDEN', `countyId: you operate county ${operator.countyId ?? '(none)'}, not ${countyId}`, 'countyId');
  const period = periodOf(periodKey);
  const scope: ReportScope = { kind: 'county', countyId };
  const stored = await deps.reports.get(scope, period.key);
  return { scope, period, report: stored?.report ?? emptyReport() };
}

/** The province's report: province admins only. */
export async function provinceReport(deps: Pick<ReportsDeps, 'reports'>, operator: Operator, periodKey: string): Promise<PeriodReport> {
  requireProvinceAdmin(operator);
  const period = periodOf(periodKey);
  const scope: ReportScope = { kind: 'province' };
  const report = (await deps.reports.get(scope, period.key))?.report ?? emptyReport();
  // its top products: its counties' reports of the period, added up (one BatchGetItem per 100 counties)
  const counties = Object.keys(report.counties).map((countyId) => ({ scope: { kind: 'county' as const, countyId }, period: period.key }));
  const countyReports = counties.length ? [...(await deps.reports.read(counties)).values()].map((r) => r.report) : [];
  return { scope, period, report: { ...report, products: mergeProducts(countyReports) } };
}
