/** Powertools singletons, shared by every handler (created once per execution environment). */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger();
/**
 * Metrics' own diagnostics ("no application metrics to publish" on a request that recorded
 * none) go to a child logger that only speaks up for errors.
 */
export const metrics = new Metrics({ logger: logger.createChild({ logLevel: 'ERROR' }) });
export const tracer = new Tracer();

/**
 * Traces never carry a response: answers hold stream keys, new API keys and buyer references.
 * (Powertools records the response as trace metadata by default.) Errors are still recorded.
 */
export const TRACE_OPTIONS = { captureResponse: false } as const;
