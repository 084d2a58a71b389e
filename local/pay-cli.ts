/**
 * npm run pay -- <orderId> [--drop | --duplicate | --delay <seconds> | --tamper] [--after-expiry]
 * Plays the buyer paying in WeChat against the running local province: opens the payment if the
 * storefront has not (POST /orders/{orderId}/payment with the demo storefront's key), then the
 * WeChat Pay stand-in takes the money and notifies the province:
 *   (default)       one signed, encrypted notification, retried on WeChat's schedule until answered
 *   --drop          no notification at all (the reservation's expiry asks WeChat Pay and finds it paid)
 *   --duplicate     the notification twice at once (the order is paid once)
 *   --delay <s>     the notification after <s> seconds of the province's time
 *   --tamper        first a copy altered on the way (refused, 401, nothing changes), then the genuine one
 *   --after-expiry  the money lands even though the reservation expired (it is refunded automatically)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lambda.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    drop: { type: 'boolean', default: false },
    duplicate: { type: 'boolean', default: false },
    delay: { type: 'string' },
    tamper: { type: 'boolean', default: false },
    'after-expiry': { type: 'boolean', default: false },
    openid: { type: 'string', default: 'oLocalBuyer0000000000000001' },
  },
});
const orderId = positionals[0];
const modes = [values.drop && 'drop', values.duplicate && 'duplicate', values.delay !== undefined && 'delay', values.tamper && 'tamper'].filter(Boolean);
if (!orderId || modes.length > 1 || (values.delay !== undefined && !(Number(values.delay) >= 0))) {
  console.error('usage: npm run pay -- <orderId> [--drop | --duplicate | --delay <seconds> | --tamper] [--after-expiry]');
  process.exit(2);
}
// the province's state folder (npm start -- --state-dir), .local by default
const stateDir = process.env.LOCAL_STATE_DIR ?? join(ROOT, '.local');
const statePath = join(stateDir, 'province.json');
const url = process.env.LOCAL_PROVINCE_URL ?? (existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')).url : 'http://127.0.0.1:3000');
const credentials = JSON.parse(readFileSync(join(stateDir, 'credentials.json'), 'utf8')) as { storefront: { apiKey: string } };

const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};
try {
  const started = await post(`/orders/${encodeURIComponent(orderId)}/payment`, { payerOpenId: values.openid }, { 'x-api-key': credentials.storefront.apiKey });
  if (started.status === 200) console.log(`payment open: ¥${(started.body.totalFen / 100).toFixed(2)}, ${started.body.requestPayment.package}`);
  else if (!values['after-expiry']) console.log(`POST /orders/${orderId}/payment: ${started.status} ${started.body.error?.message ?? ''} (paying anyway, as the buyer's WeChat would if the payment was opened earlier)`);
  const paid = await post('/_local/wechatpay/pay', {
    orderId,
    ...(modes[0] ? { mode: modes[0] } : {}),
    ...(values.delay !== undefined ? { delaySeconds: Number(values.delay) } : {}),
    afterExpiry: values['after-expiry'],
  });
  if (paid.status !== 200) {
    console.error(`WeChat Pay refused: ${paid.body.error?.message ?? paid.status}`);
    process.exit(1);
  }
  console.log(`paid: transaction ${paid.body.transactionId}; notification ${modes[0] ?? 'sent'}. Watch: curl -s ${url}/orders/${orderId} -H 'x-api-key: …'  and  GET ${url}/_local/state (wechatPay.notifications)`);
} catch {
  console.error(`No local province answers at ${url}. Start one with: npm start`);
  process.exit(1);
}
