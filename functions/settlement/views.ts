import type { SettlementWithStatements, Statement } from './ports.js';
import { formatYuan } from '../domain/money.js';

const net = (s: Statement) => ({
  grossFen: s.grossFen - s.refundedFen,
  payoutFen: s.payoutFen - s.payoutReversedFen,
  operationsFen: s.operationsFen - s.operationsReversedFen,
});

/** The settlement as the API shows it: as settled, plus adjustments and the net after them. */
export function settlementView(record: SettlementWithStatements) {
  const s = record.settlement!;
  const sellers = [...record.statements].sort((a, b) => a.sellerId.localeCompare(b.sellerId));
  const sum = (f: (x: Statement) => number) => sellers.reduce((n, x) => n + f(x), 0);
  return {
    showId: s.showId,
    countyId: s.countyId,
    status: s.status,
    sellerShareBps: s.sellerShareBps,
    dueAt: s.dueAt,
    ...(s.settledAt ? { settledAt: s.settledAt } : {}),
    // what went wrong stays in the logs: the view says only that an attempt failed
    ...(s.lastError && s.status !== 'SETTLED' ? { lastError: `attempt ${s.attempts} failed; the details are in the settle-shows function's logs` } : {}),
    grossFen: s.grossFen ?? 0,
    sellerPayoutFen: s.sellerPayoutFen ?? 0,
    operationsFen: s.operationsFen ?? 0,
    orderCount: s.orderCount ?? 0,
    sellers: s.status === 'SETTLED'
      ? sellers.map((x) => ({
          sellerId: x.sellerId,
          name: x.name,
          grossFen: x.grossFen,
          payoutFen: x.payoutFen,
          operationsFen: x.operationsFen,
          lines: x.lines,
          ...(x.facts ? { facts: x.facts } : {}),
          refundedFen: x.refundedFen,
          payoutReversedFen: x.payoutReversedFen,
          net: net(x),
          ...(record.payoutStatus?.[x.sellerId] ? { payoutStatus: record.payoutStatus[x.sellerId] } : {}),
        }))
      : [],
    adjustments: [...record.adjustments].sort((a, b) => a.at.localeCompare(b.at) || a.orderId.localeCompare(b.orderId)),
    net: s.status === 'SETTLED'
      ? { grossFen: sum((x) => net(x).grossFen), sellerPayoutFen: sum((x) => net(x).payoutFen), operationsFen: sum((x) => net(x).operationsFen) }
      : null,
  };
}

/** Characters a spreadsheet reads as the start of a formula: = + - @, tab, CR, and their full-width forms. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A CSV cell Excel and WPS show as text: a text cell that would start a formula gets a leading `'`
 * (quoting alone is not enough: spreadsheets evaluate quoted formulas), then cells with a
 * comma, quote or line break are quoted. Numbers are written as they are.
 */
export const csvCell = (v: string | number) => {
  const text = typeof v === 'string' && FORMULA_START.test(v) ? `'${v}` : String(v);
  return /[",\r\n]/.test(text) || text !== String(v) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * One row per seller, UTF-8 with a byte-order mark so Excel opens the Chinese names correctly;
 * every amount in yuan (two decimals) and in fen. A text cell that a spreadsheet would run as a
 * formula is made plain text.
 */
export function settlementCsv(record: SettlementWithStatements): string {
  const header = [
    'seller_id', 'seller_name', 'gross_yuan', 'gross_fen', 'payout_yuan', 'payout_fen', 'operations_yuan', 'operations_fen',
    'refunded_fen', 'payout_reversed_fen', 'net_payout_yuan', 'net_payout_fen', 'payout_status',
  ];
  const rows = [...record.statements]
    .sort((a, b) => a.sellerId.localeCompare(b.sellerId))
    .map((s) => [
      s.sellerId, s.name, formatYuan(s.grossFen), s.grossFen, formatYuan(s.payoutFen), s.payoutFen, formatYuan(s.operationsFen), s.operationsFen,
      s.refundedFen, s.payoutReversedFen, formatYuan(net(s).payoutFen), net(s).payoutFen, record.payoutStatus?.[s.sellerId] ?? (net(s).payoutFen > 0 ? 'NOT_STARTED' : 'NOTHING_TO_PAY'),
    ]);
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
