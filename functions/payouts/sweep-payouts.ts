import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { powertoolsHandler } from '../shared/handler.js';
import { logger, metrics } from '../shared/powertools.js';
import { payoutDeps } from './deps.js';
import { sweepPayouts } from './service.js';

const deps = payoutDeps();

/** Scheduled: every payout still in flight is asked about (a lost notification, a timeout), or submitted again if it never was. */
export const handler = powertoolsHandler(async () => {
  const result = await sweepPayouts(deps);
  metrics.addMetric('PayoutsInFlight', MetricUnit.Count, result.inFlight);
  logger.info('payouts swept', result);
  return result;
});
