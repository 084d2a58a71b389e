import { describe, expect, it } from 'vitest';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { handler as cancel } from '../../functions/orders/cancel.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { liveShowWithProduct, newKey } from '../support/fixtures.js';
import { invoke } from '../support/http.js';

const stockOf = async (productId: string) =>
  (await invoke(getProduct, { pathParameters: { productId } })).body.stock as number;

describe('stock under concurrency (DynamoDB Local)', () => {
  it('300 concurrent buyers for 50 in stock: exactly 50 reservations, 250 OUT_OF_STOCK, never negative; 10 cancels return 10', async () => {
    const { showId, productId } = await liveShowWithProduct(50);
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        invoke(reserve, {
          method: 'POST',
          headers: { 'idempotency-key': newKey() },
          body: { showId, buyerRef: `buyer-${i}`, items: [{ productId, quantity: 1 }] },
        }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409 && r.body.error.code === 'OUT_OF_STOCK');
    expect(created).toHaveLength(50);
    expect(refused).toHaveLength(250);
    expect(new Set(created.map((r) => r.body.orderId)).size).toBe(50);
    expect(await stockOf(productId)).toBe(0);

    const cancelled = await Promise.all(
      created.slice(0, 10).flatMap((r) =>
        // every cancel sent twice, concurrently: stock still comes back once per order
        [0, 1].map(() => invoke(cancel, { method: 'POST', pathParameters: { orderId: r.body.orderId } })),
      ),
    );
    expect(cancelled.every((r) => r.status === 200 && r.body.status === 'CANCELLED')).toBe(true);
    expect(await stockOf(productId)).toBe(10);
  });
});
