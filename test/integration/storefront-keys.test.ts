/** Storefront keys rotate and revoke; a storefront's rate holds across function instances. */
import { describe, expect, it } from 'vitest';
import { handler as authorize } from '../../functions/access/storefront-authorizer.js';
import { handler as createStorefront } from '../../functions/access/create-storefront.js';
import { handler as storefrontKeys } from '../../functions/access/storefront-keys.js';
import { takeRequest } from '../../functions/adapters/rate-counter.js';
import { dynamoClient } from '../../functions/adapters/dynamo.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { authorizers } from '../../province/wiring.js';
import { invoke, lambdaContext, operatorAuth, storefrontAuth } from '../support/http.js';

const admin = operatorAuth();
const check = async (key: string) => (await authorize({ type: 'REQUEST', headers: { 'x-api-key': key } } as any, lambdaContext('authorizer'))).isAuthorized;
const keysCall = (method: string, storefrontId: string, keyId?: string, authorizer: Record<string, unknown> = admin) =>
  invoke(storefrontKeys, {
    method,
    path: keyId ? `/storefronts/${storefrontId}/keys/${keyId}` : `/storefronts/${storefrontId}/keys`,
    pathParameters: { storefrontId, ...(keyId ? { keyId } : {}) },
    authorizer,
  });

describe('storefront keys', () => {
  it('rotate: a second key works beside the first, a third is refused, the first revoked is refused by the authorizer, the second still works', async () => {
    const created = await invoke(createStorefront, { method: 'POST', authorizer: admin, body: { name: 'Hunan Mall', rateLimitPerSecond: 20 } });
    expect(created.status).toBe(201);
    const { storefrontId, apiKey: first, keyId: firstId } = created.body;
    expect(first).toMatch(/^sfk_[a-f0-9]{16}_[a-f0-9]{8}_[A-Za-z0-9_-]{43}$/);

    const second = await keysCall('POST', storefrontId);
    expect(second.status).toBe(201);
    expect(second.body.keyId).not.toBe(firstId);
    expect(await check(first)).toBe(true);
    expect(await check(second.body.apiKey)).toBe(true);

    const third = await keysCall('POST', storefrontId);
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({ code: 'KEY_LIMIT_REACHED', field: 'storefrontId' });

    const revoked = await keysCall('DELETE', storefrontId, firstId);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ keyId: firstId, status: 'REVOKED' });
    expect(await check(first)).toBe(false);
    expect(await check(second.body.apiKey)).toBe(true);
    expect((await keysCall('DELETE', storefrontId, firstId)).body.status).toBe('REVOKED'); // again: the same answer

    const listed = await keysCall('GET', storefrontId);
    expect(listed.body.keys.map((k: { keyId: string; status: string }) => [k.keyId, k.status]).sort()).toEqual([[firstId, 'REVOKED'], [second.body.keyId, 'ACTIVE']].sort());
    expect(JSON.stringify(listed.body)).not.toMatch(/keyHash|[a-f0-9]{64}/);
    // with one key revoked, a new one may be issued again
    expect((await keysCall('POST', storefrontId)).status).toBe(201);
  });

  it('only a province admin manages keys; an unknown storefront or key is 404', async () => {
    const { storefrontId, keyId } = (await invoke(createStorefront, { method: 'POST', authorizer: admin, body: { name: 'x' } })).body;
    const county = operatorAuth('chengbu');
    expect((await keysCall('POST', storefrontId, undefined, county)).status).toBe(403);
    expect((await keysCall('DELETE', storefrontId, keyId, county)).status).toBe(403);
    expect((await keysCall('DELETE', storefrontId, '00000000')).status).toBe(404);
    expect((await keysCall('POST', '0123456789abcdef')).status).toBe(404);
    expect((await keysCall('GET', 'not-an-id')).status).toBe(400);
  });

  it('a revoked key is refused everywhere within 60 s: the API caches authorizer answers at most that long', () => {
    expect(authorizers.storefront.cacheSeconds).toBeLessThanOrEqual(60);
  });
});

describe("a storefront's rate", () => {
  it('holds across instances: requests beyond it in the same second are refused, whichever instance serves them', async () => {
    // start at the beginning of a second, so that all requests fall into one
    while (Date.now() % 1000 > 200) await new Promise((r) => setImmediate(r));
    const limited = storefrontAuth(`sf-rate-${Date.now()}`, 3);
    const results = await Promise.all(Array.from({ length: 6 }, () => invoke(getOrder, { pathParameters: { orderId: 'x' }, authorizer: limited })));
    expect(results.filter((r) => r.status === 404)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429).map((r) => r.body.error.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('a busy instance takes its requests in leases: far fewer counter writes than requests, and never more than the rate in a second', async () => {
    // count the counter writes on the real client (the handlers' own)
    let writes = 0;
    const name = `count-rates-${Date.now()}`;
    dynamoClient.middlewareStack.add((next: any, context: any) => async (args: any) => {
      if (context.commandName === 'UpdateItemCommand' && args.input?.TableName === process.env.RATES_TABLE) writes++;
      return next(args);
    }, { step: 'initialize', name });
    try {
      const storefrontId = `sf-lease-${Date.now()}`;
      const rate = 400;
      // 1,000 requests, one after another, inside the same second of a clock the test holds still (then the next)
      const second = Math.floor(Date.now() / 1000) * 1000;
      const admitted: boolean[] = [];
      for (let i = 0; i < 1000; i++) admitted.push(await takeRequest(storefrontId, rate, second + (i < 500 ? 0 : 1000)));
      const firstSecond = admitted.slice(0, 500).filter(Boolean).length;
      const nextSecond = admitted.slice(500).filter(Boolean).length;
      expect(firstSecond).toBeLessThanOrEqual(rate);
      expect(nextSecond).toBeLessThanOrEqual(rate);
      // leases are at most rate/8 units, so the last few units of a second may go unused by this instance
      expect(firstSecond).toBeGreaterThan(rate - rate / 8);
      expect(writes).toBeLessThan(100);
    } finally {
      dynamoClient.middlewareStack.remove(name);
    }
  });
});

