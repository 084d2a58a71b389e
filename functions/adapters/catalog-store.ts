/**
 * The catalog table, for every context that needs it: the catalog's own store, the products a
 * lineup or an order names, flash-sale stock shards, and sellers' names for statements.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogStore, Product, ProductEdit, SellerEdit } from '../catalog/ports.js';
import { splitStock } from '../domain/stock.js';
import type { ProductsForSale } from '../orders/ports.js';
import type { SellerDirectory } from '../settlement/ports.js';
import type { LineupCatalog } from '../shows/ports.js';
import { tableName } from '../shared/env.js';
import { catalogTable } from './codecs/catalog.js';
import { payeesTable } from './codecs/payees.js';
import { batchGet, cancellationCodes, ddb, listPage, queryPage } from './dynamo.js';
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

/** Products with the units on their stock shards added to their own. */
async function withShardStock(products: Iterable<Product>): Promise<void> {
  for (const p of products) {
    if ((p.stockShards ?? 1) > 1) p.stock += (await shardsOf(p.productId, p.stockShards!)).reduce((n, s) => n + s.stock, 0);
  }
}

/**
 * An edit of a seller's or a product's fields, on condition the item is still at the version the
 * operator read (items written before versions were kept are at version 1). An absent field is
 * left as it is; null removes it.
 */
async function editItem(key: Record<string, string>, version: number, edit: Record<string, unknown>): Promise<Record<string, unknown> | 'version-conflict' | undefined> {
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':v': version, ':next': version + 1 };
  const sets = ['#version = :next'];
  const removes: string[] = [];
  for (const [field, value] of Object.entries(edit)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    if (value === null) removes.push(`#${field}`);
    else {
      sets.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  try {
    const { Attributes } = await ddb.send(
      new UpdateCommand({
        TableName: tableName('catalog'),
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: version === 1 ? 'attribute_exists(pk) AND (#version = :v OR attribute_not_exists(#version))' : 'attribute_exists(pk) AND #version = :v',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return Attributes;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return error.Item ? 'version-conflict' : undefined;
    throw error;
  }
}

async function getProducts(productIds: readonly string[], options?: { withStock?: boolean }): Promise<Map<string, Product>> {
  const items = await batchGet(tableName('catalog'), productIds.map(catalogTable.productKey));
  const products = new Map(items.map(catalogTable.toProduct).map((p) => [p.productId, p]));
  if (options?.withStock) await withShardStock(products.values());
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

  async sellersOf(countyId, limit, cursor) {
    const page = await listPage(tableName('catalog'), catalogTable.sellersOfCounty(countyId), { limit, cursor }, catalogTable.listKeyAttributes);
    return page === 'invalid-cursor' ? page : { items: page.items.map(catalogTable.toSeller), cursor: page.cursor };
  },

  async productsOf(countyId, sellerId, limit, cursor) {
    const prefix = sellerId === undefined ? undefined : catalogTable.sellerPrefix(sellerId);
    const page = await listPage(tableName('catalog'), catalogTable.productsOfCounty(countyId), { limit, cursor, prefix }, catalogTable.listKeyAttributes);
    if (page === 'invalid-cursor') return page;
    const products = page.items.map(catalogTable.toProduct);
    await withShardStock(products);
    return { items: products, cursor: page.cursor };
  },

  async editSeller(sellerId, version, edit: SellerEdit) {
    const item = await editItem(catalogTable.sellerKey(sellerId), version, { name: edit.name, contact: edit.contact, household: edit.household, householdsBroughtAlong: edit.householdsBroughtAlong });
    return item === undefined || item === 'version-conflict' ? item : catalogTable.toSeller(item);
  },

  async editProduct(productId, version, edit: ProductEdit) {
    const item = await editItem(catalogTable.productKey(productId), version, { name: edit.name, unit: edit.unit, priceFen: edit.priceFen, povertyAlleviation: edit.povertyAlleviation });
    if (item === undefined || item === 'version-conflict') return item;
    const product = catalogTable.toProduct(item);
    await withShardStock([product]);
    return product;
  },

  async adjustStock(change) {
    const table = tableName('catalog');
    const record = { Put: { TableName: table, Item: catalogTable.stockChangeItem(change), ConditionExpression: 'attribute_not_exists(pk)' } };
    for (let attempt = 0; attempt < 10; attempt++) {
      const { product, shards } = await productWithShards(change.productId);
      if (!product) return 'not-found';
      const sharded = (product.stockShards ?? 1) > 1 && shards.length > 0;
      let updates: NonNullable<TransactWriteCommandInput['TransactItems']>;
      if (change.deltaUnits > 0) {
        // added where orders take from: the product item, or its first shard for a flash-sale product
        updates = [{
          Update: {
            TableName: table,
            Key: sharded ? catalogTable.stockShardKey(change.productId, shards[0]!.shard) : catalogTable.productKey(change.productId),
            UpdateExpression: 'SET stock = stock + :d',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':d': change.deltaUnits },
          },
        }];
      } else {
        // taken from the product item, then from the fullest shards, each never below zero
        const holders = [{ key: catalogTable.productKey(change.productId), stock: product.stock }, ...[...shards].sort((a, b) => b.stock - a.stock).map((s) => ({ key: catalogTable.stockShardKey(change.productId, s.shard), stock: s.stock }))];
        let left = -change.deltaUnits;
        if (holders.reduce((n, h) => n + h.stock, 0) < left) return 'insufficient';
        updates = [];
        for (const holder of holders) {
          if (left === 0) break;
          const take = Math.min(holder.stock, left);
          if (take <= 0) continue;
          left -= take;
          updates.push({
            Update: { TableName: table, Key: holder.key, UpdateExpression: 'SET stock = stock - :q', ConditionExpression: 'attribute_exists(pk) AND stock >= :q', ExpressionAttributeValues: { ':q': take } },
          });
        }
      }
      try {
        await ddb.send(new TransactWriteCommand({ TransactItems: [...updates, record] }));
        return 'adjusted';
      } catch (error) {
        const reasons = cancellationCodes(error);
        if (!reasons) throw error;
        if (!reasons.includes('ConditionalCheckFailed') && !reasons.includes('TransactionConflict')) throw error;
        // the stock moved meanwhile (orders, resharding): read again
      }
    }
    throw new Error(`could not change the stock of ${change.productId}: it kept changing`);
  },

  async stockChanges(productId, limit, cursor) {
    const where = catalogTable.stockChangesOf(productId);
    const page = await queryPage(
      {
        TableName: tableName('catalog'),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': where.pk, ':prefix': where.skPrefix },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
      ['pk', 'sk'],
      (key) => key.pk === where.pk && String(key.sk).startsWith(where.skPrefix),
    );
    return page === 'invalid-cursor' ? page : { items: page.items.map(catalogTable.toStockChange), cursor: page.cursor };
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
