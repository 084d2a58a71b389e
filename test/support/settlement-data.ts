/**
 * Seeds a settled-to-be show quickly: sellers and products in the catalog, an ENDED show, and
 * PAID orders written straight to the orders table in the shape the order path leaves them
 * (the order path itself is tested elsewhere; settlement tests need volume).
 */
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { catalogStore } from '../../functions/adapters/catalog-store.js';
import { ddb } from '../../functions/adapters/dynamo.js';
import { orderKey, paidShowShard } from '../../functions/adapters/order-store.js';
import { showStore } from '../../functions/adapters/show-store.js';
import type { Order } from '../../functions/domain/order.js';
import { testChannel } from './env.js';

export interface SeededShow { showId: string; sellerIds: string[]; orders: Order[] }

export async function seedSellers(count: number, prefix = randomUUID().slice(0, 8)): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-seller-${String(i).padStart(4, '0')}`);
  await Promise.all(
    ids.map((sellerId, i) =>
      catalogStore.putSeller({ sellerId, countyId: 'chengbu', name: `城步合作社 ${i}, "Miao" co-op`, kind: 'cooperative', createdAt: new Date().toISOString() }),
    ),
  );
  return ids;
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
      const showPriceFen = 100 + rnd(20_000);
      return { productId: `${sellerId}-p${rnd(3)}`, sellerId, name: `Product of ${sellerId}`, unit: 'box', quantity, showPriceFen, amountFen: quantity * showPriceFen };
    });
    // one line per product in an order
    const items = [...new Map(lines.map((l) => [l.productId, l])).values()];
    return {
      orderId: `${showId}-o${i}`, showId, countyId: 'chengbu', buyerRef: `buyer-${i}`, status: 'PAID', items,
      totalFen: items.reduce((n, l) => n + l.amountFen, 0), createdAt: now, expiresAt: now, paidAt: now, paymentRef: `pay-${i}`,
    } satisfies Order;
  });
}

export async function writeOrders(orders: Order[]): Promise<void> {
  const table = process.env.ORDERS_TABLE!;
  const chunks: Order[][] = [];
  for (let i = 0; i < orders.length; i += 25) chunks.push(orders.slice(i, i + 25));
  const worker = async () => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
      let requests = chunk.map((o) => {
        const shard = paidShowShard(o.showId, o.orderId);
        return { PutRequest: { Item: { ...orderKey(o.orderId), ...o, showShard: shard, paidShow: shard } } };
      });
      while (requests.length) {
        const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

export async function endedShow(showId = randomUUID()): Promise<string> {
  const now = new Date().toISOString();
  await showStore.putShow({
    showId, countyId: 'chengbu', channelId: 'chengbu-main', channelArn: testChannel('chengbu-main').arn, title: 'Settled show',
    scheduledStart: now, status: 'ENDED', lineup: [], createdAt: now, streams: {}, startedAt: now, endedAt: now, version: 0,
  });
  return showId;
}

export async function ledgerFor(showId: string) {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: process.env.LEDGER_TABLE!, FilterExpression: 'showId = :s', ExpressionAttributeValues: { ':s': showId }, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort((a, b) => String(a.pk).localeCompare(String(b.pk)));
}
