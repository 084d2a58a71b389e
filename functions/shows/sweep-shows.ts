import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, metrics, tracer } from '../shared/powertools.js';
import { lifecycleDeps } from './deps.js';
import { sweepShows } from './lifecycle.js';

const deps = lifecycleDeps();

/** Scheduled every minute. Errors propagate so the invocation is retried, then dead-lettered. */
export const handler = middy(async () => {
  const result = await sweepShows(deps);
  metrics.addMetric('ShowsEnded', MetricUnit.Count, result.ended);
  metrics.addMetric('ShowsCancelled', MetricUnit.Count, result.cancelled);
  return result;
})
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
