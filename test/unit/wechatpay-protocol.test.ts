/**
 * WeChat Pay API v3's signing and encryption (functions/adapters/wechatpay/protocol.ts), checked
 * against the documented layouts with the documentation's example values (签名生成, 调起支付, 回调报文解密)
 * and against an independent use of Node's crypto, so the protocol module is not checked only by itself.
 */
import { createCipheriv, createVerify, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorization, checkPlatformSignature, decryptResource, parseAuthorization, platformHeaders, requestPaymentParams } from '../../functions/adapters/wechatpay/protocol.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const verifies = (message: string, signature: string, key = merchant.publicKey) => createVerify('RSA-SHA256').update(message).verify(key, signature, 'base64');

describe('WeChat Pay API v3 protocol', () => {
  it('request signature: the documented message (method, URL with query, timestamp, nonce, body, each line ended) and header layout', () => {
    // the documentation's example request: GET /v3/certificates at 1554208460 with nonce 593BEC0C930BF1AFEB40B4A08C8FB242
    const header = authorization({ mchId: '1900009191', serialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', privateKey: merchant.privateKey, method: 'GET', urlPath: '/v3/certificates', body: '', timestamp: 1554208460, nonce: '593BEC0C930BF1AFEB40B4A08C8FB242' });
    expect(header).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="[A-Za-z0-9+/=]+",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"$/);
    const { signature } = parseAuthorization(header)!;
    expect(verifies('GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n', signature)).toBe(true);
    const post = parseAuthorization(authorization({ mchId: '1900009191', serialNo: 'S', privateKey: merchant.privateKey, method: 'POST', urlPath: '/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1900009191', body: '{"a":1}', timestamp: 1554208460, nonce: 'N' }))!;
    expect(verifies('POST\n/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1900009191\n1554208460\nN\n{"a":1}\n', post.signature)).toBe(true);
  });

  it('paySign for wx.requestPayment: appId, timeStamp, nonceStr and package, each line ended (the documented example values)', () => {
    const params = requestPaymentParams('wx8888888888888888', 'wx201410272009395522657a690389285100', merchant.privateKey, 1414561699);
    expect(params).toMatchObject({ appId: 'wx8888888888888888', timeStamp: '1414561699', package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA' });
    expect(verifies(`wx8888888888888888\n1414561699\n${params.nonceStr}\nprepay_id=wx201410272009395522657a690389285100\n`, params.paySign)).toBe(true);
  });

  it('notification signature: timestamp, nonce, body, each line ended, with the key of the serial; stale or unknown refused', () => {
    const now = new Date(1_800_000_000_000);
    const body = '{"id":"EV-2018022511223320873","event_type":"TRANSACTION.SUCCESS"}';
    const headers = platformHeaders(body, { serial: 'P1', privateKey: platform.privateKey }, now.getTime() / 1000);
    expect(verifies(`${headers['Wechatpay-Timestamp']}\n${headers['Wechatpay-Nonce']}\n${body}\n`, headers['Wechatpay-Signature']!, platform.publicKey)).toBe(true);
    const keys = new Map([['P1', platform.publicKey]]);
    expect(checkPlatformSignature(headers, body, keys, now)).toBeUndefined();
    // header names as API Gateway hands them over (lower case)
    expect(checkPlatformSignature(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), body, keys, now)).toBeUndefined();
    expect(checkPlatformSignature(headers, body, new Map([['P2', platform.publicKey]]), now)).toBe('unknown-serial');
    expect(checkPlatformSignature(headers, body, keys, new Date(now.getTime() + 301_000))).toBe('stale-timestamp');
    expect(checkPlatformSignature(headers, body, keys, new Date(now.getTime() - 299_000))).toBeUndefined();
    expect(checkPlatformSignature(headers, `${body} `, keys, now)).toBe('bad-signature');
    expect(checkPlatformSignature({ ...headers, 'Wechatpay-Signature': undefined }, body, keys, now)).toBe('missing-headers');
  });

  it('AEAD_AES_256_GCM: decrypts what Node encrypts with the APIv3 key, nonce and associated data (tag at the end); any change refuses (property)', () => {
    const apiV3Key = 'a'.repeat(16) + 'B'.repeat(16);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), fc.string({ minLength: 12, maxLength: 12, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789') }), fc.constantFrom('transaction', 'refund', ''), fc.nat(), (plaintext, nonce, aad, flip) => {
        const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce));
        cipher.setAAD(Buffer.from(aad));
        const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
        const resource = { algorithm: 'AEAD_AES_256_GCM' as const, ciphertext: ciphertext.toString('base64'), nonce, associated_data: aad };
        expect(decryptResource(resource, apiV3Key)).toBe(plaintext);
        const changed = Buffer.from(ciphertext);
        changed[flip % changed.length]! ^= 1;
        expect(decryptResource({ ...resource, ciphertext: changed.toString('base64') }, apiV3Key)).toBeUndefined();
        expect(decryptResource({ ...resource, associated_data: `${aad}x` }, apiV3Key)).toBeUndefined();
        expect(decryptResource(resource, 'c'.repeat(32))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
