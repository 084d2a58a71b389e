import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { httpHandler, publicUrl } from '../shared/http.js';
import { logger, metrics } from '../shared/powertools.js';
import { paymentDeps } from './deps.js';
import { acceptNotification } from './service.js';

const deps = paymentDeps();

/**
 * POST /payments/wechatpay/notify: no API credentials, the platform signature is the
 * authentication. The body is verified exactly as received. 204 once recorded; otherwise
 * {"code":"FAIL","message"} with an error status, and WeChat Pay retries.
 */
export const handler = httpHandler(async (event) => {
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  let answer;
  try {
    answer = await acceptNotification(deps, event.headers ?? {}, body, publicUrl(event, '/payments/wechatpay/notify'));
  } catch (error) {
    logger.error('payment notification not recorded; WeChat Pay will retry', { error: String((error as Error).stack ?? error) });
    answer = { status: 500 as const, code: 'FAIL' as const, message: 'not recorded; retry' };
  }
  metrics.addMetric(answer.status < 300 ? 'PaymentNotificationsAccepted' : 'PaymentNotificationsRefused', MetricUnit.Count, 1);
  if (!('code' in answer)) return { statusCode: 204, headers: {} as Record<string, string>, body: '' };
  return { statusCode: answer.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: answer.code, message: answer.message }) };
});
