/**
 * The period reports (`GET /reports/counties/{countyId}?period=`, `GET /reports/province?period=`)
 * and their CSV, typed from the generated schema (`PeriodReport`) and called through the console's
 * openapi-fetch client, so the bearer token and the 401 handling are the same as every other call.
 */
import { type Api, call, orNull, type Schemas } from './api.js';
import { shareBps } from './charts.js';

export type Report = Schemas['PeriodReport'];
export type TopProduct = Report['topProducts'][number];
export type CountyRow = NonNullable<Report['counties']>[number];

/** A county's report for a period (`2026-11` or `2026-W48`); null when the API has none (404). */
export async function fetchCountyReport(api: Api, countyId: string, period: string): Promise<Report | null> {
  return orNull(call(api.GET('/reports/counties/{countyId}', { params: { path: { countyId }, query: { period } } })));
}

/** The province's report for a period, with its per-county rows; null when the API has none. */
export async function fetchProvinceReport(api: Api, period: string): Promise<Report | null> {
  return orNull(call(api.GET('/reports/province', { params: { query: { period } } })));
}

/** The report's CSV as a Blob (fetched with the bearer token: a plain link would not carry it). */
export async function fetchReportCsv(api: Api, scope: { countyId: string } | 'province', period: string): Promise<Blob> {
  const blob =
    scope === 'province'
      ? await call(api.GET('/reports/province.csv', { params: { query: { period } }, parseAs: 'blob' }))
      : await call(api.GET('/reports/counties/{countyId}/report.csv', { params: { path: { countyId: scope.countyId }, query: { period } }, parseAs: 'blob' }));
  return blob as unknown as Blob;
}

/** A report of nothing (a period without settlements, or one the API does not know yet). */
export function emptyReport(scope: 'county' | 'province', period: string, kind: 'month' | 'week', range: { from: string; to: string }, countyId?: string): Report {
  return {
    scope,
    ...(countyId ? { countyId } : {}),
    period,
    periodKind: kind,
    from: range.from,
    to: range.to,
    showsHeld: 0,
    hoursLive: 0,
    ordersPaid: 0,
    gmvFen: 0,
    paidToSellersFen: 0,
    operationsFen: 0,
    sellers: 0,
    householdsReached: 0,
    toRegisteredHouseholdsFen: 0,
    toCertifiedProductsFen: 0,
    topProducts: [],
    ...(scope === 'province' ? { counties: [] } : {}),
    updatedAt: null,
  };
}

/**
 * A part of the payouts as an exact percent of paid-to-sellers, to 0.01% (integer fen, BigInt
 * rounding half away from zero): `(1234, 10000)` → `12.34%`; `—` when nothing was paid.
 */
export function shareOfPayouts(partFen: number, paidToSellersFen: number): string {
  const bps = shareBps(partFen, paidToSellersFen);
  if (bps === null) return '—';
  const abs = Math.abs(bps);
  return `${bps < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

/** Hours live with one decimal (`12.5`), in the language's digits. */
export function formatHours(hours: number, lang: string): string {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Number.isFinite(hours) ? hours : 0);
}
