import { OrderPath, StartPaymentBody } from '../contracts/api.js';
import { admitStorefront, httpHandler, json, parseBody, parsePath, publicUrl } from '../shared/http.js';
import { logger } from '../shared/powertools.js';
import { paymentDeps } from './deps.js';
import { startPayment } from './service.js';

const deps = paymentDeps();

/** POST /orders/{orderId}/payment: opens the WeChat Pay payment for a reservation. Never logs the payer's openid. */
export const handler = httpHandler(async (event) => {
  const caller = await admitStorefront(event);
  const { orderId } = parsePath(OrderPath, event);
  const { payerOpenId } = parseBody(StartPaymentBody, event);
  logger.appendKeys({ orderId });
  const started = await startPayment(deps, caller, orderId, payerOpenId, publicUrl(event, '/payments/wechatpay/notify'));
  logger.info('payment started', { orderId, provider: started.provider, totalFen: started.totalFen });
  return json(200, started, { 'cache-control': 'no-store' });
});
