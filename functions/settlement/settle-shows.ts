import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { powertoolsHandler } from '../shared/handler.js';
import { logger, metrics } from '../shared/powertools.js';
import { settlementDeps } from './deps.js';
import { settleDue } from './service.js';

const deps = settlementDeps();

/** Scheduled every minute: settles every show whose payment window has closed. */
export const handler = powertoolsHandler(async () => {
  const result = await settleDue(deps, {
    onSettled(showId, totals, ms) {
      logger.info('show settled', { showId, ...totals, ms: Math.round(ms) });
      metrics.addMetric('SettlementDuration', MetricUnit.Milliseconds, ms);
      metrics.addMetric('SettledGrossFen', MetricUnit.Count, totals.grossFen);
      metrics.addMetric('SettledPayoutFen', MetricUnit.Count, totals.sellerPayoutFen);
      metrics.addMetric('SettledOperationsFen', MetricUnit.Count, totals.operationsFen);
    },
    onError: (showId, error) => logger.error('settlement attempt failed; it will be retried', { showId, error: error as Error }),
  });
  // ended shows the Show Ended event did not register (its delivery was lost): should stay 0
  metrics.addMetric('SettlementsRegisteredBySweep', MetricUnit.Count, result.registered);
  if (result.registered > 0) logger.warn('ended shows registered by the sweep: their Show Ended never arrived', { registered: result.registered });
  metrics.addMetric('SettlementsCompleted', MetricUnit.Count, result.settled);
  metrics.addMetric('SettlementsFailed', MetricUnit.Count, result.failed);
  return result;
});
