/**
 * Period reports for officials (pure): what a settled show or a refund after settlement adds to a
 * county's and the province's report of a week or month. Integer fen only; every contribution is
 * a commutative merge (sums, per-seller maximum, per-product sums), so applying the events in any
 * order gives the same report; the store applies each event once per report (a marker).
 *
 * Rules (documented in README, Reports):
 * - householdsReached: per seller, a registered-poor farmer 1, a cooperative or enterprise its
 *   householdsBroughtAlong (as on the statement, i.e. at the sale); each seller counted once per
 *   period: with its largest figure of the period's shows. The province's is the sum of its
 *   counties' (a seller belongs to one county).
 * - toRegisteredHouseholdsFen: the payouts (net of reversals) to sellers that reach registered
 *   households: registered-poor farmers, and cooperatives and enterprises bringing at least one
 *   household along (the whole payout of such a seller).
 * - toCertifiedProductsFen: of a seller's payout, the share of its certified lines:
 *   min(payout, ceil(certifiedGross × bps / 10000)) (the statement's rounding; the uncertified
 *   part is the rest, so the parts add up to the payout). A refund after settlement reverses
 *   floor(payoutReversal × certifiedGross / gross) of it (the seller's certified share of the
 *   statement; the refunded order's own lines are not read), the rest of the reversal is
 *   uncertified: exact integers that add up to the reversal.
 * - Top products: a county's item keeps every product sold in the period; the province's are
 *   its counties' added up when read (the province item stays small).
 * - A refund after settlement counts in the period of its own time: it lowers GMV, paid to
 *   sellers, operations and the two shares; orders paid, shows, sellers, households and top
 *   products stay as sold.
 */
import { householdsOf, type SellerFacts } from './facts.js';
import { payoutFor } from './settlement.js';

export interface SettledSeller {
  sellerId: string;
  facts?: SellerFacts;
  grossFen: number;
  payoutFen: number;
  operationsFen: number;
  lines: { productId: string; name: string; quantity: number; amountFen: number; certified?: boolean }[];
}

/** A settled show, as its settlement and statements have it. */
export interface SettledShow {
  eventId: string;
  showId: string;
  countyId: string;
  settledAt: string;
  sellerShareBps: number;
  orderCount: number;
  /** How long the show was live (startedAt → endedAt), in milliseconds. */
  liveMs: number;
  sellers: SettledSeller[];
}

/** A refund after settlement, with each seller's statement as settled. */
export interface SettlementAdjustment {
  eventId: string;
  showId: string;
  countyId: string;
  at: string;
  reversals: { sellerId: string; refundFen: number; payoutReversalFen: number; operationsReversalFen: number; statement?: SettledSeller }[];
}

export interface ProductFigures { name: string; nameAt: string; units: number; grossFen: number }

export interface Counters {
  showsHeld: number;
  liveMs: number;
  ordersPaid: number;
  gmvFen: number;
  paidToSellersFen: number;
  operationsFen: number;
  toRegisteredHouseholdsFen: number;
  toCertifiedProductsFen: number;
}

export interface CountySummary { gmvFen: number; paidToSellersFen: number; householdsReached: number; showsHeld: number; ordersPaid: number; sellers: number }

/** One report item: a county's or the province's week or month. */
export interface Report extends Counters {
  /** A county: each seller reached, with the households it counts for. */
  sellers: Record<string, number>;
  products: Record<string, ProductFigures>;
  /** The province: each county's summary. */
  counties: Record<string, CountySummary>;
  /** The latest event time applied. */
  updatedAt: string | null;
}

/** What one event adds: counters, sellers reached, products sold. */
export interface Contribution extends Counters {
  countyId: string;
  at: string;
  sellers: Record<string, number>;
  products: Record<string, ProductFigures>;
}

export const emptyReport = (): Report => ({
  showsHeld: 0, liveMs: 0, ordersPaid: 0, gmvFen: 0, paidToSellersFen: 0, operationsFen: 0, toRegisteredHouseholdsFen: 0, toCertifiedProductsFen: 0,
  sellers: {}, products: {}, counties: {}, updatedAt: null,
});

const COUNTERS: (keyof Counters)[] = ['showsHeld', 'liveMs', 'ordersPaid', 'gmvFen', 'paidToSellersFen', 'operationsFen', 'toRegisteredHouseholdsFen', 'toCertifiedProductsFen'];

/** The certified part of a seller's payout: the statement's rounding on the certified lines, never more than the payout. */
export function certifiedPayoutFen(seller: SettledSeller, sellerShareBps: number): number {
  const certifiedGross = seller.lines.reduce((n, l) => n + (l.certified ? l.amountFen : 0), 0);
  return Math.min(seller.payoutFen, payoutFor(certifiedGross, sellerShareBps));
}

/** The certified part of a payout reversal: the seller's certified share of its statement, floored. */
export function certifiedReversalFen(statement: SettledSeller | undefined, payoutReversalFen: number): number {
  if (!statement || statement.grossFen <= 0) return 0;
  const certifiedGross = statement.lines.reduce((n, l) => n + (l.certified ? l.amountFen : 0), 0);
  return Number((BigInt(payoutReversalFen) * BigInt(certifiedGross)) / BigInt(statement.grossFen));
}

