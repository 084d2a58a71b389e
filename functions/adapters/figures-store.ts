/**
 * The live figures of shows (the figures table), kept from the orders stream, and the one read
 * that answers an operator: the show, its figures and the viewer counts in one BatchGetItem, the
 * lineup's stock in another.
 */
import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { paddedSequence, sumCounts, isZero } from '../domain/live-figures.js';
import type { LiveFiguresStore } from '../shows/ports.js';
import { tableName } from '../shared/env.js';
import { catalogTable } from './codecs/catalog.js';
import { figuresTable } from './codecs/figures.js';
import { showsTable } from './codecs/shows.js';
import { batchGet, ddb } from './dynamo.js';

type Key = Record<string, unknown>;

/** One BatchGetItem over several tables, retrying unprocessed keys (throttling) with backoff. */
async function batchGetTables(request: Record<string, Key[]>): Promise<Record<string, Record<string, unknown>[]>> {
  const found: Record<string, Record<string, unknown>[]> = Object.fromEntries(Object.keys(request).map((t) => [t, []]));
  let pending: Record<string, { Keys: Key[] }> | undefined = Object.fromEntries(Object.entries(request).map(([t, Keys]) => [t, { Keys }]));
  for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
    if (attempt > 8) throw new Error('BatchGetItem: keys still unprocessed after retries');
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
    const out: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: pending }));
    for (const [t, items] of Object.entries(out.Responses ?? {})) found[t]!.push(...items);
    pending = out.UnprocessedKeys as Record<string, { Keys: Key[] }> | undefined;
  }
  return found;
}

export const figuresStore: LiveFiguresStore = {
  async apply(shardId, changes) {
    const first = changes[0];
    if (!first) return;
    let pending = changes.map((c) => ({ ...c, sequence: paddedSequence(c.sequenceNumber) }));
    for (;;) {
      const counts = sumCounts(pending.map((c) => c.counts));
      if (pending.length === 0 || isZero(counts)) return; // nothing moves: nothing to record either
      const last = pending[pending.length - 1]!;
      try {
        await ddb.send(new UpdateCommand({
          TableName: tableName('figures'),
          ...figuresTable.applyUpdate({ showId: first.showId, countyId: first.countyId, shardId, counts, firstSequence: pending[0]!.sequence, lastSequence: last.sequence, asOf: last.at }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }));
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || !error.Item) throw error;
        // some (or all) of these were applied already, by an earlier delivery: apply only what follows
        const applied = figuresTable.appliedSequence(unmarshall(error.Item as Record<string, AttributeValue>), shardId);
        if (applied === undefined) throw error;
        pending = pending.filter((c) => c.sequence > applied);
      }
    }
  },

  async read(showId) {
    const shows = tableName('shows');
    const figures = tableName('figures');
    const found = await batchGetTables({ [shows]: [showsTable.showKey(showId), showsTable.viewersKey()], [figures]: [figuresTable.figuresKey(showId)] });
    const showItem = found[shows]!.find(showsTable.isShow);
    const viewersItem = found[shows]!.find((i) => !showsTable.isShow(i));
    const figuresItem = found[figures]![0];
    const f = figuresItem ? figuresTable.toFigures(figuresItem) : undefined;
    return {
      ...(showItem ? { show: showsTable.toShow(showItem) } : {}),
      ...(f ? { figures: { counts: f.counts, asOf: f.asOf, version: f.version } } : {}),
      ...(viewersItem?.fetchedAt ? { viewers: { counts: (viewersItem.counts ?? {}) as Record<string, number>, ...(viewersItem.health ? { health: viewersItem.health as Record<string, string> } : {}), fetchedAt: String(viewersItem.fetchedAt) } } : {}),
    };
  },

  async lineupStock(lineup) {
    // the products first: each says how many shard items hold its stock now (another show may have
    // re-sharded it since this lineup was saved), then exactly those shards
    const productItems = await batchGet(tableName('catalog'), lineup.map((e) => catalogTable.productKey(e.productId)));
    const products = new Map<string, { name: string; stock: number; shards: number }>();
    for (const item of productItems.filter(catalogTable.isProduct)) {
      const p = catalogTable.toProduct(item);
      products.set(p.productId, { name: p.name, stock: p.stock, shards: p.stockShards ?? 1 });
    }
    const shardKeys = [...products].flatMap(([productId, p]) => (p.shards > 1 ? Array.from({ length: p.shards }, (_, k) => catalogTable.stockShardKey(productId, k)) : []));
    const shardItems = shardKeys.length ? await batchGet(tableName('catalog'), shardKeys) : [];
    for (const item of shardItems.filter(catalogTable.isShard)) {
      const p = products.get(String(item.productId));
      const shard = catalogTable.toShard(item);
      if (p && shard.shard < p.shards) p.stock += shard.stock;
    }
    return new Map([...products].map(([id, p]) => [id, { name: p.name, stock: p.stock }]));
  },
};
