/**
 * Fast seeding for volume: sellers in the catalog and PAID orders written straight to the orders
 * table in the shape the order path leaves them (through the orders table's codec). Used by the
 * settlement benchmark and the settlement tests, which cannot wait for 100k orders to be placed.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { tables } from '../province/wiring.js';
import { catalogStore } from '../functions/adapters/catalog-store.js';
import { ddb } from '../functions/adapters/dynamo.js';
import { ordersTable } from '../functions/adapters/codecs/orders.js';
import type { Order } from '../functions/domain/order.js';

export async function seedSellers(count: number, prefix: string): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-seller-${String(i).padStart(4, '0')}`);
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(
      ids.slice(i, i + 50).map((sellerId, j) =>
        catalogStore.putSeller({ sellerId, countyId: 'chengbu', name: `城步合作社 ${i + j}, "Miao" co-op`, kind: 'cooperative', createdAt: new Date().toISOString(), version: 1 }),
      ),
    );
  }
  return ids;
}

/** A stable show price per product: 1.00 to 200.99 yuan. */
function showPriceOf(productId: string): number {
  let h = 0;
  for (const c of productId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 100 + (h % 20_000);
}

/** Orders for `sellerIds`, deterministic from `seed`, so two shows can get identical sales. */
export function makeOrders(showId: string, sellerIds: string[], count: number, seed = 1): Order[] {
  let x = seed;
  const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % n);
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const lines = Array.from({ length: 1 + rnd(3) }, (_, j) => {
      const sellerId = sellerIds[(i + j * 7) % sellerIds.length]!;
      const quantity = 1 + rnd(5);
      const productId = `${sellerId}-p${rnd(3)}`;
      const showPriceFen = showPriceOf(productId); // a show has one price per product, as in a lineup
      return { productId, sellerId, name: `Product of ${sellerId}`, unit: 'box', quantity, showPriceFen, amountFen: quantity * showPriceFen };
    });
    const items = [...new Map(lines.map((l) => [l.productId, l])).values()]; // one line per product
    return {
      orderId: `${showId}-o${i}`, storefrontId: 'sf-test', showId, countyId: 'chengbu', buyerRef: `buyer-${i}`, status: 'PAID', items,
      totalFen: items.reduce((n, l) => n + l.amountFen, 0), createdAt: now, expiresAt: now, paidAt: now, paymentRef: `pay-${i}`,
    } satisfies Order;
  });
}

/** BatchWriteItem, 25 at a time, 8 writers, retrying unprocessed items. */
export async function writeOrders(orders: Order[], onProgress?: (written: number) => void): Promise<void> {
  const table = process.env[tables.orders.env]!;
  const chunks: Order[][] = [];
  for (let i = 0; i < orders.length; i += 25) chunks.push(orders.slice(i, i + 25));
  let written = 0;
  const worker = async () => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
      let requests = chunk.map((o) => ({ PutRequest: { Item: ordersTable.orderItem(o) } }));
      while (requests.length) {
        const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
      written += chunk.length;
      onProgress?.(written);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
