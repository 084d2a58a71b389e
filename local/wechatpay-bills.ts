/**
 * The WeChat Pay stand-in's daily bills, written in WeChat's documented layout from what the
 * stand-in processed: the trade bill (bill_type ALL: a SUCCESS line per payment, a REFUND line per
 * refund) and the fund-flow bill of the basic account (income per payment, outgoings per refund and
 * per merchant transfer). Every data field starts with a backtick; amounts are yuan with two
 * decimals; times are China time; a summary header and line close each bill. Tests can plant what
 * a real bill might show that the books do not: an extra line, another amount, a missing transfer.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Trade, Transfer } from './wechatpay.js';

const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
/** A data line: every field behind a backtick; commas inside a field (a goods description) cannot be quoted in WeChat's bills, so none are written. */
const line = (cells: (string | number)[]) => cells.map((c) => `\`${String(c).replaceAll(',', ' ')}`).join(',');

export const TRADE_BILL_HEADER = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
export const FUND_FLOW_HEADER = '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号';

/** What a test plants in the next bills (a real bill can show what the books do not). */
export interface BillPlants {
  /** Payments WeChat took that the province never heard of. */
  payments: { outTradeNo: string; transactionId: string; amountFen: number; at: string }[];
  /** Refunds WeChat made that the province never asked for (or never heard were made). */
  refunds: { outTradeNo: string; transactionId: string; outRefundNo: string; amountFen: number; at: string }[];
  /** Transfers out of the account that no payout asked for. */
  transfers: { outBillNo: string; billNo: string; amountFen: number; at: string }[];
  /** Another amount on the line of this out_trade_no, out_refund_no or out_bill_no. */
  amounts: Map<string, number>;
  /** Lines (by out_trade_no, out_refund_no or out_bill_no) the bill leaves out. */
  hidden: Set<string>;
}

export const noPlants = (): BillPlants => ({ payments: [], refunds: [], transfers: [], amounts: new Map(), hidden: new Set() });

interface Context { appId: string; mchId: string; trades: Iterable<Trade>; transfers: Iterable<Transfer>; plants: BillPlants }

