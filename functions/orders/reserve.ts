import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { IdempotencyKey, ReserveOrderBody, type ReserveOrderRequest } from '../contracts/api.js';
import { DomainError } from '../domain/errors.js';
import { orderIdFor } from '../domain/order.js';
import { header, httpHandler, json, parseBody, admitStorefront, validate } from '../shared/http.js';
import { logger, metrics } from '../shared/powertools.js';
import { idempotencyRecords, orderDeps } from './deps.js';
import { reserveOrder } from './service.js';

const deps = orderDeps();

/**
 * The same key with the same body replays the first answer; the same key with another body is
 * refused. A refusal (out of stock, not live…) is not stored: it wrote nothing, so a retry may
 * succeed once the cause is gone.
 */
const idempotency = new IdempotencyConfig({
  // a key is the storefront's own: two storefronts may use the same key for different orders
  eventKeyJmesPath: '[storefrontId, key]',
  payloadValidationJmesPath: 'request',
  expiresAfterSeconds: 24 * 60 * 60,
});
const reserveOnce = makeIdempotent(
  async (input: { key: string; storefrontId: string; request: ReserveOrderRequest }) =>
    reserveOrder(deps, { storefrontId: input.storefrontId }, input.request, orderIdFor(input.storefrontId, input.key)),
  {
    persistenceStore: idempotencyRecords(),
    config: idempotency,
  },
);

export const handler = httpHandler(async (event, context) => {
  const { storefrontId } = await admitStorefront(event);
  const key = validate(IdempotencyKey, header(event, 'idempotency-key'), 'idempotency-key');
  const request = parseBody(ReserveOrderBody, event);
  idempotency.registerLambdaContext(context);
  try {
    const order = await reserveOnce({ key, storefrontId, request });
    metrics.addMetric('OrdersReserved', MetricUnit.Count, 1);
    logger.info('order reserved', { orderId: order.orderId, showId: order.showId, totalFen: order.totalFen });
    return json(201, order);
  } catch (error) {
    if (error instanceof IdempotencyValidationError) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'idempotency-key: this key was already used with a different body', 'idempotency-key');
    }
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'idempotency-key: a request with this key is still in progress; retry shortly', 'idempotency-key');
    }
    if (error instanceof DomainError && error.code === 'OUT_OF_STOCK') metrics.addMetric('OutOfStockRefusals', MetricUnit.Count, 1);
    throw error;
  }
});
