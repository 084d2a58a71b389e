/**
 * The OpenAPI 3.1 document, generated (zod-openapi) from the zod schemas the handlers validate
 * with and answer in, and from the wiring's routes. Nothing here is written by hand but prose.
 */
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { routes } from '../../province/wiring.js';
import { ERROR_STATUS, type ErrorCode } from '../domain/errors.js';
import { ErrorBody } from './responses.js';
import { routeContracts } from './routes.js';

const COMMON: (ErrorCode | 'INTERNAL')[] = ['VALIDATION_FAILED', 'UNAUTHENTICATED'];

function errorResponses(codes: (ErrorCode | 'INTERNAL')[]) {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = code === 'INTERNAL' ? 500 : ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [String(status), { description: list.join(', '), content: { 'application/json': { schema: ErrorBody } } }]),
  );
}

export function openApiDocument(serverUrl?: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const routeKey = `${route.method} ${route.path}`;
    const c = routeContracts[routeKey]!;
    const operation: ZodOpenApiOperationObject = {
      operationId: route.function,
      summary: c.summary,
      tags: [route.audience],
      ...(route.audience === 'operator' ? { security: [{ operatorToken: [] }] } : route.audience === 'storefront' ? { security: [{ storefrontKey: [] }] } : { security: [] }),
      requestParams: {
        ...(c.path ? { path: c.path as never } : {}),
        ...(c.query ? { query: c.query as never } : {}),
      },
      ...(c.headers ? { parameters: Object.keys(c.headers).map((name) => ({ in: 'header' as const, name, required: true, schema: { type: 'string' as const, minLength: 8, maxLength: 255 } })) } : {}),
      ...(c.body ? { requestBody: { required: route.path !== '/orders/{orderId}/cancel', content: { 'application/json': { schema: c.body } } } } : {}),
      responses: {
        [String(c.success)]: { description: 'OK', content: { [c.contentType ?? 'application/json']: { schema: c.response } } },
        ...(route.audience === 'public' ? {} : errorResponses([...COMMON, ...c.errors, 'INTERNAL'])),
      },
    };
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'County live commerce API',
      version: '1.0.0',
      description:
        'Storefronts reserve, pay and cancel orders during county-head livestreams; county operators run shows and read settlements. Money is integer fen (100 fen = 1 yuan). Errors are {"error": {"code", "message", "field"?}}.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: {
        operatorToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A county operator's Cognito ID token; its custom:county claim scopes what they may touch" },
        storefrontKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'A storefront API key issued by POST /storefronts' },
      },
    },
    paths,
  });
}
