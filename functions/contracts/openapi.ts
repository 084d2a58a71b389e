/**
 * The OpenAPI 3.1 document, generated (zod-openapi) from the zod schemas the handlers validate
 * with and answer in, and from the wiring's routes. Nothing here is written by hand but prose.
 */
import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { routes } from '../../province/wiring.js';
import { ERROR_STATUS, type ErrorCode } from '../domain/errors.js';
import { ErrorBody, GatewayRefusal } from './responses.js';
import { routeContracts } from './routes.js';

const COMMON: (ErrorCode | 'INTERNAL')[] = ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'SERVICE_UNAVAILABLE'];

/**
 * What API Gateway itself answers, before any function runs: the authorizers' refusals (401
 * without credentials, 403 for a key or token it refused) and its throttling (429), each
 * `{"message": …}`.
 */
const GATEWAY: Record<number, string> = {
  401: 'API Gateway: no credentials ({"message":"Unauthorized"})',
  403: 'API Gateway: credentials refused by the authorizer ({"message":"Forbidden"})',
  429: 'API Gateway: over the stage throttle ({"message":"Too Many Requests"})',
};

function errorResponses(codes: (ErrorCode | 'INTERNAL')[], gateway: number[]) {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = code === 'INTERNAL' ? 500 : ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const status of gateway) if (!byStatus.has(status)) byStatus.set(status, []);
  return Object.fromEntries(
    [...byStatus].sort(([a], [b]) => a - b).map(([status, list]) => {
      const fromGateway = gateway.includes(status);
      const description = [...list, ...(fromGateway ? [GATEWAY[status]!] : [])].join('; ');
      const schema = list.length === 0 ? GatewayRefusal : fromGateway ? z.union([ErrorBody, GatewayRefusal]) : ErrorBody;
      return [String(status), { description, content: { 'application/json': { schema } } }];
    }),
  );
}

/** A payment provider's notification: 204 once recorded; anything else (WeChat's {"code":"FAIL"} shape) makes it retry. */
const NotifyFailure = z.object({ code: z.literal('FAIL'), message: z.string() }).meta({ id: 'NotifyFailure' });
function providerResponses() {
  const fail = (description: string) => ({ description, content: { 'application/json': { schema: NotifyFailure } } });
  return {
    '204': { description: 'Recorded (the order is PAID, the late payment refunded, or the refund completed)' },
    '401': fail('The signature, serial, timestamp or encryption did not verify: nothing was changed'),
    '404': fail('No such order (out_trade_no)'),
    '409': fail('Not our merchant account, or the amount is not the order total'),
    '500': fail('Not recorded yet (WeChat Pay retries for about 24 h)'),
  };
}

export function openApiDocument(serverUrl?: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const routeKey = `${route.method} ${route.path}`;
    const c = routeContracts[routeKey]!;
    const gateway = route.audience === 'public' ? [429] : route.audience === 'storefront' ? [401, 403, 429] : [401, 403, 429];
    const operation: ZodOpenApiOperationObject = {
      operationId: route.operationId ?? route.function,
      summary: c.summary,
      tags: [route.audience],
      ...(route.audience === 'operator' ? { security: [{ operatorToken: [] }] } : route.audience === 'storefront' ? { security: [{ storefrontKey: [] }] } : { security: [] }),
      ...(route.audience === 'provider' ? { description: 'Headers Wechatpay-Timestamp, Wechatpay-Nonce, Wechatpay-Signature and Wechatpay-Serial are checked (SHA256withRSA over "timestamp\\nnonce\\nbody\\n" with the platform key of that serial, timestamp within 5 minutes); the resource is decrypted with the APIv3 key (AEAD_AES_256_GCM).' } : {}),
      requestParams: {
        ...(c.path ? { path: c.path as never } : {}),
        ...(c.query ? { query: c.query as never } : {}),
      },
      ...(c.headers ? { parameters: Object.keys(c.headers).map((name) => ({ in: 'header' as const, name, required: true, schema: { type: 'string' as const, minLength: 8, maxLength: 255 } })) } : {}),
      ...(c.body ? { requestBody: { required: route.path !== '/orders/{orderId}/cancel', content: { 'application/json': { schema: c.body } } } } : {}),
      responses: route.audience === 'provider' ? providerResponses() : {
        [String(c.success)]: { description: c.success === 201 ? 'Created' : c.success === 202 ? 'Accepted' : 'OK', content: { [c.contentType ?? 'application/json']: { schema: c.response } } },
        ...(route.audience === 'public' ? errorResponses([], gateway) : errorResponses([...COMMON, ...c.errors, 'INTERNAL'], gateway)),
      },
    };
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'County live commerce API',
      version: '1.0.0',
      license: { name: 'Proprietary: licensed to the deploying province', identifier: 'LicenseRef-Proprietary' },
      description:
        'Storefronts reserve, pay and cancel orders during county-head livestreams; county operators run shows and read settlements. Money is integer fen (100 fen = 1 yuan). Errors are {"error": {"code", "message", "field"?}}.',
    },
    servers: serverUrl
      ? [{ url: serverUrl }]
      : [
          {
            url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
            description: "A province's API (the stack output ApiUrl)",
            variables: { apiId: { default: 'abcdef1234', description: 'the HTTP API id' }, region: { default: 'ap-northeast-1', description: "the province's region" } },
          },
          { url: 'http://127.0.0.1:3000', description: 'The local province (npm start)' },
        ],
    components: {
      securitySchemes: {
        operatorToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A county operator's Cognito ID token; its custom:county claim scopes what they may touch" },
        storefrontKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'A storefront API key issued by POST /storefronts' },
      },
    },
    paths,
  });
}
