/**
 * An emulation of the province's API Gateway HTTP API: routes from the wiring, both
 * authorizers (operators' JWTs against the local identity provider, storefront keys through
 * the real authorizer function, cached per key), and payload-2.0 events for the handlers.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Audience, authorizers, type HttpMethod, routes } from '../province/wiring.js';
import { AuthorizerCache, type LocalIdentityProvider } from './auth.js';
import { type Invoke, LOCAL_ACCOUNT } from './lambda.js';

/** API Gateway HTTP API payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ApiRequest {
  method: string;
  /** The path as requested (percent-encoded). */
  path: string;
  query?: URLSearchParams;
  headers?: Record<string, string>;
  body?: string;
  sourceIp?: string;
  protocol?: string;
}

/** The API Gateway HTTP API (payload 2.0) event for a request, as the real service builds it. */
export function httpApiEvent(request: ApiRequest, routeKey: string, pathParameters: Record<string, string>, authorizer?: Record<string, unknown>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of request.query ?? []) query[k] = k in query ? `${query[k]},${v}` : v;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: request.query?.toString() ?? '',
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: { method: request.method, path: request.path, protocol: request.protocol ?? 'HTTP/1.1', sourceIp: request.sourceIp ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(authorizer ? { authorizer } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(request.body ? { body: request.body } : {}),
    isBase64Encoded: false,
  };
}

/** `/shows/{showId}/lineup` → a matcher giving the path parameters. */
export function routeMatcher(path: string) {
  const names: string[] = [];
  const pattern = path.replace(/[.]/g, '\\.').replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const re = new RegExp(`^${pattern}$`);
  return (actual: string): Record<string, string> | 'malformed' | undefined => {
    const m = re.exec(actual);
    if (!m) return undefined;
    try {
      return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    } catch {
      return 'malformed'; // a percent-escape that is not UTF-8: API Gateway refuses the request itself
    }
  };
}

export function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type Refusal = { status: number; message: string };

/** The HTTP API: routes to the functions behind their authorizers. Answers undefined for paths it has no route for. */
export function apiGateway(options: { invoke: Invoke; idp: LocalIdentityProvider }) {
  const { invoke, idp } = options;
  const storefrontAnswers = new AuthorizerCache<{ isAuthorized: boolean; context?: Record<string, unknown> }>(authorizers.storefront.cacheSeconds * 1000);

  async function authorize(audience: Audience, headers: Record<string, string>): Promise<Refusal | Record<string, unknown> | undefined> {
    if (audience === 'public' || audience === 'provider') return undefined; // provider: the function checks the provider's signature
    if (audience === 'operator') {
      const claims = idp.verify(headers.authorization);
      return claims ? { jwt: { claims, scopes: null } } : { status: 401, message: 'Unauthorized' };
    }
    const key = headers[authorizers.storefront.header];
    if (!key) return { status: 401, message: 'Unauthorized' };
    const answer = await storefrontAnswers.get(key, () =>
      invoke(authorizers.storefront.function, { version: '2.0', type: 'REQUEST', routeArn: 'local', identitySource: [key], headers: { [authorizers.storefront.header]: key } }),
    );
    return answer.isAuthorized ? { lambda: answer.context } : { status: 403, message: 'Forbidden' };
  }

  const matchers = routes.map((r) => ({ route: r, match: routeMatcher(r.path) }));

  return async (request: ApiRequest): Promise<{ statusCode: number; headers: Record<string, string>; body: Buffer | string } | undefined> => {
    for (const { route, match } of matchers) {
      if (route.method !== (request.method as HttpMethod)) continue;
      const params = match(request.path);
      if (!params) continue;
      if (params === 'malformed') return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Bad Request' }) };
      const authorizer = await authorize(route.audience, request.headers ?? {});
      if (authorizer && 'status' in authorizer) {
        return { statusCode: authorizer.status as number, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: authorizer.message }) };
      }
      const result = await invoke(route.function, httpApiEvent(request, `${route.method} ${route.path}`, params, authorizer));
      return {
        statusCode: result.statusCode ?? 200,
        headers: result.headers ?? {},
        body: result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''),
      };
    }
    return undefined;
  };
}

/** A Node request as the API sees it. */
export function apiRequest(req: IncomingMessage, url: URL, body: string): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  headers['x-forwarded-proto'] = 'http'; // API Gateway adds X-Forwarded-Proto (https in the cloud)
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', protocol: `HTTP/${req.httpVersion}` };
}

export const jsonReply = (res: ServerResponse) => (status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