export function settledContribution(show: SettledShow): Contribution {
  const c: Contribution = {
    countyId: show.countyId, at: show.settledAt, showsHeld: 1, liveMs: Math.max(0, show.liveMs), ordersPaid: show.orderCount,
    gmvFen: 0, paidToSellersFen: 0, operationsFen: 0, toRegisteredHouseholdsFen: 0, toCertifiedProductsFen: 0, sellers: {}, products: {},
  };
  for (const s of show.sellers) {
    c.gmvFen += s.grossFen;
    c.paidToSellersFen += s.payoutFen;
    c.operationsFen += s.operationsFen;
    const households = householdsOf(s.facts);
    if (households > 0) c.toRegisteredHouseholdsFen += s.payoutFen;
    c.toCertifiedProductsFen += certifiedPayoutFen(s, show.sellerShareBps);
    c.sellers[s.sellerId] = Math.max(c.sellers[s.sellerId] ?? 0, households);
    for (const l of s.lines) {
      const p = c.products[l.productId];
      if (p) {
        p.units += l.quantity;
        p.grossFen += l.amountFen;
      } else c.products[l.productId] = { name: l.name, nameAt: show.settledAt, units: l.quantity, grossFen: l.amountFen };
    }
  }
  return c;
}

export function adjustmentContribution(a: SettlementAdjustment): Contribution {
  const c: Contribution = {
    countyId: a.countyId, at: a.at, showsHeld: 0, liveMs: 0, ordersPaid: 0,
    gmvFen: 0, paidToSellersFen: 0, operationsFen: 0, toRegisteredHouseholdsFen: 0, toCertifiedProductsFen: 0, sellers: {}, products: {},
  };
  for (const r of a.reversals) {
    c.gmvFen -= r.refundFen;
    c.paidToSellersFen -= r.payoutReversalFen;
    c.operationsFen -= r.operationsReversalFen;
    if (householdsOf(r.statement?.facts) > 0) c.toRegisteredHouseholdsFen -= r.payoutReversalFen;
    c.toCertifiedProductsFen -= certifiedReversalFen(r.statement, r.payoutReversalFen);
  }
  return c;
}

const laterName = (a: ProductFigures, b: ProductFigures) => (a.nameAt > b.nameAt || (a.nameAt === b.nameAt && a.name > b.name) ? a : b);

/** A county's summary, for the province's comparison. */
export function countySummary(r: Report): CountySummary {
  const sellers = Object.values(r.sellers);
  return { gmvFen: r.gmvFen, paidToSellersFen: r.paidToSellersFen, householdsReached: sellers.reduce((n, h) => n + h, 0), showsHeld: r.showsHeld, ordersPaid: r.ordersPaid, sellers: sellers.length };
}

/**
 * Adds a contribution to a report: counters summed, sellers merged by their largest household
 * figure, products summed (the name of the latest sale). For the province, `county` is that
 * county's report after the same contribution: its summary replaces the one kept.
 */
export function applyContribution(report: Report, c: Contribution, county?: Report): Report {
  const next: Report = { ...report, sellers: { ...report.sellers }, products: { ...report.products }, counties: { ...report.counties } };
  for (const k of COUNTERS) next[k] = report[k] + c[k];
  if (!county) for (const [id, h] of Object.entries(c.sellers)) next.sellers[id] = Math.max(next.sellers[id] ?? 0, h);
  // the province keeps no products (an item holds at most 400 KB): its top products are merged from its counties' at reading
  for (const [id, p] of county ? [] : Object.entries(c.products)) {
    const had = next.products[id];
    next.products[id] = had ? { ...laterName(had, p), units: had.units + p.units, grossFen: had.grossFen + p.grossFen } : { ...p };
  }
  if (county) next.counties[c.countyId] = countySummary(county);
  next.updatedAt = report.updatedAt === null || c.at > report.updatedAt ? c.at : report.updatedAt;
  return next;
}

/** Products of several reports (the province's counties) added up. */
export function mergeProducts(reports: Report[]): Record<string, ProductFigures> {
  const out: Record<string, ProductFigures> = {};
  for (const r of reports) {
    for (const [id, p] of Object.entries(r.products)) {
      const had = out[id];
      out[id] = had ? { ...laterName(had, p), units: had.units + p.units, grossFen: had.grossFen + p.grossFen } : { ...p };
    }
  }
  return out;
}

/** The report as the API answers it. */
export function reportFigures(r: Report, scope: 'county' | 'province') {
  const counties = Object.entries(r.counties).sort(([a], [b]) => a.localeCompare(b));
  const sellers = scope === 'county' ? Object.values(r.sellers) : counties.map(([, s]) => s.sellers);
  const households = scope === 'county' ? Object.values(r.sellers).reduce((n, h) => n + h, 0) : counties.reduce((n, [, s]) => n + s.householdsReached, 0);
  return {
    showsHeld: r.showsHeld,
    hoursLive: Math.round(r.liveMs / 360_000) / 10,
    ordersPaid: r.ordersPaid,
    gmvFen: r.gmvFen,
    paidToSellersFen: r.paidToSellersFen,
    operationsFen: r.operationsFen,
    sellers: scope === 'county' ? sellers.length : sellers.reduce((n, s) => n + s, 0),
    householdsReached: households,
    toRegisteredHouseholdsFen: r.toRegisteredHouseholdsFen,
    toCertifiedProductsFen: r.toCertifiedProductsFen,
    topProducts: Object.entries(r.products)
      .map(([productId, p]) => ({ productId, name: p.name, units: p.units, grossFen: p.grossFen }))
      .sort((a, b) => b.grossFen - a.grossFen || b.units - a.units || a.productId.localeCompare(b.productId))
      .slice(0, 10),
    ...(scope === 'province'
      ? { counties: counties.map(([countyId, s]) => ({ countyId, gmvFen: s.gmvFen, paidToSellersFen: s.paidToSellersFen, householdsReached: s.householdsReached, showsHeld: s.showsHeld, ordersPaid: s.ordersPaid })) }
      : {}),
    updatedAt: r.updatedAt,
  };
}
