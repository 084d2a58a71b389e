/**
 * WeChat Pay's daily bills, as downloaded (`GET /v3/bill/tradebill`, `GET /v3/bill/fundflowbill`,
 * then the `download_url`): CSV text whose first line names the columns, whose data lines carry
 * every field behind a backtick (so spreadsheets keep long numbers as text), and which ends with a
 * summary header and line. Amounts are yuan with two decimals. Only what reconciliation needs is
 * read, by column name (the bill's column order is WeChat's to change).
 */
import type { BillLine } from '../../reconciliation/ports.js';

/** "12.30" → 1230 (exact: no float arithmetic). */
export function yuanToFen(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new Error(`not an amount in yuan: ${JSON.stringify(text)}`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** "2026-11-29 21:03:11" (China time) → ISO instant. */
const instant = (chinaTime: string) => new Date(`${chinaTime.trim().replace(' ', 'T')}+08:00`).toISOString();

/** The data lines of a bill, as column name → value (backticks stripped); the summary is left out. */
function rows(text: string, summaryStartsWith: string): Record<string, string>[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',').map((h) => h.trim()) ?? [];
  const out: Record<string, string>[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith(summaryStartsWith)) break;
    // every data field starts with a backtick: split there, so a comma inside a field (a goods description) stays in it
    const cells = line.replace(/^`/, '').split(',`').map((c) => c.trim());
    out.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
  }
  return out;
}

/**
 * The trade bill (bill_type ALL): a SUCCESS line per payment of the day, a REFUND line per refund
 * (its 商户退款单号 and 退款金额).
 */
export function parseTradeBill(text: string, orderIdOf: (tradeNo: string) => string): BillLine[] {
  return rows(text, '总交易单数').flatMap((r): BillLine[] => {
    const state = r['交易状态'];
    if (state === 'REFUND' && r['退款状态'] && r['退款状态'] !== 'SUCCESS') return []; // a refund line counts once the money went back
    const base = { orderId: orderIdOf(r['商户订单号']!), transactionId: r['微信订单号']!, at: instant(r['交易时间']!) };
    if (state === 'SUCCESS') return [{ kind: 'payment', ...base, amountFen: yuanToFen(r['订单金额'] || r['应结订单金额']!) }];
    if (state === 'REFUND') return [{ kind: 'refund', ...base, outRefundNo: r['商户退款单号']!, amountFen: yuanToFen(r['申请退款金额'] || r['退款金额']!) }];
    return [];
  });
}

/** The fund-flow bill (account BASIC): the merchant transfers (商家转账) paid out of the account that day. */
export function parseFundFlowBill(text: string): BillLine[] {
  return rows(text, '资金流水总笔数').flatMap((r): BillLine[] =>
    r['业务名称'] === '商家转账' && r['收支类型'] === '支出'
      ? [{ kind: 'transfer', reference: r['业务凭证号']!, billNo: r['微信支付业务单号']!, amountFen: yuanToFen(r['收支金额(元)'] ?? r['收支金额（元）']!), at: instant(r['记账时间']!) }]
      : [],
  );
}
