import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { OrderPath, PayOrderBody } from '../contracts/api.js';
import { httpHandler, json, parseBody, parsePath, admitStorefront } from '../shared/http.js';
import { logger, metrics } from '../shared/powertools.js';
import { orderDeps } from './deps.js';
import { payOrder } from './service.js';

const deps = orderDeps();

export const handler = httpHandler(async (event) => {
  const caller = await admitStorefront(event);
  const { orderId } = parsePath(OrderPath, event);
  const { paymentRef } = parseBody(PayOrderBody, event);
  logger.appendKeys({ orderId });
  const order = await payOrder(deps, caller, orderId, paymentRef);
  metrics.addMetric('OrdersPaid', MetricUnit.Count, 1);
  metrics.addMetric('GmvFen', MetricUnit.Count, order.totalFen);
  logger.info('order paid', { orderId, showId: order.showId, totalFen: order.totalFen });
  return json(200, order);
});
