/**
 * The Powertools stack for functions that are not behind the HTTP API (schedules, event rules,
 * streams): Tracer → Logger → Metrics, in that order. Errors propagate, so the invocation is
 * retried and finally dead-lettered, never dropped.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger, metrics, TRACE_OPTIONS, tracer } from './powertools.js';

export function powertoolsHandler<E, R>(fn: (event: E) => Promise<R>) {
  return middy<E, R>(fn)
    .use(captureLambdaHandler(tracer, TRACE_OPTIONS))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
