import { EmptyBody, OrderPath } from '../contracts/api.js';
import { logger } from '../shared/powertools.js';
import { httpHandler, json, parseBody, parsePath, storefrontOf } from '../shared/http.js';
import { settlementDeps } from '../settlement/deps.js';
import { refundOrder } from '../settlement/service.js';

const deps = settlementDeps();

export const handler = httpHandler(async (event) => {
  const { storefrontId } = storefrontOf(event);
  const { orderId } = parsePath(OrderPath, event);
  parseBody(EmptyBody, event);
  logger.appendKeys({ orderId });
  return json(200, await refundOrder(deps, orderId, storefrontId));
});
