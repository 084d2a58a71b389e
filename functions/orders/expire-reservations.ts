import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { powertoolsHandler } from '../shared/handler.js';
import { logger, metrics } from '../shared/powertools.js';
import { orderDeps } from './deps.js';
import { expireReservations } from './service.js';

const deps = orderDeps();

/** Scheduled (rate rule): releases expired reservations. Errors propagate so the invocation is retried. */
export const handler = powertoolsHandler(async () => {
  const result = await expireReservations(deps);
  metrics.addMetric('ReservationsExpired', MetricUnit.Count, result.expired);
  logger.info('expired reservations released', result);
  return result;
});
