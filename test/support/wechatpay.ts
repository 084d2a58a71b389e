/**
 * WeChat Pay and Secrets Manager for the tests: the local stand-ins (local/wechatpay.ts,
 * local/secrets-manager.ts) behind HTTP servers on 127.0.0.1, one pair per test worker, reached by
 * the handlers' unchanged code through WECHATPAY_API_URL and AWS_ENDPOINT_URL_SECRETS_MANAGER.
 * The stand-in's notifications go to the real wechatPayNotify handler, as API Gateway would hand
 * them over (no authorizer: the signature is the authentication); every answer is recorded.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SecretsManagerStandIn } from '../../local/secrets-manager.js';
import { serve } from '../../local/servers.js';
import { WechatPayStandIn } from '../../local/wechatpay.js';
import { apiEvent, lambdaContext } from './http.js';

export interface NotifyCall { status: number; body: string }

/** The notify route's event for a raw notification, exactly as WeChat Pay sent it. */
export function notifyEvent(headers: Record<string, string>, body: string): APIGatewayProxyEventV2 {
  const event = apiEvent({ method: 'POST', path: '/payments/wechatpay/notify', headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), body, authorizer: null });
  return { ...event, routeKey: 'POST /payments/wechatpay/notify' };
}

/** Hands a notification to the real handler; answers its status and body. */
export async function deliverNotification(headers: Record<string, string>, body: string): Promise<NotifyCall> {
  const { handler } = await import('../../functions/payments/wechatpay-notify.js');
  const answer = (await handler(notifyEvent(headers, body), lambdaContext('wechatPayNotify'))) as { statusCode: number; body?: string };
  return { status: answer.statusCode, body: answer.body ?? '' };
}

export async function startTestWechatPay(options: { appId: string; mchId: string; secretArn: string }) {
  const notifications: NotifyCall[] = [];
  const pending = new Set<Promise<unknown>>();
  const wechatPay = new WechatPayStandIn(options, {
    // a refund completes "shortly": here at once
    real: (ms) => Math.min(ms, 20),
    deliver: async (_url, headers, body) => {
      const call = deliverNotification(headers, body).then((answer) => (notifications.push(answer), answer.status));
      pending.add(call);
      void call.finally(() => pending.delete(call)).catch(() => undefined);
      return call;
    },
  });
  const secrets = new SecretsManagerStandIn();
  secrets.put(options.secretArn, () => wechatPay.secret());
  const api = await serve((req, res, body) => wechatPay.handleHttp(req, res, body));
  const sm = await serve((req, res, body) => secrets.handleHttp(req, res, body));
  return {
    wechatPay,
    secrets,
    notifications,
    apiUrl: api.url,
    secretsUrl: sm.url,
    /** Every notification under way has been answered. */
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    stop() {
      wechatPay.stop();
      api.server.close();
      sm.server.close();
    },
  };
}
