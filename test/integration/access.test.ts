/** Who may call what: storefront keys, storefront isolation, county scoping of operators. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { accessTable } from '../../functions/adapters/codecs/access.js';
import { ddb } from '../../functions/adapters/dynamo.js';
import { handler as authorize } from '../../functions/access/storefront-authorizer.js';
import { handler as createStorefront } from '../../functions/access/create-storefront.js';
import { parseStorefrontKey } from '../../functions/domain/storefront-key.js';
import { handler as createProduct } from '../../functions/catalog/create-product.js';
import { handler as createSeller } from '../../functions/catalog/create-seller.js';
import { handler as cancel } from '../../functions/orders/cancel.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { handler as pay } from '../../functions/orders/pay.js';
import { handler as refund } from '../../functions/settlement/refund-order.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { logger } from '../../functions/shared/powertools.js';
import { handler as createShow } from '../../functions/shows/create-show.js';
import { handler as endShow } from '../../functions/shows/end-show.js';
import { handler as getIngest } from '../../functions/shows/get-ingest.js';
import { handler as putLineup } from '../../functions/shows/put-lineup.js';
import { handler as spotlight } from '../../functions/shows/spotlight.js';
import { liveShowWithProduct, newKey } from '../support/fixtures.js';
import { invoke, lambdaContext, operatorAuth, storefrontAuth } from '../support/http.js';

const storefrontA = storefrontAuth('sf-a');
const storefrontB = storefrontAuth('sf-b');
const chengbuOperator = operatorAuth('chengbu');
const xinhuangOperator = operatorAuth('xinhuang');

describe('storefronts', () => {
  it('a province admin issues a key, shown once and stored only as a hash; the authorizer accepts it and nothing else', async () => {
    const logged: unknown[] = [];
    const spies = (['info', 'warn', 'error', 'debug'] as const).map((l) => vi.spyOn(logger, l).mockImplementation((...a: unknown[]) => void logged.push(a)));
    const res = await invoke(createStorefront, { method: 'POST', authorizer: operatorAuth(), body: { name: 'Hunan Mall mini program', rateLimitPerSecond: 20 } });
    spies.forEach((s) => s.mockRestore());
    expect(res.status).toBe(201);
    const { storefrontId, apiKey } = res.body;
    expect(apiKey).toMatch(/^sfk_[a-f0-9]{16}_[a-f0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(logged)).not.toContain(apiKey);
    const { secret, keyId } = parseStorefrontKey(apiKey)!; // base64url: it may itself contain '_'
    const items = await Promise.all([accessTable.storefrontKey(storefrontId), accessTable.keyKey(storefrontId, keyId)].map(async (Key) => (await ddb.send(new GetCommand({ TableName: process.env.ACCESS_TABLE, Key }))).Item));
    expect(JSON.stringify(items)).not.toContain(secret);
    expect(items[1]!.keyHash).toMatch(/^[a-f0-9]{64}$/);

    const check = (key: string | undefined) => authorize({ type: 'REQUEST', headers: key ? { 'x-api-key': key } : {} } as any, lambdaContext('authorizer'));
    // not a merchant of record unless issued as one: its buyers pay through WeChat Pay
    await expect(check(apiKey)).resolves.toEqual({ isAuthorized: true, context: { storefrontId, rateLimitPerSecond: 20, merchantOfRecord: false } });
    const mor = await invoke(createStorefront, { method: 'POST', authorizer: operatorAuth(), body: { name: 'County co-op shop', merchantOfRecord: true } });
    expect(mor.body.merchantOfRecord).toBe(true);
    await expect(check(mor.body.apiKey)).resolves.toMatchObject({ isAuthorized: true, context: { merchantOfRecord: true } });
    for (const bad of [undefined, 'nonsense', apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A'), `sfk_${'0'.repeat(16)}_${keyId}_${secret}`]) {
      expect((await check(bad)).isAuthorized).toBe(false);
    }
  });

  it('only a province admin may issue keys', async () => {
    const res = await invoke(createStorefront, { method: 'POST', authorizer: chengbuOperator, body: { name: 'x' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await invoke(createStorefront, { method: 'POST', authorizer: null, body: { name: 'x' } })).status).toBe(401);
  });

  it("a storefront never sees or changes another storefront's orders: 404, not 403", async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const key = newKey();
    const mine = await invoke(reserve, { method: 'POST', authorizer: storefrontA, headers: { 'idempotency-key': key }, body: { showId, buyerRef: 'a', items: [{ productId, quantity: 1 }] } });
    expect(mine.status).toBe(201);
    const orderId = mine.body.orderId;
    for (const [handler, call] of [
      [getOrder, { pathParameters: { orderId } }],
      [pay, { method: 'POST', pathParameters: { orderId }, body: { paymentRef: 'p' } }],
      [cancel, { method: 'POST', pathParameters: { orderId } }],
      [refund, { method: 'POST', pathParameters: { orderId } }],
    ] as const) {
      const res = await invoke(handler as any, { ...(call as object), authorizer: storefrontB });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect((await invoke(getOrder, { pathParameters: { orderId }, authorizer: storefrontA })).body.status).toBe('RESERVED');
    // the same idempotency key from another storefront is another order
    const theirs = await invoke(reserve, { method: 'POST', authorizer: storefrontB, headers: { 'idempotency-key': key }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 2 }] } });
    expect(theirs.status).toBe(201);
    expect(theirs.body.orderId).not.toBe(orderId);
  });

  it('a storefront over its rate gets 429 RATE_LIMITED', async () => {
    // the rate is counted per second across instances: start at the beginning of one, so that all six fall into it
    while (Date.now() % 1000 > 200) await new Promise((r) => setImmediate(r));
    const limited = storefrontAuth(`sf-slow-${Date.now()}`, 3);
    const results = await Promise.all(Array.from({ length: 6 }, () => invoke(getOrder, { pathParameters: { orderId: 'x' }, authorizer: limited })));
    expect(results.filter((r) => r.status === 429).map((r) => r.body.error.code)).toContain('RATE_LIMITED');
    expect(results.filter((r) => r.status === 404)).toHaveLength(3);
  });
});

describe('county operators', () => {
  it("act on their own county only: another county's show, channel or seller is not found, creating there is forbidden", async () => {
    const { showId, productId, sellerId } = await liveShowWithProduct(5);
    const as = (authorizer: Record<string, unknown>) => ({ authorizer });
    expect((await invoke(endShow, { method: 'POST', pathParameters: { showId }, ...as(xinhuangOperator) })).status).toBe(404);
    expect((await invoke(spotlight, { method: 'POST', pathParameters: { showId }, body: { productId }, ...as(xinhuangOperator) })).status).toBe(404);
    expect((await invoke(putLineup, { method: 'PUT', pathParameters: { showId }, body: { lineup: [] }, ...as(xinhuangOperator) })).status).toBe(404);
    expect((await invoke(getIngest, { pathParameters: { channelId: 'chengbu-main' }, ...as(xinhuangOperator) })).status).toBe(404);
    const seller = await invoke(createSeller, { method: 'POST', body: { countyId: 'chengbu', name: 'x', kind: 'farmer' }, ...as(xinhuangOperator) });
    expect(seller.status).toBe(403);
    expect(seller.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'countyId' });
    // another county's seller is answered as one that does not exist (ids cannot be probed)
    const product = await invoke(createProduct, { method: 'POST', body: { sellerId, name: 'x', unit: 'u', priceFen: 1, stock: 1 }, ...as(xinhuangOperator) });
    expect(product.status).toBe(422);
    expect(product.body.error).toMatchObject({ code: 'UNKNOWN_REFERENCE', field: 'sellerId', message: `sellerId: seller ${sellerId} does not exist` });
    expect((await invoke(createShow, { method: 'POST', body: { countyId: 'chengbu', channel: 'chengbu-main', title: 't', scheduledStart: new Date().toISOString() }, ...as(xinhuangOperator) })).status).toBe(403);
    // the county's own operator can
    expect((await invoke(putLineup, { method: 'PUT', pathParameters: { showId }, body: { lineup: [{ productId, showPriceFen: 100 }] }, ...as(chengbuOperator) })).status).toBe(200);
    // the show's encoder is live in the IVS stand-in: ending the show stops its stream there
    expect((await invoke(endShow, { method: 'POST', pathParameters: { showId }, ...as(chengbuOperator) })).status).toBe(200);
  });

  it('without an operator token: 401 UNAUTHENTICATED', async () => {
    const res = await invoke(createSeller, { method: 'POST', authorizer: storefrontAuth(), body: { countyId: 'chengbu', name: 'x', kind: 'farmer' } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});
