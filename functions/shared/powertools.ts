/** Powertools singletons, shared by every handler (created once per execution environment). */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger();
/** Metrics report their own warnings (e.g. nothing to publish) through the structured logger. */
export const metrics = new Metrics({ logger });
export const tracer = new Tracer();
