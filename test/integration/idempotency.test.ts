import { describe, expect, it } from 'vitest';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { liveShowWithProduct, newKey } from '../support/fixtures.js';
import { invoke } from '../support/http.js';

const stockOf = async (productId: string) =>
  (await invoke(getProduct, { pathParameters: { productId } })).body.stock as number;
const reserveWith = (key: string | undefined, body: unknown) =>
  invoke(reserve, { method: 'POST', headers: key ? { 'Idempotency-Key': key } : {}, body });

describe('Idempotency-Key on POST /orders', () => {
  it('replays the first response for the same key and body', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const key = newKey();
    const body = { showId, buyerRef: 'b-1', items: [{ productId, quantity: 2 }] };
    const first = await reserveWith(key, body);
    const second = await reserveWith(key, body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await stockOf(productId)).toBe(8);
  });

  it('concurrent duplicates create one order', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const key = newKey();
    const body = { showId, buyerRef: 'b-2', items: [{ productId, quantity: 1 }] };
    const results = await Promise.all(Array.from({ length: 10 }, () => reserveWith(key, body)));
    const created = results.filter((r) => r.status === 201);
    const busy = results.filter((r) => r.status === 409 && r.body.error.code === 'IDEMPOTENCY_IN_PROGRESS');
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.length + busy.length).toBe(10);
    expect(new Set(created.map((r) => r.body.orderId)).size).toBe(1);
    expect(await stockOf(productId)).toBe(9);
    // once the first has finished, a late duplicate gets the stored answer
    const late = await reserveWith(key, body);
    expect(late.body.orderId).toBe(created[0]!.body.orderId);
  });

  it('refuses the same key with another body, writing nothing', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const key = newKey();
    await reserveWith(key, { showId, buyerRef: 'b-3', items: [{ productId, quantity: 1 }] });
    const reused = await reserveWith(key, { showId, buyerRef: 'b-3', items: [{ productId, quantity: 4 }] });
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotency-key' });
    expect(await stockOf(productId)).toBe(9);
  });

  it('requires the header', async () => {
    const { showId, productId } = await liveShowWithProduct(1);
    const missing = await reserveWith(undefined, { showId, buyerRef: 'b', items: [{ productId, quantity: 1 }] });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'idempotency-key' });
    expect(await stockOf(productId)).toBe(1);
  });

  it('does not store a refusal: the same key succeeds once the cause is gone', async () => {
    const { showId, productId } = await liveShowWithProduct(1);
    const key = newKey();
    const body = { showId, buyerRef: 'b-4', items: [{ productId, quantity: 1 }] };
    const blocker = await reserveWith(newKey(), body);
    expect(blocker.status).toBe(201);
    const refused = await reserveWith(key, body);
    expect(refused.body.error.code).toBe('OUT_OF_STOCK');
    const { handler: cancel } = await import('../../functions/orders/cancel.js');
    await invoke(cancel, { method: 'POST', pathParameters: { orderId: blocker.body.orderId } });
    const retried = await reserveWith(key, body);
    expect(retried.status).toBe(201);
  });
});
