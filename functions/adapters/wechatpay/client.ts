/**
 * WeChat Pay API v3 as the payments context's PaymentProvider: JSAPI / mini-program prepay, query
 * by out_trade_no, domestic refunds, and notifications (verified, then decrypted). Requests are
 * signed with the merchant key; answers are accepted only with a valid platform signature.
 * Keys come from the province's payment secret (Secrets Manager):
 *   { "merchantSerialNo", "merchantPrivateKey" (PEM), "apiV3Key" (32 characters),
 *     "platformKeys": [{ "serial", "publicKey" (PEM) }, …] }   (two during a platform key rotation)
 * `out_trade_no` is the order id without its dashes (WeChat allows 32 characters).
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { constants, publicEncrypt } from 'node:crypto';
import type { NotificationRefusal, PaymentProvider, ProviderNotification, ProviderPayment } from '../../payments/ports.js';
import type { TransferProvider, TransferState } from '../../payouts/ports.js';
import { type BillLine, BillNotReady, type BillProvider } from '../../reconciliation/ports.js';
import { parseFundFlowBill, parseTradeBill } from './bills.js';
import { authorization, checkPlatformSignature, decryptResource, type EncryptedResource, nonce, requestPaymentParams } from './protocol.js';

export const WECHATPAY_API = 'https://api.mch.weixin.qq.com';

interface Keys {
  merchantSerialNo: string;
  merchantPrivateKey: KeyObject;
  apiV3Key: string;
  platformKeys: Map<string, KeyObject>;
}

export interface WechatPayConfig {
  appId: string;
  mchId: string;
  /** The payment secret's JSON (cached by the caller; `fresh` reads it again). */
  secret: (options?: { fresh?: boolean }) => Promise<string>;
  /** The API's base URL (the local stand-in's offline). */
  apiUrl?: string;
  fetch?: typeof fetch;
}

export const tradeNumber = (orderId: string) => orderId.replaceAll('-', '');
/** The order id of a trade number (32 hex digits back to the UUID's 8-4-4-4-12). */
export const orderIdOf = (tradeNo: string) =>
  /^[0-9a-f]{32}$/.test(tradeNo) ? `${tradeNo.slice(0, 8)}-${tradeNo.slice(8, 12)}-${tradeNo.slice(12, 16)}-${tradeNo.slice(16, 20)}-${tradeNo.slice(20)}` : tradeNo;

/** RFC 3339 in China time, as WeChat's examples write `time_expire`. */
export const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

export class WechatPayError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(`WeChat Pay ${status} ${code}: ${message}`);
    this.name = 'WechatPayError';
  }
}

/** The transfer scene for paying farmers their sales (佣金报酬), with the report infos it requires. */
const TRANSFER_SCENE = { id: '1005', reports: [{ info_type: '岗位类型', info_content: '农产品销售' }, { info_type: '报酬说明', info_content: '县长直播助农货款' }] };

