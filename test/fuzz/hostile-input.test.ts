/**
 * Hostile input, for every endpoint: generated bodies, headers, path parameters and query strings
 * (oversized, wrong types and content types, unicode edge cases, negative/huge/float amounts)
 * → always a 4xx with an error code, never a 5xx, and not a single item written.
 * FUZZ_RUNS per endpoint: 100 in `npm test`, 1,000 in `npm run test:fuzz`.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ddb } from '../../functions/adapters/dynamo.js';
import { routeContracts } from '../../functions/contracts/routes.js';
import { ERROR_STATUS } from '../../functions/domain/errors.js';
import { functions, routes, tables } from '../../province/wiring.js';
import { liveShowWithProduct, useOwnTables } from '../support/fixtures.js';
import { apiEvent, lambdaContext } from '../support/http.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number; body: string }>;

const unicode = fc.constantFrom('\uD800', '\uDFFF', '\u0000', '\u202E', '\u200B', '🧧💥', 'İ', 'ß', 'e\u0301', '\uFEFF', 'Ａ', '\n', '\t', '"', '\\', '/', '..', '%00', '<script>', "' OR 1=1 --");
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.array(unicode, { minLength: 1, maxLength: 5 }).map((a) => a.join('')),
  fc.constant(''),
  fc.integer({ min: 65, max: 70_000 }).map((n) => 'x'.repeat(n)),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, -0.01, 1e21, Number.MAX_SAFE_INTEGER + 1, -Number.MAX_SAFE_INTEGER, 1.0000001, Number.MIN_VALUE),
  fc.double(),
  fc.integer({ min: -1_000_000_000, max: -1 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
/** A plausible body gone wrong: known field names with hostile values, plus unknown fields. */
const fieldNames = ['countyId', 'name', 'kind', 'sellerId', 'unit', 'priceFen', 'stock', 'channel', 'title', 'scheduledStart', 'lineup', 'productId', 'showPriceFen', 'stockShards', 'showId', 'buyerRef', 'items', 'quantity', 'paymentRef', 'rateLimitPerSecond', '__proto__', 'constructor'];
const hostileBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...fieldNames), hostileValue, { maxKeys: 6 }),
  fc.json({ maxDepth: 3 }).map((j) => ({ raw: j })),
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom('{', '[', 'null', 'true', '"x"', '{"a":', '\u0000'),
  fc.constant({ raw: JSON.stringify({ name: 'y'.repeat(70_000) }) }),
);
const hostileRequest = fc.record({
  path: fc.oneof(hostileString, fc.constant('a'.repeat(65)), fc.constant('nope-not-here')),
  query: fc.dictionary(fc.oneof(fc.constantFrom('status', 'limit', 'cursor'), hostileString), hostileString, { maxKeys: 3 }),
  body: fc.option(hostileBody, { nil: undefined }),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', '', 'application/json; charset=utf-16', 'APPLICATION/JSON'),
  idempotencyKey: fc.option(fc.oneof(hostileString, fc.constant('valid-key-12345678')), { nil: undefined }),
});

async function itemCount(): Promise<number> {
  let total = 0;
  // every table but the request counters (metering of the storefront's rate, not state)
  for (const t of Object.values(tables).filter((t) => t.env !== tables.rates.env)) total += (await ddb.send(new ScanCommand({ TableName: process.env[t.env], Select: 'COUNT' }))).Count ?? 0;
  return total;
}

const handlers = new Map<string, Handler>();
let fixture: { showId: string; productId: string };

beforeAll(async () => {
  await useOwnTables();
  fixture = await liveShowWithProduct(5);
  for (const r of routes) {
    const mod = await import(pathToFileURL(join(import.meta.dirname, '..', '..', functions[r.function].entry)).href);
    handlers.set(`${r.method} ${r.path}`, mod.handler);
  }
});

describe(`hostile input on every endpoint (${RUNS} runs each)`, () => {
  it('every route in the wiring has a contract, and only those', () => {
    expect(Object.keys(routeContracts).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  // the payment notification route has its own answers and its own property test (test/integration/payments.test.ts)
  for (const route of routes.filter((r) => r.audience !== 'public' && r.audience !== 'provider')) {
    const routeKey = `${route.method} ${route.path}`;
    it(routeKey, async () => {
      const contract = routeContracts[routeKey]!;
      const handler = handlers.get(routeKey)!;
      const before = await itemCount();
      let tried = 0;
      await fc.assert(
        fc.asyncProperty(hostileRequest, fc.boolean(), async (req, realIds) => {
          const paramNames = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
          // sometimes the ids of things that exist, so that the body is what gets tested
          const idFor = (name: string) => (realIds ? ({ showId: fixture.showId, productId: fixture.productId } as Record<string, string>)[name] ?? req.path : req.path);
          const pathParameters = Object.fromEntries(paramNames.map((n) => [n, idFor(n)]));
          const b = req.body as unknown;
          const rawBody =
            b === undefined ? undefined
            : typeof b === 'string' ? b
            : b !== null && typeof b === 'object' && typeof (b as { raw?: unknown }).raw === 'string' ? (b as { raw: string }).raw
            : JSON.stringify(b);
          let parsedBody: unknown;
          // as the handlers see it: an empty body is no body
          try { parsedBody = rawBody === undefined || rawBody.trim() === '' ? undefined : JSON.parse(rawBody); } catch { parsedBody = Symbol('not json'); }
          const wellFormed =
            (!contract.path || contract.path.safeParse(pathParameters).success) &&
            (!contract.query || contract.query.safeParse(req.query).success) &&
            (!contract.body || (/^application\/json\s*(;|$)/i.test(req.contentType) || parsedBody === undefined) && contract.body.safeParse(parsedBody).success) &&
            Object.entries(contract.headers ?? {}).every(([, schema]) => schema.safeParse(req.idempotencyKey).success);
          // a valid request to an endpoint that creates things would rightly write: only hostile ones here
          fc.pre(!wellFormed || route.method === 'GET' || !realIds);
          if (wellFormed && route.method !== 'GET' && ['POST /storefronts', 'POST /sellers', 'POST /products', 'POST /shows', 'POST /orders'].includes(routeKey)) fc.pre(false);
          if (wellFormed && route.method === 'GET') fc.pre(false);
          tried++;
          const headers: Record<string, string> = { 'content-type': req.contentType };
          if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;
          const event = apiEvent({ method: route.method, path: route.path, pathParameters, headers, body: rawBody, queryStringParameters: req.query });
          const res = await handler(event, lambdaContext(route.function));
          expect(res.statusCode, `${routeKey} ${JSON.stringify(req).slice(0, 300)} → ${res.body}`).toBeGreaterThanOrEqual(400);
          expect(res.statusCode).toBeLessThan(500);
          const error = JSON.parse(res.body).error;
          expect(ERROR_STATUS[error.code as keyof typeof ERROR_STATUS]).toBe(res.statusCode);
          expect(typeof error.message).toBe('string');
        }),
        { numRuns: RUNS },
      );
      expect(tried).toBeGreaterThan(RUNS / 4);
      expect(await itemCount()).toBe(before);
    }, 600_000);
  }
});
