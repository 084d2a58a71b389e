import { EmptyBody, OrderPath } from '../contracts/api.js';
import { logger } from '../shared/powertools.js';
import { httpHandler, json, parseBody, parsePath, admitStorefront, publicUrl } from '../shared/http.js';
import { settlementDeps } from './deps.js';
import { refundOrder } from './service.js';

const deps = settlementDeps();

export const handler = httpHandler(async (event) => {
  const caller = await admitStorefront(event);
  const { orderId } = parsePath(OrderPath, event);
  parseBody(EmptyBody, event);
  logger.appendKeys({ orderId });
  const { order } = await refundOrder(deps, caller, orderId, publicUrl(event, '/payments/wechatpay/notify'));
  return json(200, order);
});
