import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, metrics, tracer } from '../shared/powertools.js';
import { orderDeps } from './deps.js';
import { expireReservations } from './service.js';

const deps = orderDeps();

/** Scheduled (rate rule): releases expired reservations. Errors propagate so the invocation is retried. */
export const handler = middy(async () => {
  const result = await expireReservations(deps);
  metrics.addMetric('ReservationsExpired', MetricUnit.Count, result.expired);
  logger.info('expired reservations released', result);
  return result;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
