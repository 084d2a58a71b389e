import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { powertoolsHandler } from '../shared/handler.js';
import { metrics } from '../shared/powertools.js';
import { showDeps } from './deps.js';
import { sweepShows } from './lifecycle.js';

const deps = showDeps();

/** Scheduled every minute. Errors propagate so the invocation is retried, then dead-lettered. */
export const handler = powertoolsHandler(async () => {
  const result = await sweepShows(deps);
  metrics.addMetric('ShowsEnded', MetricUnit.Count, result.ended);
  metrics.addMetric('ShowsCancelled', MetricUnit.Count, result.cancelled);
  return result;
});
