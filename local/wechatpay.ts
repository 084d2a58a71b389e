/**
 * A WeChat Pay API v3 stand-in for the offline province, built from the provider's documented
 * protocol (functions/adapters/wechatpay/protocol.ts): it has a merchant account with locally
 * generated keys (merchant and platform key pairs, an APIv3 key), checks every request's
 * merchant signature, signs every answer with the platform key, and sends signed, encrypted
 * notifications to the notify_url it was given, retrying on WeChat's schedule until answered 2xx.
 * It speaks:
 *   POST /v3/pay/transactions/jsapi                 prepay (idempotent per out_trade_no)
 *   GET  /v3/pay/transactions/out-trade-no/{no}     query
 *   POST /v3/refund/domestic/refunds                refund (idempotent per out_refund_no), then REFUND.SUCCESS
 * and, for people and tests, `pay()`: the buyer pays, with the notification sent normally,
 * dropped, duplicated, delayed or tampered with, or paid after the trade's time_expire.
 */
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, privateDecrypt, randomBytes, randomUUID } from 'node:crypto';
import { billLink, type BillPlants, fundFlowBill, noPlants, tradeBill } from './wechatpay-bills.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  checkPlatformSignature,
  encryptResource,
  parseAuthorization,
  platformHeaders,
  verifySha256Rsa,
} from '../functions/adapters/wechatpay/protocol.js';

type Json = any;

/** WeChat's retry schedule for an unanswered notification (seconds), about 24 h in all. */
export const NOTIFY_RETRY_SECONDS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600];

export type NotifyMode = 'normal' | 'drop' | 'duplicate' | 'delay' | 'tamper';

export interface Trade {
  outTradeNo: string;
  prepayId: string;
  appId: string;
  description: string;
  totalFen: number;
  timeExpire: string;
  notifyUrl: string;
  payerOpenId: string;
  state: 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED';
  transactionId?: string;
  successTime?: string;
  /** The merchant answered the payment notification 2xx (else it is sent again, even after a restart). */
  acknowledged?: boolean;
  refunds: Map<string, { refundId: string; refundFen: number; state: 'PROCESSING' | 'SUCCESS'; notifyUrl: string; acknowledged?: boolean; successTime?: string }>;
}

/** What the stand-in keeps across restarts of a province on `--data` (WeChat Pay does not forget). */
export interface WechatPayKeys {
  apiV3Key: string;
  merchant: { serial: string; privateKey: string };
  platform: { serial: string; privateKey: string }[];
}
export type SavedTrade = Omit<Trade, 'refunds'> & { refunds: [string, Trade['refunds'] extends Map<string, infer R> ? R : never][] };
export interface WechatPayStore {
  load(): { keys: WechatPayKeys; trades: SavedTrade[]; transfers: Transfer[] } | undefined;
  saveKeys(keys: WechatPayKeys): void;
  /** A trade as it is now (appended: the last one written wins). */
  saveTrade(trade: SavedTrade): void;
  /** A transfer as it is now (appended: the last one written wins). */
  saveTransfer(transfer: Transfer): void;
}

/** How the stand-in treats the next transfers (npm run demo: succeed). */
export type TransferMode = 'succeed' | 'fail' | 'await-confirmation' | 'lost-notification';

export interface Transfer {
  outBillNo: string;
  billNo: string;
  openid: string;
  amountFen: number;
  realName?: string;
  state: 'ACCEPTED' | 'WAIT_USER_CONFIRM' | 'SUCCESS' | 'FAIL';
  failReason?: string;
  notifyUrl?: string;
  createdAt: string;
  finishedAt?: string;
}

export interface SentNotification { id: string; eventType: string; outTradeNo: string; attempt: number; status: number | 'unreachable'; tampered?: boolean; at: string }

const pem = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ format: 'pem', type }).toString();
const serialOf = () => randomBytes(20).toString('hex').toUpperCase();

