import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { OrderPath, PayOrderBody } from '../contracts/api.js';
import { httpHandler, json, parseBody, parsePath } from '../shared/http.js';
import { metrics } from '../shared/powertools.js';
import { orderDeps } from './deps.js';
import { payOrder } from './service.js';

const deps = orderDeps();

export const handler = httpHandler(async (event) => {
  const { orderId } = parsePath(OrderPath, event);
  const { paymentRef } = parseBody(PayOrderBody, event);
  const order = await payOrder(deps, orderId, paymentRef);
  metrics.addMetric('OrdersPaid', MetricUnit.Count, 1);
  return json(200, order);
});
