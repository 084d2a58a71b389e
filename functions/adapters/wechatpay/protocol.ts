/**
 * WeChat Pay API v3, the protocol (pay.weixin.qq.com/docs/merchant: 签名生成, 签名验证, 回调报文解密,
 * JSAPI 调起支付), with Node's own crypto:
 *  - a request to the API carries `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,
 *    signature=…,timestamp=…,serial_no=…`, the signature SHA256withRSA (merchant key) over
 *    `METHOD\nURL path?query\ntimestamp\nnonce\nbody\n`;
 *  - answers and notifications carry `Wechatpay-Timestamp/-Nonce/-Signature/-Serial`, the signature
 *    SHA256withRSA (platform key named by the serial) over `timestamp\nnonce\nbody\n`;
 *  - a notification's `resource` is AEAD_AES_256_GCM with the 32-byte APIv3 key, its 12-byte
 *    `nonce` and `associated_data`; `ciphertext` is base64 with the 16-byte tag at its end;
 *  - `wx.requestPayment` takes `paySign`, SHA256withRSA (merchant key) over
 *    `appId\ntimeStamp\nnonceStr\npackage\n`.
 * The local WeChat Pay stand-in uses the same functions from the other side.
 */
import { createCipheriv, createDecipheriv, createSign, createVerify, type KeyObject, randomBytes } from 'node:crypto';

/** How far a notification's timestamp may be from our clock (seconds). */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

export const nonce = (bytes = 16) => randomBytes(bytes).toString('hex').slice(0, bytes * 2).toUpperCase();

export function signSha256Rsa(message: string, privateKey: KeyObject | string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

export function verifySha256Rsa(message: string, signature: string, publicKey: KeyObject | string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** The Authorization header of a merchant's request. `urlPath` includes the query string. */
export function authorization(args: { mchId: string; serialNo: string; privateKey: KeyObject | string; method: string; urlPath: string; body: string; timestamp: number; nonce: string }): string {
  const message = `${args.method}\n${args.urlPath}\n${args.timestamp}\n${args.nonce}\n${args.body}\n`;
  const signature = signSha256Rsa(message, args.privateKey);
  return `${AUTH_SCHEME} mchid="${args.mchId}",nonce_str="${args.nonce}",signature="${signature}",timestamp="${args.timestamp}",serial_no="${args.serialNo}"`;
}

/** The fields of an Authorization header (for the side that receives it), or undefined when malformed. */
export function parseAuthorization(header: string | undefined): Record<'mchid' | 'nonce_str' | 'signature' | 'timestamp' | 'serial_no', string> | undefined {
  if (!header?.startsWith(`${AUTH_SCHEME} `)) return undefined;
  const fields = Object.fromEntries([...header.slice(AUTH_SCHEME.length + 1).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const names = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;
  return names.every((n) => typeof fields[n] === 'string') ? (fields as Record<(typeof names)[number], string>) : undefined;
}

/** The message a platform signature covers (answers and notifications). */
export const platformMessage = (timestamp: string, nonceStr: string, body: string) => `${timestamp}\n${nonceStr}\n${body}\n`;

/** The signature headers the platform puts on an answer or a notification (the stand-in's side). */
export function platformHeaders(body: string, key: { serial: string; privateKey: KeyObject | string }, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const nonceStr = nonce();
  return {
    'Wechatpay-Timestamp': String(timestamp),
    'Wechatpay-Nonce': nonceStr,
    'Wechatpay-Signature': signSha256Rsa(platformMessage(String(timestamp), nonceStr, body), key.privateKey),
    'Wechatpay-Serial': key.serial,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

export type SignatureRefusal = 'missing-headers' | 'unknown-serial' | 'stale-timestamp' | 'bad-signature';

/**
 * Checks the platform signature on an answer or notification: headers present, the serial one of
 * the platform keys we hold (two during a rotation), the timestamp within 5 minutes of `now`, the
 * signature valid. Header names are matched case-insensitively.
 */
export function checkPlatformSignature(headers: Record<string, string | undefined>, body: string, platformKeys: ReadonlyMap<string, KeyObject | string>, now: Date): SignatureRefusal | undefined {
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const timestamp = h['wechatpay-timestamp'];
  const nonceStr = h['wechatpay-nonce'];
  const signature = h['wechatpay-signature'];
  const serial = h['wechatpay-serial'];
  if (!timestamp || !nonceStr || !signature || !serial) return 'missing-headers';
  const key = platformKeys.get(serial);
  if (!key) return 'unknown-serial';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) return 'stale-timestamp';
  return verifySha256Rsa(platformMessage(timestamp, nonceStr, body), signature, key) ? undefined : 'bad-signature';
}

export interface EncryptedResource {
  algorithm: 'AEAD_AES_256_GCM';
  ciphertext: string;
  nonce: string;
  associated_data?: string;
  original_type?: string;
}

/** Decrypts a notification's resource with the APIv3 key; undefined when it does not authenticate. */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string | undefined {
  try {
    if (resource.algorithm !== 'AEAD_AES_256_GCM') return undefined;
    const data = Buffer.from(resource.ciphertext, 'base64');
    if (data.length < 17) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(resource.nonce, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Encrypts a resource as the platform does (the stand-in's side). */
export function encryptResource(plaintext: string, apiV3Key: string, associatedData: string, originalType: string): EncryptedResource {
  const nonceStr = nonce(6); // 12 characters
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonceStr, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: encrypted.toString('base64'), nonce: nonceStr, associated_data: associatedData, original_type: originalType };
}

/** What the storefront's client passes to `wx.requestPayment` (mini program) or `WeixinJSBridge` (in-app browser). */
export interface RequestPaymentParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export function requestPaymentParams(appId: string, prepayId: string, privateKey: KeyObject | string, timestamp = Math.floor(Date.now() / 1000)): RequestPaymentParams {
  const timeStamp = String(timestamp);
  const nonceStr = nonce();
  const pkg = `prepay_id=${prepayId}`;
  return { appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign: signSha256Rsa(`${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`, privateKey) };
}
