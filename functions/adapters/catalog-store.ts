/**
 * The catalog table, for every context that needs it: the catalog's own store, the products a
 * lineup or an order names, flash-sale stock shards, and sellers' names for statements.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogStore, Product } from '../catalog/ports.js';
import { splitStock } from '../domain/stock.js';
import type { ProductsForSale } from '../orders/ports.js';
import type { SellerDirectory } from '../settlement/ports.js';
import type { LineupCatalog } from '../shows/ports.js';
import { tableName } from '../shared/env.js';
import { catalogTable } from './codecs/catalog.js';
import { payeesTable } from './codecs/payees.js';
import { batchGet, cancellationCodes, ddb } from './dynamo.js';
import { maskPayee } from '../domain/payout.js';

/** The product item and its stock shard items (consistent reads). */
async function productWithShards(productId: string) {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('catalog'), Key: catalogTable.productKey(productId), ConsistentRead: true }));
  const product = Item ? catalogTable.toProduct(Item) : undefined;
  const count = product?.stockShards ?? 1;
  return { product, shards: product && count > 1 ? await shardsOf(productId, count) : [] };
}

/** A product's stock shard items (a consistent read), by shard number. */
async function shardsOf(productId: string, count: number): Promise<{ shard: number; stock: number }[]> {
  const keys = Array.from({ length: count }, (_, k) => catalogTable.stockShardKey(productId, k));
  return (await batchGet(tableName('catalog'), keys, true)).map(catalogTable.toShard).sort((a, b) => a.shard - b.shard);
}

/** Units left per stock shard of a product (a consistent read). */
export async function stockByShard(productId: string): Promise<Map<number, number>> {
  const { shards } = await productWithShards(productId);
  return new Map(shards.map((s) => [s.shard, s.stock]));
}

async function getProducts(productIds: readonly string[], options?: { withStock?: boolean }): Promise<Map<string, Product>> {
  const items = await batchGet(tableName('catalog'), productIds.map(catalogTable.productKey));
  const products = new Map(items.map(catalogTable.toProduct).map((p) => [p.productId, p]));
  if (options?.withStock) {
    for (const p of products.values()) {
      if ((p.stockShards ?? 1) > 1) p.stock += (await shardsOf(p.productId, p.stockShards!)).reduce((n, s) => n + s.stock, 0);
    }
  }
  return products;
}

export const catalogStore: CatalogStore & LineupCatalog & ProductsForSale & SellerDirectory = {
  async putSeller(seller, payee) {
    const put = { Put: { TableName: tableName('catalog'), Item: catalogTable.sellerItem(seller), ConditionExpression: 'attribute_not_exists(pk)' } };
    if (!payee) return void (await ddb.send(new PutCommand(put.Put)));
    await ddb.send(new TransactWriteCommand({ TransactItems: [put, { Put: { TableName: tableName('payees'), Item: payeesTable.payeeItem(seller.sellerId, payee, seller.createdAt) } }] }));
  },

  async setPayee(sellerId, payee) {
    try {
      await ddb.send(new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName('catalog'),
              Key: catalogTable.sellerKey(sellerId),
              UpdateExpression: 'SET payee = :masked',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':masked': maskPayee(payee) },
            },
          },
          { Put: { TableName: tableName('payees'), Item: payeesTable.payeeItem(sellerId, payee, new Date().toISOString()) } },
        ],
      }));
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  },

  async getSeller(sellerId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('catalog'), Key: catalogTable.sellerKey(sellerId) }));
    return Item ? catalogTable.toSeller(Item) : undefined;
  },

  async putProduct(product) {
    await ddb.send(new PutCommand({ TableName: tableName('catalog'), Item: catalogTable.productItem(product), ConditionExpression: 'attribute_not_exists(pk)' }));
  },

  async getProduct(productId) {
    const { product, shards } = await productWithShards(productId);
    return product && { ...product, stock: product.stock + shards.reduce((n, s) => n + s.stock, 0) };
  },

  getProducts,

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
                  Key: catalogTable.productKey(productId),
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
                    Item: catalogTable.shardItem(productId, shard, stock),
                    ConditionExpression: old ? 'stock = :was' : 'attribute_not_exists(pk)',
                    ...(old ? { ExpressionAttributeValues: { ':was': old.stock } } : {}),
                  },
                };
              }),
              ...existing
                .filter((s) => s.shard >= parts.length)
                .map((s) => ({
                  Delete: { TableName: table, Key: catalogTable.stockShardKey(productId, s.shard), ConditionExpression: 'stock = :was', ExpressionAttributeValues: { ':was': s.stock } },
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
    const items = await batchGet(tableName('catalog'), sellerIds.map(catalogTable.sellerKey));
    return new Map(items.map(catalogTable.toSeller).map((s) => [s.sellerId, s]));
  },
};
