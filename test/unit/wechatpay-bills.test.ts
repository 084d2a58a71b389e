/**
 * WeChat Pay's bills as the adapter reads them: the documented layout (a header, every field behind
 * a backtick, amounts in yuan, a summary at the end), read by column name; amounts exact in fen; a
 * goods description holding commas does not shift the columns; the stand-in's bills read back to
 * what it processed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderIdOf } from '../../functions/adapters/wechatpay/client.js';
import { parseFundFlowBill, parseTradeBill, yuanToFen } from '../../functions/adapters/wechatpay/bills.js';
import { fundFlowBill, noPlants, tradeBill } from '../../local/wechatpay-bills.js';
import type { Trade, Transfer } from '../../local/wechatpay.js';

// the header and a line as WeChat Pay's documentation lays them out (values made up)
const TRADE_BILL = [
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注',
  '`2026-11-29 21:07:11,`wx81be3101902f7cb2,`1601959334,`0,`,`4200000925202611284997714292,`0a1b2c3d4e5f60718293a4b5c6d7e8f9,`ofyak5qR_1wYsC99CsWA6R9MJazA,`JSAPI,`SUCCESS,`OTHERS,`CNY,`29.90,`0.00,`0,`0,`0.00,`0.00,`,`,`城步脐橙, 5斤装,`,`0.18000,`0.60%,`29.90,`0.00,`',
  '`2026-11-29 22:15:02,`wx81be3101902f7cb2,`1601959334,`0,`,`4200000925202611284997714292,`0a1b2c3d4e5f60718293a4b5c6d7e8f9,`ofyak5qR_1wYsC99CsWA6R9MJazA,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`50300001,`R0a1b2c3d4e5f60718293a4b5c6d7e8f9,`29.90,`0.00,`ORIGINAL,`SUCCESS,`城步脐橙,`,`-0.18000,`0.60%,`29.90,`29.90,`',
  '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
  '`2,`29.90,`29.90,`0.00,`0.00000,`29.90,`29.90',
].join('\r\n');

describe('WeChat Pay bills', () => {
  it('the trade bill: a payment and its refund, by column name, exact in fen, a description with a comma', () => {
    expect(parseTradeBill(TRADE_BILL, orderIdOf)).toEqual([
      { kind: 'payment', orderId: '0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9', transactionId: '4200000925202611284997714292', amountFen: 2990, at: '2026-11-29T13:07:11.000Z' },
      { kind: 'refund', orderId: '0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9', transactionId: '4200000925202611284997714292', outRefundNo: 'R0a1b2c3d4e5f60718293a4b5c6d7e8f9', amountFen: 2990, at: '2026-11-29T14:15:02.000Z' },
    ]);
  });

  it('yuan to fen is exact for every amount; anything else is refused', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (fen) => {
      expect(yuanToFen(`${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`)).toBe(fen);
    }));
    for (const bad of ['', '1,00', '1.234', 'abc', '¥1.00']) expect(() => yuanToFen(bad)).toThrow();
  });

  it("the stand-in's bills read back to what it processed (payments, refunds, transfers of the day)", () => {
    const at = '2026-11-29T13:00:00.000Z'; // 21:00 China time
    const trades = [1, 2, 3].map((i): Trade => ({
      outTradeNo: `${i}`.repeat(32), prepayId: 'wx', appId: 'wxapp', description: `脐橙, ${i} 箱`, totalFen: 1000 * i + 7, timeExpire: at, notifyUrl: 'http://x', payerOpenId: 'o',
      state: 'SUCCESS', transactionId: `42000000000000000000000000${i}`, successTime: at,
      refunds: new Map(i === 2 ? [[`R${i}`, { refundId: '50', refundFen: 507, state: 'SUCCESS' as const, notifyUrl: 'http://x', successTime: at }]] : []),
    }));
    const transfers: Transfer[] = [{ outBillNo: 'PO1', billNo: '1330', openid: 'o', amountFen: 12345, state: 'SUCCESS', createdAt: at, finishedAt: at }, { outBillNo: 'PO2', billNo: '1331', openid: 'o', amountFen: 99, state: 'FAIL', createdAt: at, finishedAt: at }];
    const context = { appId: 'wxapp', mchId: '1900000109', trades, transfers, plants: noPlants() };
    const lines = parseTradeBill(tradeBill('2026-11-29', context), (no) => no);
    expect(lines.filter((l) => l.kind === 'payment').map((l) => l.amountFen)).toEqual([1007, 2007, 3007]);
    expect(lines.filter((l) => l.kind === 'refund')).toMatchObject([{ outRefundNo: 'R2', amountFen: 507 }]);
    expect(parseTradeBill(tradeBill('2026-11-28', context), (no) => no)).toEqual([]);
    expect(parseFundFlowBill(fundFlowBill('2026-11-29', context))).toEqual([{ kind: 'transfer', reference: 'PO1', billNo: '1330', amountFen: 12345, at }]);
  });
});
