import { EmptyBody, OrderPath } from '../contracts/api.js';
import { logger } from '../shared/powertools.js';
import { httpHandler, json, parseBody, parsePath, admitStorefront } from '../shared/http.js';
import { settlementDeps } from './deps.js';
import { refundOrder } from './service.js';

const deps = settlementDeps();

export const handler = httpHandler(async (event) => {
  const caller = await admitStorefront(event);
  const { orderId } = parsePath(OrderPath, event);
  parseBody(EmptyBody, event);
  logger.appendKeys({ orderId });
  return json(200, await refundOrder(deps, caller, orderId));
});
