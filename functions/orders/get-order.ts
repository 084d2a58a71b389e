import { OrderPath } from '../contracts/api.js';
import { httpHandler, json, parsePath, admitStorefront } from '../shared/http.js';
import { orderDeps } from './deps.js';
import { getOrder } from './service.js';

const deps = orderDeps();

export const handler = httpHandler(async (event) => {
  const caller = await admitStorefront(event);
  const { orderId } = parsePath(OrderPath, event);
  return json(200, await getOrder(deps, caller, orderId));
});
