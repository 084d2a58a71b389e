/** Invokes a real handler with an API Gateway HTTP API (payload v2) event, as the stack would. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { asHandler } from './iam.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number; body: string; headers?: unknown }>;

/** As API Gateway passes them after its authorizers: a storefront (Lambda authorizer) and an operator (JWT). */
export const TEST_STOREFRONT = 'sf-test';
/** The test storefront reports its own payments (a merchant of record) unless a test says otherwise; payments through WeChat Pay: test/integration/payments.test.ts. */
export const storefrontAuth = (storefrontId = TEST_STOREFRONT, rateLimitPerSecond = 100_000, merchantOfRecord = true) => ({ lambda: { storefrontId, rateLimitPerSecond, merchantOfRecord } });
export const operatorAuth = (countyId?: string, provinceAdmin = !countyId) => ({
  jwt: {
    claims: { sub: `operator-${countyId ?? 'admin'}`, token_use: 'id', ...(countyId ? { 'custom:county': countyId } : {}), ...(provinceAdmin ? { 'cognito:groups': '[province-admin]' } : {}) },
    scopes: null,
  },
});

export interface Call {
  method?: string;
  path?: string;
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  queryStringParameters?: Record<string, string>;
  /** The authorizer context; by default both a test storefront and a province admin. */
  authorizer?: Record<string, unknown> | null;
}

export function lambdaContext(functionName = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function apiEvent(call: Call): APIGatewayProxyEventV2 {
  const method = call.method ?? 'GET';
  const path = call.path ?? '/';
  const hasBody = call.body !== undefined;
  const body = typeof call.body === 'string' ? call.body : hasBody ? JSON.stringify(call.body) : undefined;
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(call.queryStringParameters ?? {}).toString(),
    queryStringParameters: call.queryStringParameters,
    headers: { ...(hasBody && typeof call.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...call.headers },
    pathParameters: call.pathParameters,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      ...(call.authorizer === null ? {} : { authorizer: call.authorizer ?? { ...storefrontAuth(), ...operatorAuth() } }),
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}

export interface Answer<T = any> { status: number; body: T }

/** Invokes a route handler; its answer must match the OpenAPI document (the contract test). */
export async function invoke<T = any>(handler: Handler, call: Call): Promise<Answer<T>> {
  const res = await asHandler(handler, () => handler(apiEvent(call), lambdaContext()));
  const contentType = (res.headers as Record<string, string> | undefined)?.['content-type'];
  const body = res.body && (contentType ?? 'application/json').startsWith('application/json') ? JSON.parse(res.body) : res.body;
  const { expectMatchesContract } = await import('./contract.js');
  await expectMatchesContract(handler, call.method ?? 'GET', call.path, res.statusCode, contentType, body);
  return { status: res.statusCode, body };
}

/** Every page of a list route, following nextCursor; asserts each page holds at most `limit`. */
export async function allPages<T = any>(list: (query: Record<string, string>) => Promise<Answer>, key: string, limit: number, query: Record<string, string> = {}) {
  const seen: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await list({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    expect(res.body[key].length).toBeLessThanOrEqual(limit);
    seen.push(...res.body[key]);
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor);
  return { items: seen, pages };
}
