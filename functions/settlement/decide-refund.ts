import { DecideRefundBody, OrderPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath, publicUrl } from '../shared/http.js';
import { logger } from '../shared/powertools.js';
import { settlementDeps } from './deps.js';
import { decideRefund } from './service.js';

const deps = settlementDeps();

/** POST /orders/{orderId}/refund/decision: an operator of the show's county approves or refuses a refund asked after settlement. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { orderId } = parsePath(OrderPath, event);
  const { approve } = parseBody(DecideRefundBody, event);
  logger.appendKeys({ orderId });
  const order = await decideRefund(deps, operator, orderId, approve, publicUrl(event, '/payments/wechatpay/notify'));
  logger.info('refund decided', { orderId, approve, by: operator.subject });
  return json(200, order);
});
