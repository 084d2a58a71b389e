/**
 * Property: any invalid order request gets a 4xx with a machine-readable code (and the field
 * for validation errors), never a 5xx, and changes nothing: stock stays, no order appears,
 * and the idempotency key stays free for a correct request.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ddb } from '../../functions/adapters/dynamo.js';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { handler as pay } from '../../functions/orders/pay.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { ERROR_STATUS } from '../../functions/domain/errors.js';
import { liveShowWithProduct, newKey, product, seller } from '../support/fixtures.js';
import { invoke } from '../support/http.js';

let showId: string;
let productId: string;
let outsideId: string;
const STOCK = 5;

beforeAll(async () => {
  ({ showId, productId } = await liveShowWithProduct(STOCK));
  const { sellerId } = await seller('Miao Embroidery Enterprise');
  outsideId = (await product(sellerId, 100, 18800, 'Miao embroidery scarf')).productId;
});

const valid = () => ({ showId, buyerRef: 'buyer-42', items: [{ productId, quantity: 1 }] as { productId: unknown; quantity: unknown }[] });

const weirdString = fc.oneof(
  fc.constant(''),
  fc.constant(' '),
  fc.constant('\u0000'),
  fc.constant('a/b'),
  fc.constant('💥'.repeat(40)),
  fc.constant('x'.repeat(65)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).filter((s) => !/^[A-Za-z0-9_-]{1,64}$/.test(s)),
);
const badQuantity = fc.oneof(
  fc.constant(0),
  fc.integer({ max: -1 }),
  fc.double({ min: 0.01, max: 5, noInteger: true }),
  fc.integer({ min: 10_001 }),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.constant('1'),
  fc.constant(null),
  fc.constant(true),
  fc.constant(Number.NaN),
);

/** A request that must be refused, and why. */
const invalidRequest = fc.oneof(
  fc.record({ kind: fc.constant('quantity'), q: badQuantity }).map(({ q }) => {
    const b = valid();
    b.items[0]!.quantity = q;
    return { body: b as unknown };
  }),
  weirdString.map((s) => ({ body: { ...valid(), showId: s } as unknown })),
  weirdString.map((s) => {
    const b = valid();
    b.items[0]!.productId = s;
    return { body: b as unknown };
  }),
  fc.oneof(fc.constant(''), fc.constant('\u0007'), fc.string({ minLength: 129, maxLength: 300 })).map((s) => ({ body: { ...valid(), buyerRef: s } as unknown })),
  fc.constantFrom('showId', 'buyerRef', 'items').map((k) => {
    const b: Record<string, unknown> = valid();
    delete b[k];
    return { body: b as unknown };
  }),
  fc.constant({ body: { ...valid(), items: [] } as unknown }),
  fc.integer({ min: 21, max: 40 }).map((n) => ({ body: { ...valid(), items: Array.from({ length: n }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) } as unknown })),
  fc.constant('dup').map(() => ({ body: { ...valid(), items: [{ productId, quantity: 1 }, { productId, quantity: 2 }] } as unknown })),
  fc.string({ minLength: 1, maxLength: 10 }).map((k) => ({ body: { ...valid(), [`x_${k}`]: 1 } as unknown })),
  fc.constant(null).map(() => ({ body: { ...valid(), items: [{ productId: outsideId, quantity: 1 }] } as unknown })),
  fc.constant(null).map(() => ({ body: { ...valid(), showId: 'no-such-show' } as unknown })),
  fc.integer({ min: STOCK + 1, max: 10_000 }).map((q) => ({ body: { ...valid(), items: [{ productId, quantity: q }] } as unknown })),
  fc.oneof(fc.constant('{'), fc.constant('[]'), fc.constant('null'), fc.constant('"x"'), fc.string()).map((raw) => ({ raw })),
  fc.constant({ raw: JSON.stringify({ ...{ showId: 's', buyerRef: 'b', items: [] }, pad: 'x'.repeat(70_000) }) }),
  fc.constant({ contentType: 'text/plain' }),
);

describe('POST /orders refuses bad input and writes nothing (fast-check)', () => {
  it('never 5xx, always a coded 4xx, never a write', async () => {
    const usedKeys: string[] = [];
    await fc.assert(
      fc.asyncProperty(invalidRequest, async (req) => {
        const key = newKey();
        usedKeys.push(key);
        const headers: Record<string, string> = { 'Idempotency-Key': key };
        let body: unknown = 'body' in req ? req.body : valid();
        if ('raw' in req) {
          body = req.raw;
          headers['content-type'] = 'application/json';
        }
        if ('contentType' in req) {
          body = JSON.stringify(valid());
          headers['content-type'] = req.contentType;
        }
        const res = await invoke(reserve, { method: 'POST', headers, body });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        const code = res.body.error.code as keyof typeof ERROR_STATUS;
        expect(ERROR_STATUS[code]).toBe(res.status);
        expect(typeof res.body.error.message).toBe('string');
        if (code === 'VALIDATION_FAILED') expect(res.body.error.field).toEqual(expect.any(String));
      }),
      { numRuns: 150 },
    );
    const stock = (await invoke(getProduct, { pathParameters: { productId } })).body.stock;
    expect(stock).toBe(STOCK);
    const orders = await ddb.send(
      new ScanCommand({ TableName: process.env.ORDERS_TABLE, FilterExpression: 'showId = :s', ExpressionAttributeValues: { ':s': showId } }),
    );
    expect(orders.Items ?? []).toHaveLength(0);
    // no idempotency record was kept for a refused request: its key still takes a correct one
    const reuse = await invoke(reserve, { method: 'POST', headers: { 'Idempotency-Key': usedKeys[0]! }, body: valid() });
    expect(reuse.status).toBe(201);
  });

  it('pay refuses bad payment references and unknown orders without a write', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ orderId: weirdString, paymentRef: fc.constant('p-1') }),
          fc.record({ orderId: fc.constant('no-such-order'), paymentRef: fc.constant('p-1') }),
          fc.record({ orderId: fc.constant('no-such-order'), paymentRef: fc.oneof(fc.constant(''), fc.integer(), fc.string({ minLength: 129, maxLength: 200 })) }),
        ),
        async ({ orderId, paymentRef }) => {
          const res = await invoke(pay, { method: 'POST', pathParameters: { orderId }, body: { paymentRef } });
          expect([400, 404]).toContain(res.status);
          expect(ERROR_STATUS[res.body.error.code as keyof typeof ERROR_STATUS]).toBe(res.status);
        },
      ),
      { numRuns: 100 },
    );
  });
});
