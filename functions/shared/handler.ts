/**
 * The Powertools stack for functions that are not behind the HTTP API (schedules, event rules,
 * streams): Logger → Metrics, in that order (traces are Lambda's own). Errors propagate, so the
 * invocation is retried and finally dead-lettered, never dropped.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger, metrics } from './powertools.js';

export function powertoolsHandler<E, R>(fn: (event: E) => Promise<R>) {
  return middy<E, R>(fn)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