export function tradeBill(day: string, { appId, mchId, trades, plants }: Context): string {
  const fee = (fen: number) => (Math.round(fen * 0.006 * 1000) / 100_000).toFixed(5); // 0.6%, five decimals as WeChat writes it
  const rows: { at: string; cells: (string | number)[]; paidFen: number; refundFen: number }[] = [];
  for (const t of trades) {
    if (t.transactionId && t.successTime && chinaDay(t.successTime) === day && !plants.hidden.has(t.outTradeNo)) {
      const fen = plants.amounts.get(t.outTradeNo) ?? t.totalFen;
      rows.push({ at: t.successTime, paidFen: fen, refundFen: 0, cells: [chinaTime(t.successTime), appId, mchId, 0, '', t.transactionId, t.outTradeNo, t.payerOpenId, 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', yuan(fen), '0.00', 0, 0, '0.00', '0.00', '', '', t.description, '', fee(fen), '0.60%', yuan(fen), '0.00', ''] });
    }
    for (const [outRefundNo, r] of t.refunds) {
      if (r.state !== 'SUCCESS' || !r.successTime || chinaDay(r.successTime) !== day || plants.hidden.has(outRefundNo)) continue;
      const fen = plants.amounts.get(outRefundNo) ?? r.refundFen;
      rows.push({ at: r.successTime, paidFen: 0, refundFen: fen, cells: [chinaTime(r.successTime), appId, mchId, 0, '', t.transactionId ?? '', t.outTradeNo, t.payerOpenId, 'JSAPI', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', r.refundId, outRefundNo, yuan(fen), '0.00', 'ORIGINAL', 'SUCCESS', t.description, '', `-${fee(fen)}`, '0.60%', yuan(t.totalFen), yuan(fen), ''] });
    }
  }
  for (const p of plants.payments) {
    if (chinaDay(p.at) !== day) continue;
    rows.push({ at: p.at, paidFen: p.amountFen, refundFen: 0, cells: [chinaTime(p.at), appId, mchId, 0, '', p.transactionId, p.outTradeNo, 'oPlanted', 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', yuan(p.amountFen), '0.00', 0, 0, '0.00', '0.00', '', '', '(planted)', '', fee(p.amountFen), '0.60%', yuan(p.amountFen), '0.00', ''] });
  }
  for (const r of plants.refunds) {
    if (chinaDay(r.at) !== day) continue;
    rows.push({ at: r.at, paidFen: 0, refundFen: r.amountFen, cells: [chinaTime(r.at), appId, mchId, 0, '', r.transactionId, r.outTradeNo, 'oPlanted', 'JSAPI', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', `50${Date.now()}`, r.outRefundNo, yuan(r.amountFen), '0.00', 'ORIGINAL', 'SUCCESS', '(planted)', '', `-${fee(r.amountFen)}`, '0.60%', yuan(r.amountFen), yuan(r.amountFen), ''] });
  }
  rows.sort((a, b) => a.at.localeCompare(b.at));
  const paid = rows.reduce((n, r) => n + r.paidFen, 0);
  const refunded = rows.reduce((n, r) => n + r.refundFen, 0);
  return [
    TRADE_BILL_HEADER,
    ...rows.map((r) => line(r.cells)),
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    line([rows.length, yuan(paid), yuan(refunded), '0.00', fee(paid - refunded), yuan(paid), yuan(refunded)]),
  ].join('\r\n') + '\r\n';
}

export function fundFlowBill(day: string, { trades, transfers, plants }: Context): string {
  const rows: { at: string; id: string; name: string; income: boolean; fen: number; ref: string }[] = [];
  for (const t of trades) {
    if (t.transactionId && t.successTime && chinaDay(t.successTime) === day) rows.push({ at: t.successTime, id: t.transactionId, name: '交易', income: true, fen: t.totalFen, ref: t.outTradeNo });
    for (const [outRefundNo, r] of t.refunds) {
      if (r.state === 'SUCCESS' && r.successTime && chinaDay(r.successTime) === day) rows.push({ at: r.successTime, id: r.refundId, name: '退款', income: false, fen: r.refundFen, ref: outRefundNo });
    }
  }
  for (const t of transfers) {
    if (t.state !== 'SUCCESS' || !t.finishedAt || chinaDay(t.finishedAt) !== day || plants.hidden.has(t.outBillNo)) continue;
    rows.push({ at: t.finishedAt, id: t.billNo, name: '商家转账', income: false, fen: plants.amounts.get(t.outBillNo) ?? t.amountFen, ref: t.outBillNo });
  }
  for (const p of plants.transfers) if (chinaDay(p.at) === day) rows.push({ at: p.at, id: p.billNo, name: '商家转账', income: false, fen: p.amountFen, ref: p.outBillNo });
  rows.sort((a, b) => a.at.localeCompare(b.at));
  let balance = 0;
  const lines = rows.map((r) => {
    balance += r.income ? r.fen : -r.fen;
    return line([chinaTime(r.at), r.id, `${Date.now()}${randomBytes(4).toString('hex')}`, r.name, r.name, r.income ? '收入' : '支出', yuan(r.fen), yuan(balance), r.name === '商家转账' ? '商户' : '系统', '', r.ref]);
  });
  const incomes = rows.filter((r) => r.income);
  const outgoings = rows.filter((r) => !r.income);
  return [
    FUND_FLOW_HEADER,
    ...lines,
    '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额',
    line([rows.length, incomes.length, yuan(incomes.reduce((n, r) => n + r.fen, 0)), outgoings.length, yuan(outgoings.reduce((n, r) => n + r.fen, 0))]),
  ].join('\r\n') + '\r\n';
}

/** What `GET /v3/bill/…` answers: where to download the bill, and its SHA1. */
export const billLink = (text: string, downloadUrl: string) => ({ hash_type: 'SHA1', hash_value: createHash('sha1').update(text, 'utf8').digest('hex'), download_url: downloadUrl });
