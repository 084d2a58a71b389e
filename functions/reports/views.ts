import { formatYuan } from '../domain/money.js';
import { reportFigures } from '../domain/report.js';
import { csvCell } from '../settlement/views.js';
import type { PeriodReport } from './service.js';

/** The report as the API answers it (the console reads exactly this shape). */
export function reportView({ scope, period, report }: PeriodReport) {
  const figures = reportFigures(report, scope.kind);
  return {
    scope: scope.kind,
    ...(scope.kind === 'county' ? { countyId: scope.countyId } : {}),
    period: period.key,
    periodKind: period.kind,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    ...figures,
  };
}

/**
 * The report for Excel: UTF-8 with a byte-order mark, CRLF, one figure a row (yuan with two
 * decimals and fen), then the top products, then (the province) its counties. Text cells a
 * spreadsheet would run as a formula are made plain text (csvCell).
 */
export function reportCsv(r: PeriodReport): string {
  const v = reportView(r);
  const rows: (string | number)[][] = [
    ['scope', v.scope], ...(v.countyId ? [['county_id', v.countyId]] : []), ['period', v.period], ['period_kind', v.periodKind], ['from', v.from], ['to', v.to],
    ['shows_held', v.showsHeld], ['hours_live', v.hoursLive.toFixed(1)], ['orders_paid', v.ordersPaid], ['sellers', v.sellers], ['households_reached', v.householdsReached],
    [],
    ['figure', 'yuan', 'fen'],
    ...([
      ['gmv', v.gmvFen], ['paid_to_sellers', v.paidToSellersFen], ['operations', v.operationsFen],
      ['to_registered_households', v.toRegisteredHouseholdsFen], ['to_certified_products', v.toCertifiedProductsFen],
    ] as const).map(([name, fen]) => [name, formatYuan(fen), fen]),
    [],
    ['product_id', 'product_name', 'units', 'gross_yuan', 'gross_fen'],
    ...v.topProducts.map((p) => [p.productId, p.name, p.units, formatYuan(p.grossFen), p.grossFen]),
    ...(v.counties
      ? [[], ['county_id', 'gmv_yuan', 'gmv_fen', 'paid_to_sellers_yuan', 'paid_to_sellers_fen', 'households_reached', 'shows_held', 'orders_paid'],
        ...v.counties.map((c) => [c.countyId, formatYuan(c.gmvFen), c.gmvFen, formatYuan(c.paidToSellersFen), c.paidToSellersFen, c.householdsReached, c.showsHeld, c.ordersPaid])]
      : []),
  ];
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
