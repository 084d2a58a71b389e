/**
 * WeChat Pay for the benchmarks: the local stand-in (and the payment secret's stand-in) behind
 * HTTP servers on 127.0.0.1, reached by the handlers' unchanged code through WECHATPAY_API_URL and
 * AWS_ENDPOINT_URL_SECRETS_MANAGER. Its signed, encrypted notifications go to the real
 * wechatPayNotify handler, as API Gateway would hand them over. Start it before importing handlers.
 */
import { httpApiEvent } from '../local/api-gateway.js';
import { lambdaContext } from '../local/lambda.js';
import { SecretsManagerStandIn } from '../local/secrets-manager.js';
import { serve } from '../local/servers.js';
import { WechatPayStandIn } from '../local/wechatpay.js';
import { PAYMENT_SECRET_ENV } from '../province/wiring.js';
import { benchProvince } from './env.js';

export async function startBenchWechatPay() {
  let answered = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  const standIn = new WechatPayStandIn(benchProvince().wechatPay, {
    deliver: async (_url, headers, body) => {
      const { handler } = await import('../functions/payments/wechatpay-notify.js');
      const event = httpApiEvent({ method: 'POST', path: '/payments/wechatpay/notify', headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), body }, 'POST /payments/wechatpay/notify', {});
      const answer = (await handler(event, lambdaContext('wechatPayNotify'))) as { statusCode: number };
      answered++;
      for (const w of waiting.filter((w) => answered >= w.count)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
      return answer.statusCode;
    },
  });
  const secrets = new SecretsManagerStandIn();
  secrets.put(process.env[PAYMENT_SECRET_ENV]!, () => standIn.secret());
  const api = await serve((req, res, body) => standIn.handleHttp(req, res, body));
  const sm = await serve((req, res, body) => secrets.handleHttp(req, res, body));
  process.env.WECHATPAY_API_URL = api.url;
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = sm.url;
  return {
    standIn,
    /** Resolves once `n` more notifications than so far have been answered. */
    delivered(n: number): Promise<void> {
      const count = answered + n;
      return answered >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }));
    },
    stop() {
      standIn.stop();
      api.server.close();
      sm.server.close();
    },
  };
}