export function wechatPay(config: WechatPayConfig): PaymentProvider & TransferProvider & BillProvider {
  let parsed: { source: string; keys: Keys } | undefined;
  const keys = async (fresh = false): Promise<Keys> => {
    const source = await config.secret({ fresh });
    if (parsed?.source !== source) {
      const s = JSON.parse(source) as { merchantSerialNo: string; merchantPrivateKey: string; apiV3Key: string; platformKeys: { serial: string; publicKey: string }[] };
      if (!s.merchantSerialNo || !s.merchantPrivateKey || s.apiV3Key?.length !== 32 || !s.platformKeys?.length) throw new Error('the payment secret is incomplete (merchantSerialNo, merchantPrivateKey, apiV3Key of 32 characters, platformKeys)');
      parsed = {
        source,
        keys: {
          merchantSerialNo: s.merchantSerialNo,
          merchantPrivateKey: createPrivateKey(s.merchantPrivateKey),
          apiV3Key: s.apiV3Key,
          platformKeys: new Map(s.platformKeys.map((k) => [k.serial, createPublicKey(k.publicKey)])),
        },
      };
    }
    return parsed.keys;
  };
  let secretReadAgainAt = -Infinity;
  const base = config.apiUrl ?? WECHATPAY_API;
  const http = config.fetch ?? fetch;

  /** A signed call; the answer's platform signature is checked before it is believed. */
  async function call<T>(method: 'GET' | 'POST', urlPath: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<{ status: number; data: T }> {
    const k = await keys();
    const text = body === undefined ? '' : JSON.stringify(body);
    const res = await http(`${base}${urlPath}`, {
      method,
      headers: {
        Accept: 'application/json',
        'User-Agent': 'county-live-commerce',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...extraHeaders,
        Authorization: authorization({ mchId: config.mchId, serialNo: k.merchantSerialNo, privateKey: k.merchantPrivateKey, method, urlPath, body: text, timestamp: Math.floor(Date.now() / 1000), nonce: nonce() }),
      },
      ...(body === undefined ? {} : { body: text }),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = await res.text();
    const data = answer ? (JSON.parse(answer) as T & { code?: string; message?: string }) : ({} as T & { code?: string; message?: string });
    if (res.status >= 300) throw new WechatPayError(res.status, data.code ?? 'UNKNOWN', data.message ?? answer);
    const signed = Object.fromEntries(res.headers.entries());
    let refused = checkPlatformSignature(signed, answer, k.platformKeys, new Date());
    if (refused === 'unknown-serial' && performance.now() - secretReadAgainAt > 60_000) {
      secretReadAgainAt = performance.now(); // a platform key rotation: read the secret again (at most once a minute)
      refused = checkPlatformSignature(signed, answer, (await keys(true)).platformKeys, new Date());
    }
    if (refused) throw new WechatPayError(res.status, 'SIGNATURE', `the answer's platform signature was refused (${refused})`);
    return { status: res.status, data };
  }

  /**
   * A day's bill: ask for it (a signed call answering the download link and the file's hash), then
   * download it (signed too; the file itself carries no platform signature, so its SHA1 is checked).
   */
  async function bill(urlPath: string, parse: (text: string) => BillLine[]): Promise<BillLine[]> {
    let link: { hash_type: string; hash_value: string; download_url: string };
    try {
      link = (await call<typeof link>('GET', urlPath)).data;
    } catch (error) {
      // the day's bill is made from 10:00 the next morning
      // NO_STATEMENT_EXIST also means a day without a trade: the caller decides which, by the hour
      if (error instanceof WechatPayError && (error.code === 'NO_STATEMENT_EXIST' || error.code === 'STATEMENT_CREATING')) throw new BillNotReady(error.message, error.code === 'NO_STATEMENT_EXIST');
      throw error;
    }
    const url = new URL(link.download_url);
    const k = await keys();
    const res = await http(link.download_url, {
      headers: { Accept: '*/*', 'User-Agent': 'county-live-commerce', Authorization: authorization({ mchId: config.mchId, serialNo: k.merchantSerialNo, privateKey: k.merchantPrivateKey, method: 'GET', urlPath: `${url.pathname}${url.search}`, body: '', timestamp: Math.floor(Date.now() / 1000), nonce: nonce() }) },
      signal: AbortSignal.timeout(30_000),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status >= 300) throw new WechatPayError(res.status, 'DOWNLOAD', bytes.toString('utf8').slice(0, 200));
    if (link.hash_type !== 'SHA1' || createHash('sha1').update(bytes).digest('hex') !== link.hash_value.toLowerCase()) {
      throw new WechatPayError(res.status, 'HASH', `the downloaded bill does not match its ${link.hash_type} hash`);
    }
    return parse(bytes.toString('utf8'));
  }

  const toPayment = (t: WechatTransaction): ProviderPayment => ({
    orderId: orderIdOf(t.out_trade_no),
    ...(t.transaction_id ? { transactionId: t.transaction_id } : {}),
    state: t.trade_state,
    totalFen: t.amount?.total ?? 0,
    appId: t.appid,
    mchId: t.mchid,
  });

  return {
    name: 'wechatpay',

    merchant: async () => ({ appId: config.appId, mchId: config.mchId }),

    async prepay({ orderId, description, totalFen, expiresAt, payerOpenId, notifyUrl }) {
      const { data } = await call<{ prepay_id: string }>('POST', '/v3/pay/transactions/jsapi', {
        appid: config.appId,
        mchid: config.mchId,
        description,
        out_trade_no: tradeNumber(orderId),
        time_expire: chinaTime(expiresAt),
        notify_url: notifyUrl,
        amount: { total: totalFen, currency: 'CNY' },
        payer: { openid: payerOpenId },
      });
      const k = await keys();
      return { prepayId: data.prepay_id, clientParams: { ...requestPaymentParams(config.appId, data.prepay_id, k.merchantPrivateKey) } };
    },

    async query(orderId) {
      try {
        const { data } = await call<WechatTransaction>('GET', `/v3/pay/transactions/out-trade-no/${tradeNumber(orderId)}?mchid=${encodeURIComponent(config.mchId)}`);
        return toPayment(data);
      } catch (error) {
        if (error instanceof WechatPayError && error.status === 404 && error.code === 'ORDER_NOT_EXIST') return undefined;
        throw error;
      }
    },

    async refund({ orderId, outRefundNo, refundFen, totalFen, reason, notifyUrl }) {
      const { data } = await call<{ status: string }>('POST', '/v3/refund/domestic/refunds', {
        out_trade_no: tradeNumber(orderId),
        out_refund_no: outRefundNo,
        reason: reason.slice(0, 80),
        ...(notifyUrl ? { notify_url: notifyUrl } : {}),
        amount: { refund: refundFen, total: totalFen, currency: 'CNY' },
      });
      return { state: data.status };
    },

    async transfer({ reference, openid, realName, amountFen, remark, notifyUrl }) {
      const k = await keys();
      // the payee's real name travels encrypted with the platform key (RSA-OAEP), naming that key's serial
      const [serial, platformKey] = [...k.platformKeys][0]!;
      const { data } = await call<WechatTransfer>('POST', '/v3/fund-app/mch-transfer/transfer-bills', {
        appid: config.appId,
        out_bill_no: reference,
        transfer_scene_id: TRANSFER_SCENE.id,
        openid,
        ...(realName ? { user_name: publicEncrypt({ key: platformKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(realName, 'utf8')).toString('base64') } : {}),
        transfer_amount: amountFen,
        transfer_remark: remark.slice(0, 32),
        ...(notifyUrl ? { notify_url: notifyUrl } : {}),
        transfer_scene_report_infos: TRANSFER_SCENE.reports,
      }, realName ? { 'Wechatpay-Serial': serial } : {});
      return toTransferState(data);
    },

    tradeBill: (day) => bill(`/v3/bill/tradebill?bill_date=${day}&bill_type=ALL`, (text) => parseTradeBill(text, orderIdOf)),
    // merchant transfers (商家转账) are paid out of the operation account (运营账户)
    fundFlowBill: (day) => bill(`/v3/bill/fundflowbill?bill_date=${day}&account_type=OPERATION`, parseFundFlowBill),

    async queryTransfer(reference) {
      try {
        const { data } = await call<WechatTransfer>('GET', `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(reference)}`);
        return toTransferState(data);
      } catch (error) {
        if (error instanceof WechatPayError && error.status === 404 && (error.code === 'NOT_FOUND' || error.code === 'RESOURCE_NOT_EXISTS')) return undefined;
        throw error;
      }
    },

    async openNotification(headers, body, now) {
      let k = await keys();
      let refused = checkPlatformSignature(headers, body, k.platformKeys, now);
      if (refused === 'unknown-serial' && performance.now() - secretReadAgainAt > 60_000) {
        // a platform key rotation: the province's IT added the new key to the secret; read it
        // again (at most once a minute: forged serials cannot make us hammer Secrets Manager)
        secretReadAgainAt = performance.now();
        k = await keys(true);
        refused = checkPlatformSignature(headers, body, k.platformKeys, now);
      }
      if (refused) return { refused };
      let envelope: { id?: string; event_type?: string; resource?: EncryptedResource };
      try {
        envelope = JSON.parse(body);
      } catch {
        return { refused: 'malformed' as NotificationRefusal };
      }
      if (typeof envelope.id !== 'string' || typeof envelope.event_type !== 'string' || !envelope.resource) return { refused: 'malformed' };
      const plaintext = decryptResource(envelope.resource, k.apiV3Key);
      if (plaintext === undefined) return { refused: 'undecryptable' };
      let resource: Record<string, any>;
      try {
        resource = JSON.parse(plaintext);
      } catch {
        return { refused: 'malformed' };
      }
      const notification: ProviderNotification = envelope.event_type.startsWith('TRANSACTION.') && typeof resource.out_trade_no === 'string'
        ? { id: envelope.id, kind: 'payment', eventType: envelope.event_type, payment: toPayment(resource as WechatTransaction) }
        : envelope.event_type.startsWith('REFUND.') && typeof resource.out_refund_no === 'string'
          ? {
              id: envelope.id,
              kind: 'refund',
              eventType: envelope.event_type,
              refund: { orderId: orderIdOf(String(resource.out_trade_no)), outRefundNo: resource.out_refund_no, refundId: resource.refund_id, state: String(resource.refund_status), refundFen: Number(resource.amount?.refund ?? 0), mchId: String(resource.mchid) },
            }
          : envelope.event_type.startsWith('MCHTRANSFER.') && typeof resource.out_bill_no === 'string'
            ? { id: envelope.id, kind: 'transfer', eventType: envelope.event_type, transfer: { reference: resource.out_bill_no, mchId: String(resource.mch_id), ...toTransferState(resource as WechatTransfer) } }
            : { id: envelope.id, kind: 'other', eventType: envelope.event_type };
      return { notification };
    },
  };
}

interface WechatTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_state: string;
  amount?: { total: number; payer_total?: number; currency?: string };
}

interface WechatTransfer {
  out_bill_no: string;
  transfer_bill_no?: string;
  state: TransferState['state'];
  fail_reason?: string;
}

const toTransferState = (t: WechatTransfer): TransferState => ({ state: t.state, ...(t.transfer_bill_no ? { billNo: t.transfer_bill_no } : {}), ...(t.fail_reason ? { failReason: t.fail_reason } : {}) });
