import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { IdempotencyKey, ReserveOrderBody } from '../contracts/api.js';
import { DomainError } from '../domain/errors.js';
import { orderIdFor } from '../domain/order.js';
import { header, httpHandler, json, parseBody, admitStorefront, validate } from '../shared/http.js';
import { logger, metrics } from '../shared/powertools.js';
import { orderDeps } from './deps.js';
import { reserveOrder } from './service.js';

const deps = orderDeps();

/**
 * The idempotency key names the order (`orderIdFor`), so a second reservation under it can never
 * be written. The same key with the same body answers with that order; with another body it is
 * refused (the order keeps the fingerprint of its request). A refusal (out of stock, not live…)
 * wrote nothing, so a retry may succeed once the cause is gone.
 */
export const handler = httpHandler(async (event) => {
  const { storefrontId } = await admitStorefront(event);
  const key = validate(IdempotencyKey, header(event, 'idempotency-key'), 'idempotency-key');
  const request = parseBody(ReserveOrderBody, event);
  try {
    const order = await reserveOrder(deps, { storefrontId }, request, orderIdFor(storefrontId, key));
    metrics.addMetric('OrdersReserved', MetricUnit.Count, 1);
    logger.info('order reserved', { orderId: order.orderId, showId: order.showId, totalFen: order.totalFen });
    return json(201, order);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'OUT_OF_STOCK') metrics.addMetric('OutOfStockRefusals', MetricUnit.Count, 1);
    throw error;
  }
});
