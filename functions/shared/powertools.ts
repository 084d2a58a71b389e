/** Powertools singletons, shared by every handler (created once per execution environment). */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const logger = new Logger();
/**
 * Metrics' own diagnostics ("no application metrics to publish" on a request that recorded
 * none) go to a child logger that only speaks up for errors.
 */
export const metrics = new Metrics({ logger: logger.createChild({ logLevel: 'ERROR' }) });

/*
 * No tracer here, on purpose. Every function has Lambda's active tracing (ProvinceFunction:
 * Tracing.ACTIVE): Lambda itself records one X-Ray trace per invocation (its init, invocation and
 * overhead, errors and faults) with no SDK in the function, and the AWS SDK passes the trace id on
 * to the services it calls. Per-call subsegments (Powertools Tracer and the X-Ray SDK) would add
 * ≈ 13–19 ms to every cold start (README: Benchmarks), so there are none.
 *
 * Traces never carry secrets: Lambda's segments hold no events or responses, and no code in
 * functions/ writes to a trace (test/unit/security.test.ts keeps the tracing SDKs out).
 */
