/**
 * The HTTP edge: middy + Powertools, body/path/header parsing with zod, and the one mapping
 * from errors to responses: `{"error": {"code", "message", "field"?}}`.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { type Operator, PROVINCE_ADMIN_GROUP, type StorefrontCaller } from '../domain/access.js';
import { DomainError, ERROR_STATUS, type ErrorCode } from '../domain/errors.js';
import { logger, metrics } from './powertools.js';
import { takeRequest } from '../adapters/rate-counter.js';

export const MAX_BODY_BYTES = 64 * 1024;

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(code: ErrorCode | 'INTERNAL', message: string, field?: string): HttpResponse {
  const status = code === 'INTERNAL' ? 500 : ERROR_STATUS[code];
  return json(status, { error: { code, message, ...(field ? { field } : {}) } });
}

function fieldOf(path: PropertyKey[], prefix?: string): string {
  const parts = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${prefix ?? ''}${parts}`.replace(/^\./, '') || prefix || 'body';
}

/** zod result → typed value, or a VALIDATION_FAILED naming the first offending field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = fieldOf(issue.path, prefix);
  throw new DomainError('VALIDATION_FAILED', `${field}: ${issue.message}`, field);
}

/** Parses the JSON body (refusing other content types, oversized and malformed bodies), then validates it. */
export function parseBody<S extends z.ZodType>(schema: S, event: APIGatewayProxyEventV2): z.output<S> {
  let raw = event.body ?? '';
  if (event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new DomainError('VALIDATION_FAILED', `body: must be at most ${MAX_BODY_BYTES} bytes`, 'body');
  }
  let value: unknown = undefined;
  if (raw.trim() !== '') {
    const contentType = header(event, 'content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      throw new DomainError('VALIDATION_FAILED', 'content-type: must be application/json', 'content-type');
    }
    try {
      value = JSON.parse(raw);
    } catch {
      throw new DomainError('VALIDATION_FAILED', 'body: is not valid JSON', 'body');
    }
  }
  if (value === undefined && !(schema.safeParse(undefined).success)) {
    throw new DomainError('VALIDATION_FAILED', 'body: a JSON body is required', 'body');
  }
  return validate(schema, value);
}

export function parsePath<S extends z.ZodType>(schema: S, event: APIGatewayProxyEventV2): z.output<S> {
  return validate(schema, event.pathParameters ?? {});
}

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

type Authorizer = { jwt?: { claims?: Record<string, unknown> }; lambda?: Record<string, unknown> };
const authorizerOf = (event: APIGatewayProxyEventV2) => (event.requestContext as { authorizer?: Authorizer }).authorizer;

/** Cognito groups arrive as a JSON array, or (HTTP API JWT claims) as a string like "[a b]". */
function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

/** The operator the JWT authorizer (Cognito) vouched for. */
export function operatorOf(event: APIGatewayProxyEventV2): Operator {
  const claims = authorizerOf(event)?.jwt?.claims;
  if (!claims?.sub) throw new DomainError('UNAUTHENTICATED', 'an operator token (Authorization: Bearer <Cognito ID token>) is required');
  // the API's JWT authorizer accepts any token of the pool; only an ID token carries the operator's county
  if (claims.token_use !== 'id') throw new DomainError('UNAUTHENTICATED', 'authorization: an ID token is required (not an access token)', 'authorization');
  const county = claims['custom:county'];
  return {
    subject: String(claims.sub),
    countyId: typeof county === 'string' && county ? county : undefined,
    provinceAdmin: groupsOf(claims['cognito:groups']).includes(PROVINCE_ADMIN_GROUP),
  };
}

/** The storefront the API-key authorizer vouched for, with its rate. */
export function storefrontOf(event: APIGatewayProxyEventV2): StorefrontCaller & { rateLimitPerSecond: number } {
  const context = authorizerOf(event)?.lambda;
  if (typeof context?.storefrontId !== 'string') throw new DomainError('UNAUTHENTICATED', 'a storefront API key (x-api-key) is required');
  return { storefrontId: context.storefrontId, rateLimitPerSecond: Number(context.rateLimitPerSecond ?? 50), merchantOfRecord: context.merchantOfRecord === true || context.merchantOfRecord === 'true' };
}

/** A URL of this API as callers reach it (e.g. where a payment provider sends notifications). */
export function publicUrl(event: APIGatewayProxyEventV2, path: string): string {
  const scheme = event.headers?.['x-forwarded-proto'] === 'http' ? 'http' : 'https';
  return `${scheme}://${event.requestContext.domainName}${path}`;
}

/**
 * Admits a storefront's request: who is calling (the authorizer's word), then its request rate
 * across every function instance, refused with RATE_LIMITED beyond it. Every storefront route
 * calls this first.
 */
export async function admitStorefront(event: APIGatewayProxyEventV2): Promise<StorefrontCaller> {
  const caller = storefrontOf(event);
  if (!(await takeRequest(caller.storefrontId, caller.rateLimitPerSecond))) {
    throw new DomainError('RATE_LIMITED', `storefront ${caller.storefrontId} is over its ${caller.rateLimitPerSecond} requests/s; slow down and retry`);
  }
  logger.appendKeys({ storefrontId: caller.storefrontId });
  return { storefrontId: caller.storefrontId, merchantOfRecord: caller.merchantOfRecord };
}

/** Errors of AWS services that say "try again later": throttling, overload, a server fault. */
const RETRYABLE = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException', 'TransactionConflictException', 'TooManyRequestsException']);

function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $fault?: string; $retryable?: unknown; CancellationReasons?: { Code?: string }[] };
  if (e?.name === 'TransactionCanceledException') return (e.CancellationReasons ?? []).some((r) => r.Code === 'ThrottlingError' || r.Code === 'TransactionConflict' || r.Code === 'ProvisionedThroughputExceeded');
  return RETRYABLE.has(e?.name ?? '') || Boolean(e?.$retryable) || e?.$fault === 'server';
}

type Route = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>;

/**
 * Wraps a route: Logger → Metrics (Powertools order; traces are Lambda's own), then maps refusals
 * to 4xx and anything unexpected to a logged 500 that reveals nothing.
 */
export function httpHandler(route: Route) {
  return middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true })) // keys appended for one request do not leak into the next
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      logger.setCorrelationId(event.requestContext?.requestId);
      try {
        return await route(event, context);
      } catch (error) {
        if (error instanceof DomainError) {
          logger.info('request refused', { code: error.code, field: error.field });
          return errorResponse(error.code, error.message, error.field);
        }
        if (isRetryable(error)) {
          logger.warn('a service was unavailable or throttled', { error: (error as Error).name });
          return { ...errorResponse('SERVICE_UNAVAILABLE', 'a service the API depends on is busy or unavailable; retry after the time in Retry-After'), headers: { 'content-type': 'application/json', 'retry-after': '1' } };
        }
        logger.error('request failed', error as Error);
        return errorResponse('INTERNAL', 'internal error; the request may be retried');
      }
    });
}
