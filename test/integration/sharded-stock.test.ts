import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogStore, stockByShard } from '../../functions/adapters/catalog-store.js';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { splitStock } from '../../functions/domain/stock.js';
import { handler as cancel } from '../../functions/orders/cancel.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { handler as putLineup } from '../../functions/shows/put-lineup.js';
import { goLive, newKey, product, scheduledShow, seller } from '../support/fixtures.js';
import { invoke } from '../support/http.js';

const stockOf = async (productId: string) => (await invoke(getProduct, { pathParameters: { productId } })).body.stock as number;
const shardItems = async (productId: string) => [...(await stockByShard(productId))].map(([shard, stock]) => ({ shard, stock }));

async function flashSale(stock: number, stockShards: number) {
  const { sellerId } = await seller();
  const p = await product(sellerId, stock);
  const show = await scheduledShow([{ productId: p.productId, showPriceFen: 990 }]);
  const res = await invoke(putLineup, { method: 'PUT', pathParameters: { showId: show.showId }, body: { lineup: [{ productId: p.productId, showPriceFen: 990, stockShards }] } });
  expect(res.status).toBe(200);
  await goLive(show.showId);
  return { showId: show.showId, productId: p.productId };
}
const buy = (showId: string, productId: string, quantity: number) =>
  invoke(reserve, { method: 'POST', headers: { 'idempotency-key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity }] } });

describe('sharded stock for flash-sale products', () => {
  it('splitStock: parts add up to the total and differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 64 }), (total, shards) => {
        const parts = splitStock(total, shards);
        expect(parts).toHaveLength(shards);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });

  it('16 shards: 300 concurrent buyers for 50 units → exactly 50 orders, none oversold; cancels return to their shard', async () => {
    const { showId, productId } = await flashSale(50, 16);
    expect(await shardItems(productId)).toHaveLength(16);
    expect(await stockOf(productId)).toBe(50);
    const results = await Promise.all(Array.from({ length: 300 }, () => buy(showId, productId, 1)));
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(50);
    expect(results.filter((r) => r.body.error?.code === 'OUT_OF_STOCK')).toHaveLength(250);
    expect(await stockOf(productId)).toBe(0);
    expect((await shardItems(productId)).every((s) => s.stock === 0)).toBe(true);

    await Promise.all(created.slice(0, 10).map((r) => invoke(cancel, { method: 'POST', pathParameters: { orderId: r.body.orderId } })));
    expect(await stockOf(productId)).toBe(10);
    expect((await shardItems(productId)).reduce((n, s) => n + s.stock, 0)).toBe(10);
  });

  it('mixed quantities over 8 shards never oversell and every unit is accounted for', async () => {
    const { showId, productId } = await flashSale(100, 8);
    const results = await Promise.all(Array.from({ length: 150 }, (_, i) => buy(showId, productId, 1 + (i % 3))));
    const reserved = results.filter((r) => r.status === 201).reduce((n, r) => n + r.body.items[0].quantity, 0);
    const shards = await shardItems(productId);
    expect(shards.every((s) => s.stock >= 0)).toBe(true);
    expect(reserved + shards.reduce((n, s) => n + s.stock, 0)).toBe(100);
    // an order is refused only when no single shard can serve it: what is left is crumbs
    expect(shards.every((s) => s.stock < 3)).toBe(true);
  });

  it('resharding keeps every unit; 1 shard gathers the stock back onto the product', async () => {
    const { sellerId } = await seller();
    const p = await product(sellerId, 1234);
    await catalogStore.shardStock(p.productId, 16);
    expect(await stockOf(p.productId)).toBe(1234);
    await catalogStore.shardStock(p.productId, 5);
    expect(await shardItems(p.productId)).toHaveLength(5);
    expect(await stockOf(p.productId)).toBe(1234);
    await catalogStore.shardStock(p.productId, 1);
    expect(await shardItems(p.productId)).toHaveLength(0);
    expect((await catalogStore.getProducts([p.productId])).get(p.productId)).toMatchObject({ stock: 1234, stockShards: 1 });
  });

  it('a cancel after resharding returns units to the product when their shard is gone', async () => {
    const { showId, productId } = await flashSale(64, 16);
    const orders = (await Promise.all(Array.from({ length: 8 }, () => buy(showId, productId, 2)))).map((r) => r.body.orderId as string);
    expect(await stockOf(productId)).toBe(48);
    await catalogStore.shardStock(productId, 2); // shards 2..15 are gone
    await Promise.all(orders.map((orderId) => invoke(cancel, { method: 'POST', pathParameters: { orderId } })));
    expect(await stockOf(productId)).toBe(64);
  });
});
