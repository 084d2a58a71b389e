import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { splitStock } from '../domain/stock.js';
import type { Fen } from '../domain/money.js';
import { tableName } from '../shared/env.js';
import { ddb, fromItem } from './dynamo.js';

export type SellerKind = 'farmer' | 'cooperative' | 'enterprise';

export interface Seller {
  sellerId: string;
  countyId: string;
  name: string;
  kind: SellerKind;
  contact?: string;
  createdAt: string;
}

export interface Product {
  productId: string;
  sellerId: string;
  countyId: string;
  name: string;
  unit: string;
  priceFen: Fen;
  /** Units left: on the product item, plus on its stock shard items when it has any. */
  stock: number;
  /** How many shard items hold the stock (absent or 1: the product item itself). */
  stockShards?: number;
  createdAt: string;
}

const sellerKey = (sellerId: string) => ({ pk: `SELLER#${sellerId}`, sk: 'SELLER' });
export const productKey = (productId: string) => ({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' });
/** Each stock shard has a partition key of its own: DynamoDB spreads load by partition key. */
export const stockShardKey = (productId: string, shard: number) => ({ pk: `STOCK#${productId}#${String(shard).padStart(2, '0')}`, sk: 'STOCK' });
/** Where a line's units are held: a stock shard, or the product item. */
export const stockKey = (productId: string, shard?: number) => (shard === undefined ? productKey(productId) : stockShardKey(productId, shard));

export interface CatalogStore {
  putSeller(seller: Seller): Promise<void>;
  getSeller(sellerId: string): Promise<Seller | undefined>;
  putProduct(product: Product): Promise<void>;
  getProduct(productId: string): Promise<Product | undefined>;
  /** Products by id. `stock` is the product item's own unless `withStock` adds up the shards too. */
  getProducts(productIds: readonly string[], options?: { withStock?: boolean }): Promise<Map<string, Product>>;
  /** Spreads a product's stock over `shards` items (1 gathers it back), keeping every unit. */
  shardStock(productId: string, shards: number): Promise<void>;
  getSellers(sellerIds: readonly string[]): Promise<Map<string, Seller>>;
}

/** BatchGetItem (≤100 keys a call), retrying unprocessed keys with backoff. */
async function batchGet(keys: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const table = tableName('catalog');
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchGetItem: keys still unprocessed after retries');
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const out: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      items.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return items;
}

export const catalogStore: CatalogStore = {
  async putSeller(seller) {
    await ddb.send(
      new PutCommand({
        TableName: tableName('catalog'),
        Item: { ...sellerKey(seller.sellerId), ...seller },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async getSeller(sellerId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('catalog'), Key: sellerKey(sellerId) }));
    return Item ? fromItem<Seller>(Item) : undefined;
  },

  async putProduct(product) {
    await ddb.send(
      new PutCommand({
        TableName: tableName('catalog'),
        Item: { ...productKey(product.productId), ...product },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async getProduct(productId) {
    const { product, shards } = await productWithShards(productId);
    return product && { ...product, stock: product.stock + shards.reduce((n, s) => n + s.stock, 0) };
  },

  async getProducts(productIds, options) {
    const items = await batchGet(productIds.map(productKey));
    const products = new Map(items.map((i) => fromItem<Product>(i)).map((p) => [p.productId, p]));
    if (options?.withStock) {
      for (const p of products.values()) {
        if ((p.stockShards ?? 1) > 1) p.stock += (await shardsOf(p.productId, p.stockShards!)).reduce((n, s) => n + s.stock, 0);
      }
    }
    return products;
  },

  async shardStock(productId, shards) {
    for (let attempt = 0; attempt < 10; attempt++) {
      const { product, shards: existing } = await productWithShards(productId);
      if (!product) throw new Error(`product ${productId} does not exist`);
      const current = Math.max(1, product.stockShards ?? 1);
      if (current === shards && existing.length === (shards > 1 ? shards : 0)) return;
      const total = product.stock + existing.reduce((n, s) => n + s.stock, 0);
      const parts = shards > 1 ? splitStock(total, shards) : [];
      const table = tableName('catalog');
      try {
        await ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table,
                  Key: productKey(productId),
                  UpdateExpression: 'SET stock = :base, stockShards = :n',
                  ConditionExpression: 'stock = :was',
                  ExpressionAttributeValues: { ':base': shards > 1 ? 0 : total, ':n': shards, ':was': product.stock },
                },
              },
              ...parts.map((stock, shard) => {
                const old = existing.find((s) => s.shard === shard);
                return {
                  Put: {
                    TableName: table,
                    Item: { ...stockShardKey(productId, shard), productId, shard, stock },
                    ConditionExpression: old ? 'stock = :was' : 'attribute_not_exists(pk)',
                    ...(old ? { ExpressionAttributeValues: { ':was': old.stock } } : {}),
                  },
                };
              }),
              ...existing
                .filter((s) => s.shard >= parts.length)
                .map((s) => ({
                  Delete: { TableName: table, Key: stockShardKey(productId, s.shard), ConditionExpression: 'stock = :was', ExpressionAttributeValues: { ':was': s.stock } },
                })),
            ],
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error; // stock moved meanwhile: look again
      }
    }
    throw new Error(`could not reshard the stock of ${productId}: it kept changing`);
  },

  async getSellers(sellerIds) {
    const items = await batchGet(sellerIds.map(sellerKey));
    return new Map(items.map((i) => fromItem<Seller>(i)).map((s) => [s.sellerId, s]));
  },
};

/** The product item and its stock shard items (consistent reads). */
async function productWithShards(productId: string) {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('catalog'), Key: productKey(productId), ConsistentRead: true }));
  const product = Item ? fromItem<Product>(Item) : undefined;
  const count = product?.stockShards ?? 1;
  return { product, shards: product && count > 1 ? await shardsOf(productId, count) : [] };
}

/** A product's stock shard items (a consistent read), by shard number. */
async function shardsOf(productId: string, count: number): Promise<{ shard: number; stock: number }[]> {
  const table = tableName('catalog');
  const { Responses } = await ddb.send(
    new BatchGetCommand({ RequestItems: { [table]: { Keys: Array.from({ length: count }, (_, k) => stockShardKey(productId, k)), ConsistentRead: true } } }),
  );
  return (Responses?.[table] ?? []).map((i) => ({ shard: Number(i.shard), stock: Number(i.stock) })).sort((a, b) => a.shard - b.shard);
}

/** Units left per stock shard of a product (a consistent read). */
export async function stockByShard(productId: string): Promise<Map<number, number>> {
  const { shards } = await productWithShards(productId);
  return new Map(shards.map((s) => [s.shard, s.stock]));
}
