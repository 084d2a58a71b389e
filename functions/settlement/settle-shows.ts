import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, metrics, tracer } from '../shared/powertools.js';
import { settlementDeps } from './deps.js';
import { settleDue } from './service.js';

const deps = settlementDeps();

/** Scheduled every minute: settles every show whose payment window has closed. */
export const handler = middy(async () => {
  const started = Date.now();
  const result = await settleDue(deps, (showId, error) => logger.error('settlement attempt failed; it will be retried', { showId, error: error as Error }));
  metrics.addMetric('SettlementsCompleted', MetricUnit.Count, result.settled);
  metrics.addMetric('SettlementsFailed', MetricUnit.Count, result.failed);
  metrics.addMetric('SettlementSweepDuration', MetricUnit.Milliseconds, Date.now() - started);
  return result;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