export class WechatPayStandIn {
  readonly mchId: string;
  readonly appId: string;
  readonly apiV3Key: string;
  readonly merchant: { serial: string; privateKey: KeyObject; publicKey: KeyObject };
  /** Platform keys by serial; the newest signs. Two during a rotation. */
  readonly platform: { serial: string; privateKey: KeyObject; publicKey: KeyObject }[] = [];
  readonly trades = new Map<string, Trade>();
  readonly transfers = new Map<string, Transfer>();
  transferMode: TransferMode = 'succeed';
  /** The next transfers are made, but answered 500 (what a timeout looks like to the merchant). */
  failAnswersAfterTransfer = 0;
  readonly sent: SentNotification[] = [];
  /** What the next bills show that the books may not (tests plant mismatches here). */
  readonly billPlants: BillPlants = noPlants();
  private readonly downloads = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    merchant: { appId: string; mchId: string },
    private readonly options: {
      /** Real ms for a span of the province's virtual time (the clock may run faster). */
      real?: (virtualMs: number) => number;
      /** How a notification reaches the province (HTTP by default). */
      deliver?: (url: string, headers: Record<string, string>, body: string) => Promise<number>;
      /** Where its keys and trades are kept (a province on `--data`); it resumes from there. */
      store?: WechatPayStore;
    } = {},
  ) {
    this.appId = merchant.appId;
    this.mchId = merchant.mchId;
    const saved = options.store?.load();
    if (saved) {
      this.apiV3Key = saved.keys.apiV3Key;
      const key = (privatePem: string) => ({ privateKey: createPrivateKey(privatePem), publicKey: createPublicKey(privatePem) });
      this.merchant = { serial: saved.keys.merchant.serial, ...key(saved.keys.merchant.privateKey) };
      this.platform.push(...saved.keys.platform.map((p) => ({ serial: p.serial, ...key(p.privateKey) })));
      for (const t of saved.trades) this.trades.set(t.outTradeNo, { ...t, refunds: new Map(t.refunds) });
      for (const t of saved.transfers) this.transfers.set(t.outBillNo, t);
    } else {
      this.apiV3Key = randomBytes(16).toString('hex'); // 32 characters
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.merchant = { serial: serialOf(), privateKey, publicKey };
      this.rotatePlatformKey();
    }
  }

  /** After a restart: the notifications the merchant never acknowledged are sent again, transfers under way finish. */
  resume(): void {
    for (const t of this.transfers.values()) if (t.state === 'ACCEPTED') this.later(1_000, () => this.finishTransfer(t, 'SUCCESS', false));
    for (const trade of this.trades.values()) {
      if (trade.transactionId && !trade.acknowledged) void this.notify(trade, 'TRANSACTION.SUCCESS', this.transaction(trade), trade.notifyUrl, 'normal');
      for (const [outRefundNo, refund] of trade.refunds) {
        if (refund.state === 'SUCCESS' && !refund.acknowledged) void this.notify(trade, 'REFUND.SUCCESS', this.refundResource(trade, outRefundNo), refund.notifyUrl, 'normal', outRefundNo);
        if (refund.state === 'PROCESSING') this.later(1_000, () => this.completeRefund(trade, outRefundNo));
      }
    }
  }

  private saveKeys(): void {
    this.options.store?.saveKeys({
      apiV3Key: this.apiV3Key,
      merchant: { serial: this.merchant.serial, privateKey: pem(this.merchant.privateKey, 'pkcs8') },
      platform: this.platform.map((p) => ({ serial: p.serial, privateKey: pem(p.privateKey, 'pkcs8') })),
    });
  }

  private save(trade: Trade): void {
    this.options.store?.saveTrade({ ...trade, refunds: [...trade.refunds] });
  }

  /** A new platform key signs from now on; the old one stays valid (WeChat's rotation). Answers the new serial. */
  rotatePlatformKey(): string {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const serial = serialOf();
    this.platform.unshift({ serial, privateKey, publicKey });
    this.saveKeys();
    return serial;
  }

  /** The province's payment secret, as its IT would fill it in Secrets Manager. */
  secret(): string {
    return JSON.stringify({
      merchantSerialNo: this.merchant.serial,
      merchantPrivateKey: pem(this.merchant.privateKey, 'pkcs8'),
      apiV3Key: this.apiV3Key,
      platformKeys: this.platform.map((k) => ({ serial: k.serial, publicKey: pem(k.publicKey, 'spki') })),
    });
  }

  private signing() {
    return this.platform[0]!;
  }

  async handleHttp(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const reply = (status: number, payload?: unknown) => {
      const text = payload === undefined ? '' : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': randomUUID(), ...(status < 300 ? platformHeaders(text, this.signing()) : {}) });
      res.end(text);
    };
    const error = (status: number, code: string, message: string) => reply(status, { code, message });
    // every request must carry a valid merchant signature over exactly what was sent
    const auth = parseAuthorization(String(req.headers.authorization ?? ''));
    if (!auth) return error(401, 'SIGN_ERROR', 'Authorization 头缺失或格式错误 (missing or malformed Authorization)');
    if (auth.mchid !== this.mchId) return error(401, 'SIGN_ERROR', `商户号 ${auth.mchid} 不存在`);
    if (auth.serial_no !== this.merchant.serial) return error(401, 'SIGN_ERROR', '商户证书序列号有误 (merchant serial_no unknown)');
    if (Math.abs(Date.now() / 1000 - Number(auth.timestamp)) > 300) return error(401, 'SIGN_ERROR', '请求时间戳已过期 (timestamp too old)');
    const message = `${req.method}\n${url.pathname}${url.search}\n${auth.timestamp}\n${auth.nonce_str}\n${body}\n`;
    if (!verifySha256Rsa(message, auth.signature, this.merchant.publicKey)) return error(401, 'SIGN_ERROR', '签名错误 (signature does not verify)');

    let input: Json = {};
    if (body) {
      try {
        input = JSON.parse(body);
      } catch {
        return error(400, 'PARAM_ERROR', 'body is not JSON');
      }
    }
    if (req.method === 'POST' && url.pathname === '/v3/pay/transactions/jsapi') return this.prepay(input, reply, error);
    const query = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && query) {
      if (url.searchParams.get('mchid') !== this.mchId) return error(400, 'PARAM_ERROR', 'mchid 与请求不符');
      const trade = this.trades.get(decodeURIComponent(query[1]!));
      return trade ? reply(200, this.transaction(trade)) : error(404, 'ORDER_NOT_EXIST', '订单不存在');
    }
    if (req.method === 'POST' && url.pathname === '/v3/refund/domestic/refunds') return this.refund(input, reply, error);
    if (req.method === 'POST' && url.pathname === '/v3/fund-app/mch-transfer/transfer-bills') return this.transfer(input, String(req.headers['wechatpay-serial'] ?? ''), reply, error);
    if (req.method === 'GET' && (url.pathname === '/v3/bill/tradebill' || url.pathname === '/v3/bill/fundflowbill')) {
      const day = url.searchParams.get('bill_date') ?? '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return error(400, 'PARAM_ERROR', 'bill_date 格式错误 (yyyy-MM-DD)');
      // WeChat makes a day's bills from 10:00 the next morning; the stand-in also serves today's so far (offline demos reconcile the night they ran)
      if (day > new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)) return error(400, 'NO_STATEMENT_EXIST', '账单文件不存在');
      const context = { appId: this.appId, mchId: this.mchId, trades: this.trades.values(), transfers: this.transfers.values(), plants: this.billPlants };
      const text = url.pathname === '/v3/bill/tradebill' ? tradeBill(day, context) : fundFlowBill(day, context);
      const token = randomBytes(24).toString('base64url');
      this.downloads.set(token, text);
      return reply(200, billLink(text, `http://${req.headers.host}/v3/billdownload/file?token=${token}`));
    }
    if (req.method === 'GET' && url.pathname === '/v3/billdownload/file') {
      const text = this.downloads.get(url.searchParams.get('token') ?? '');
      if (text === undefined) return error(400, 'INVALID_REQUEST', '下载链接已失效 (unknown or expired token)');
      // the file itself is not signed: the merchant checks it against the hash it was given
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'request-id': randomUUID() });
      return void res.end(text);
    }
    const bill = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && bill) {
      const t = this.transfers.get(decodeURIComponent(bill[1]!));
      return t ? reply(200, this.transferView(t)) : error(404, 'NOT_FOUND', '记录不存在');
    }
    return error(404, 'NOT_FOUND', `the stand-in does not speak ${req.method} ${url.pathname}`);
  }

  private prepay(input: Json, reply: (s: number, p?: unknown) => void, error: (s: number, c: string, m: string) => void) {
    const missing = ['appid', 'mchid', 'description', 'out_trade_no', 'notify_url'].find((k) => typeof input[k] !== 'string' || !input[k]);
    if (missing) return error(400, 'PARAM_ERROR', `输入源"/body/${missing}"映射到值字段"${missing}"必填性规则校验失败`);
    if (input.mchid !== this.mchId || input.appid !== this.appId) return error(400, 'APPID_MCHID_NOT_MATCH', 'appid 和 mch_id 不匹配');
    if (input.out_trade_no.length > 32 || !/^[0-9A-Za-z_*|-]+$/.test(input.out_trade_no)) return error(400, 'PARAM_ERROR', 'out_trade_no 格式错误');
    if (!Number.isInteger(input.amount?.total) || input.amount.total < 1) return error(400, 'PARAM_ERROR', 'amount.total 必须为正整数（分）');
    if (typeof input.payer?.openid !== 'string') return error(400, 'PARAM_ERROR', 'payer.openid 必填');
    if (!/^https?:\/\//.test(input.notify_url)) return error(400, 'PARAM_ERROR', 'notify_url 格式错误');
    const existing = this.trades.get(input.out_trade_no);
    if (existing) {
      if (existing.totalFen !== input.amount.total || existing.description !== input.description) return error(400, 'INVALID_REQUEST', '201 商户订单号重复');
      if (existing.state !== 'NOTPAY') return error(400, 'ORDER_PAID', '该订单已支付');
      return reply(200, { prepay_id: existing.prepayId });
    }
    const trade: Trade = {
      outTradeNo: input.out_trade_no,
      prepayId: `wx${Date.now().toString(16)}${randomBytes(8).toString('hex')}`,
      appId: input.appid,
      description: input.description,
      totalFen: input.amount.total,
      timeExpire: input.time_expire ?? new Date(Date.now() + 2 * 3600_000).toISOString(),
      notifyUrl: input.notify_url,
      payerOpenId: input.payer.openid,
      state: 'NOTPAY',
      refunds: new Map(),
    };
    this.trades.set(trade.outTradeNo, trade);
    this.save(trade);
    return reply(200, { prepay_id: trade.prepayId });
  }

  private refund(input: Json, reply: (s: number, p?: unknown) => void, error: (s: number, c: string, m: string) => void) {
    const trade = this.trades.get(String(input.out_trade_no ?? ''));
    if (!trade) return error(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    if (typeof input.out_refund_no !== 'string' || !input.out_refund_no || input.out_refund_no.length > 64) return error(400, 'PARAM_ERROR', 'out_refund_no 格式错误');
    const existing = trade.refunds.get(input.out_refund_no);
    const answer = (r: NonNullable<typeof existing>) => reply(200, { refund_id: r.refundId, out_refund_no: input.out_refund_no, transaction_id: trade.transactionId, out_trade_no: trade.outTradeNo, status: r.state, amount: { refund: r.refundFen, total: trade.totalFen, currency: 'CNY' } });
    if (existing) return answer(existing); // the same refund number: the same refund, never a second one
    if (trade.state !== 'SUCCESS' && trade.state !== 'REFUND') return error(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    const refunded = [...trade.refunds.values()].reduce((sum, r) => sum + r.refundFen, 0);
    if (input.amount?.total !== trade.totalFen || !Number.isInteger(input.amount?.refund) || input.amount.refund < 1 || refunded + input.amount.refund > trade.totalFen) {
      return error(400, 'INVALID_REQUEST', '退款金额有误 (refund exceeds what was paid, or total does not match)');
    }
    const refund = { refundId: `50${Date.now()}${randomBytes(4).toString('hex')}`, refundFen: input.amount.refund as number, state: 'PROCESSING' as const, notifyUrl: input.notify_url ?? trade.notifyUrl };
    trade.refunds.set(input.out_refund_no, refund);
    trade.state = 'REFUND';
    this.save(trade);
    answer(refund);
    // the money goes back shortly, and the merchant is told
    this.later(1_000, () => this.completeRefund(trade, input.out_refund_no));
  }

  private completeRefund(trade: Trade, outRefundNo: string): void {
    const refund = trade.refunds.get(outRefundNo)!;
    (refund as { state: string }).state = 'SUCCESS';
    refund.successTime = new Date().toISOString();
    this.save(trade);
    void this.notify(trade, 'REFUND.SUCCESS', this.refundResource(trade, outRefundNo), refund.notifyUrl, 'normal', outRefundNo);
  }

  /** A merchant transfer to a WeChat wallet (商家转账): idempotent per out_bill_no; finishes as `transferMode` says. */
  private transfer(input: Json, serial: string, reply: (s: number, p?: unknown) => void, error: (s: number, c: string, m: string) => void) {
    if (input.appid !== this.appId) return error(400, 'PARAM_ERROR', 'appid 与商户号不匹配');
    if (typeof input.out_bill_no !== 'string' || !/^[0-9A-Za-z]{1,32}$/.test(input.out_bill_no)) return error(400, 'PARAM_ERROR', 'out_bill_no 只能由数字、大小写字母组成，最长32位');
    if (typeof input.openid !== 'string' || !input.openid) return error(400, 'PARAM_ERROR', 'openid 必填');
    if (!Number.isInteger(input.transfer_amount) || input.transfer_amount < 10) return error(400, 'PARAM_ERROR', 'transfer_amount 最少 0.1 元');
    if (!Array.isArray(input.transfer_scene_report_infos) || input.transfer_scene_report_infos.length === 0) return error(400, 'PARAM_ERROR', 'transfer_scene_report_infos 必填');
    let realName: string | undefined;
    if (input.user_name !== undefined) {
      const key = this.platform.find((k) => k.serial === serial);
      if (!key) return error(400, 'PARAM_ERROR', 'Wechatpay-Serial 与加密敏感信息的平台公钥不符');
      try {
        realName = privateDecrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(String(input.user_name), 'base64')).toString('utf8');
      } catch {
        return error(400, 'PARAM_ERROR', 'user_name 解密失败');
      }
    }
    if (input.transfer_amount >= 200_000 && !realName) return error(400, 'PARAM_ERROR', '转账金额 >= 2000 元时 user_name 必填');
    const existing = this.transfers.get(input.out_bill_no);
    if (existing) {
      if (existing.amountFen !== input.transfer_amount || existing.openid !== input.openid) return error(400, 'INVALID_REQUEST', '商户单号重复，但参数不一致');
      return reply(200, this.transferView(existing));
    }
    const mode = this.transferMode;
    const t: Transfer = {
      outBillNo: input.out_bill_no, billNo: `1330${Date.now()}${randomBytes(6).toString('hex')}`, openid: input.openid, amountFen: input.transfer_amount,
      ...(realName ? { realName } : {}), state: mode === 'await-confirmation' ? 'WAIT_USER_CONFIRM' : 'ACCEPTED', ...(input.notify_url ? { notifyUrl: input.notify_url } : {}), createdAt: new Date().toISOString(),
    };
    this.transfers.set(t.outBillNo, t);
    this.options.store?.saveTransfer(t);
    if (this.failAnswersAfterTransfer > 0) {
      this.failAnswersAfterTransfer--;
      error(500, 'SYSTEM_ERROR', '系统繁忙，请稍后重试');
    } else {
      reply(200, this.transferView(t));
    }
    if (mode === 'await-confirmation') return; // the farmer must confirm in WeChat (confirmTransfer)
    this.later(1_000, () => this.finishTransfer(t, mode === 'fail' ? 'FAIL' : 'SUCCESS', mode === 'lost-notification'));
  }

  /** The farmer confirms receipt in WeChat: the transfer completes. */
  confirmTransfer(outBillNo: string): boolean {
    const t = this.transfers.get(outBillNo);
    if (t?.state !== 'WAIT_USER_CONFIRM') return false;
    this.finishTransfer(t, 'SUCCESS', false);
    return true;
  }

  private finishTransfer(t: Transfer, state: 'SUCCESS' | 'FAIL', lost: boolean): void {
    t.state = state;
    t.finishedAt = new Date().toISOString();
    if (state === 'FAIL') t.failReason = 'PAYEE_ACCOUNT_ABNORMAL';
    this.options.store?.saveTransfer(t);
    if (!lost && t.notifyUrl) void this.notifyTransfer(t);
  }

  private transferView(t: Transfer) {
    return {
      mch_id: this.mchId, out_bill_no: t.outBillNo, transfer_bill_no: t.billNo, appid: this.appId, state: t.state, transfer_amount: t.amountFen,
      openid: t.openid, create_time: t.createdAt, update_time: new Date().toISOString(), ...(t.failReason ? { fail_reason: t.failReason } : {}),
      ...(t.state === 'WAIT_USER_CONFIRM' ? { package_info: `affffddafdfafddffda==${t.billNo}` } : {}),
    };
  }

  private async notifyTransfer(t: Transfer): Promise<void> {
    const resource = this.transferView(t);
    const body = JSON.stringify({ id: randomUUID(), create_time: new Date().toISOString(), resource_type: 'encrypt-resource', event_type: 'MCHTRANSFER.BILL.FINISHED', summary: '商家转账单据终态通知', resource: encryptResource(JSON.stringify(resource), this.apiV3Key, 'mch_payment', 'mch_payment') });
    const headers = { 'content-type': 'application/json', ...platformHeaders(body, this.signing()) };
    for (let attempt = 0; attempt <= NOTIFY_RETRY_SECONDS.length; attempt++) {
      let status: number | 'unreachable';
      try {
        status = this.options.deliver ? await this.options.deliver(t.notifyUrl!, headers, body) : (await fetch(t.notifyUrl!, { method: 'POST', headers, body, signal: AbortSignal.timeout(5_000) })).status;
      } catch {
        status = 'unreachable';
      }
      this.sent.push({ id: t.billNo, eventType: 'MCHTRANSFER.BILL.FINISHED', outTradeNo: t.outBillNo, attempt, status, at: new Date().toISOString() });
      if (typeof status === 'number' && status < 300) return;
      await new Promise((r) => this.later((NOTIFY_RETRY_SECONDS[attempt] ?? 0) * 1000, () => r(undefined)));
    }
  }

  private transaction(trade: Trade) {
    return {
      appid: trade.appId,
      mchid: this.mchId,
      out_trade_no: trade.outTradeNo,
      ...(trade.transactionId ? { transaction_id: trade.transactionId } : {}),
      trade_type: 'JSAPI',
      trade_state: trade.state,
      trade_state_desc: { NOTPAY: '未支付', SUCCESS: '支付成功', REFUND: '转入退款', CLOSED: '已关闭' }[trade.state],
      bank_type: 'OTHERS',
      attach: '',
      ...(trade.successTime ? { success_time: trade.successTime } : {}),
      payer: { openid: trade.payerOpenId },
      amount: { total: trade.totalFen, payer_total: trade.totalFen, currency: 'CNY', payer_currency: 'CNY' },
    };
  }

  private refundResource(trade: Trade, outRefundNo: string) {
    const r = trade.refunds.get(outRefundNo)!;
    return {
      mchid: this.mchId,
      out_trade_no: trade.outTradeNo,
      transaction_id: trade.transactionId,
      out_refund_no: outRefundNo,
      refund_id: r.refundId,
      refund_status: 'SUCCESS',
      success_time: new Date().toISOString(),
      user_received_account: '支付用户零钱',
      amount: { total: trade.totalFen, refund: r.refundFen, payer_total: trade.totalFen, payer_refund: r.refundFen },
    };
  }

  /**
   * The buyer pays (in WeChat): the trade succeeds and the merchant is notified, as `mode` says.
   * `afterExpiry` lets a payment through past the trade's time_expire (money arriving late).
   */
  pay(outTradeNo: string, options: { mode?: NotifyMode; delayMs?: number; afterExpiry?: boolean } = {}): { ok: true; transactionId: string } | { ok: false; reason: string } {
    const trade = this.trades.get(outTradeNo);
    if (!trade) return { ok: false, reason: `no payment was started for ${outTradeNo} (POST /orders/{orderId}/payment first)` };
    if (trade.state !== 'NOTPAY') return { ok: false, reason: `trade ${outTradeNo} is ${trade.state}` };
    if (!options.afterExpiry && Date.parse(trade.timeExpire) <= Date.now()) return { ok: false, reason: `trade ${outTradeNo} expired at ${trade.timeExpire}` };
    trade.state = 'SUCCESS';
    trade.transactionId = `4200${Date.now()}${randomBytes(5).toString('hex')}`.slice(0, 28);
    trade.successTime = new Date().toISOString();
    this.save(trade);
    const mode = options.mode ?? 'normal';
    const send = () => this.notify(trade, 'TRANSACTION.SUCCESS', this.transaction(trade), trade.notifyUrl, mode);
    if (mode === 'delay') this.later(options.delayMs ?? 30_000, () => void send());
    else void send();
    return { ok: true, transactionId: trade.transactionId };
  }

  /** Sends a notification, retrying on WeChat's schedule until it is answered 2xx. */
  private async notify(trade: Trade, eventType: string, resource: object, url: string, mode: NotifyMode, outRefundNo?: string): Promise<void> {
    if (mode === 'drop') return;
    const originalType = eventType.startsWith('REFUND') ? 'refund' : 'transaction';
    const envelope = {
      id: randomUUID(),
      create_time: new Date().toISOString(),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary: eventType.startsWith('REFUND') ? '退款成功' : '支付成功',
      resource: encryptResource(JSON.stringify(resource), this.apiV3Key, originalType, originalType),
    };
    const body = JSON.stringify(envelope);
    const post = async (attempt: number, text = body, tampered = false): Promise<number | 'unreachable'> => {
      const headers = { 'content-type': 'application/json', ...platformHeaders(body, this.signing()) }; // signed over the genuine body
      let status: number | 'unreachable';
      try {
        status = this.options.deliver ? await this.options.deliver(url, headers, text) : (await fetch(url, { method: 'POST', headers, body: text, signal: AbortSignal.timeout(5_000) })).status;
      } catch {
        status = 'unreachable';
      }
      this.sent.push({ id: envelope.id, eventType, outTradeNo: trade.outTradeNo, attempt, status, at: new Date().toISOString(), ...(tampered ? { tampered } : {}) });
      return status;
    };
    if (mode === 'tamper') {
      // someone changes the amount on the way: the signature no longer matches (the genuine one follows)
      await post(0, body.replace(/"ciphertext":"./, (m) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A')), true);
    }
    const attempts = async (attempt: number): Promise<void> => {
      const status = mode === 'duplicate' && attempt === 0 ? (await Promise.all([post(attempt), post(attempt)]))[0] : await post(attempt);
      if (typeof status === 'number' && status >= 200 && status < 300) {
        if (outRefundNo) trade.refunds.get(outRefundNo)!.acknowledged = true;
        else trade.acknowledged = true;
        this.save(trade);
        return;
      }
      const wait = NOTIFY_RETRY_SECONDS[attempt];
      if (wait !== undefined) this.later(wait * 1000, () => void attempts(attempt + 1));
    };
    await attempts(0);
  }

  /** After a span of the province's (virtual) time. */
  private later(virtualMs: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, Math.max(1, (this.options.real ?? ((ms) => ms))(virtualMs)));
    this.timers.add(timer);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Checks a notification's signature as the province does (for tests of the stand-in itself). */
  verifies(headers: Record<string, string>, body: string): boolean {
    return checkPlatformSignature(headers, body, new Map(this.platform.map((k) => [k.serial, k.publicKey])), new Date()) === undefined;
  }
}
