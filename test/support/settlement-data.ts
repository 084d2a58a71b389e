/**
 * Seeds a settled-to-be show quickly: sellers and products in the catalog, an ENDED show, and
 * PAID orders written straight to the orders table in the shape the order path leaves them
 * (the order path itself is tested elsewhere; settlement tests need volume).
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ddb } from '../../functions/adapters/dynamo.js';
import { showStore } from '../../functions/adapters/show-store.js';
import { seedSellers as seedSellersWith } from '../../local/seed.js';
import { testChannel } from './env.js';

export { makeOrders, writeOrders } from '../../local/seed.js';

/** Sellers for a settlement test, under a fresh prefix. */
export const seedSellers = (count: number, prefix = randomUUID().slice(0, 8)) => seedSellersWith(count, prefix);

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
