/**
 * The catalog table, for every context that needs it: the catalog's own store, the products a
 * lineup or an order names, flash-sale stock shards, and sellers' names for statements.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CatalogStore, Product, ProductEdit, SellerEdit } from '../catalog/ports.js';
import { splitStock } from '../domain/stock.js';
import type { ProductsForSale } from '../orders/ports.js';
import type { SellerDirectory } from '../settlement/ports.js';
import type { LineupCatalog, SaleGates, SaleHeld } from '../shows/ports.js';
import { tableName } from '../shared/env.js';
import { catalogTable } from './codecs/catalog.js';
import type { Item } from './codecs/item.js';
import { payeesTable } from './codecs/payees.js';
import { batchGet, cancellationCodes, ddb, listPage, queryPage } from './dynamo.js';
import { maskPayee } from '../domain/payout.js';

/** The product item and its stock shard items (consistent reads); `item` is the product item as stored. */
async function productWithShards(productId: string) {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('catalog'), Key: catalogTable.productKey(productId), ConsistentRead: true }));
  const product = Item ? catalogTable.toProduct(Item) : undefined;
  const count = product?.stockShards ?? 1;
  return { item: Item, product, shards: product && count > 1 ? await shardsOf(productId, count) : [] };
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
      const { item, product, shards: existing } = await productWithShards(productId);
      if (!product) throw new Error(`product ${productId} does not exist`);
      // a product on sale: its new shard items carry its sale gate, on condition the gate is still what was read
      const sale = catalogTable.saleOf(item);
      const gate = sale ? catalogTable.saleGate(sale.showId, sale.showPriceFen) : {};
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
                  ConditionExpression: `stock = :was AND ${sale ? 'onSaleIn = :show AND salePriceFen = :price' : 'attribute_not_exists(onSaleIn)'}`,
                  ExpressionAttributeValues: { ':base': shards > 1 ? 0 : total, ':n': shards, ':was': product.stock, ...(sale ? { ':show': sale.showId, ':price': sale.showPriceFen } : {}) },
                },
              },
              ...parts.map((stock, shard) => {
                const old = existing.find((s) => s.shard === shard);
                return {
                  Put: {
                    TableName: table,
                    Item: { ...catalogTable.shardItem(productId, shard, stock), ...gate },
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

type Gate = { showId: string; showPriceFen: number } | undefined;

const sameGate = (a: Gate, b: Gate) => a?.showId === b?.showId && a?.showPriceFen === b?.showPriceFen;

/** Each product's stock items as stored (consistent reads, two BatchGetItem calls whatever the count): its product item, then its shard items. */
async function stockItemsOf(productIds: readonly string[]): Promise<Map<string, Item[]>> {
  const table = tableName('catalog');
  const products = await batchGet(table, [...new Set(productIds)].map(catalogTable.productKey), true);
  const shardKeys = products.flatMap((p) => {
    const count = Number(p.stockShards ?? 1);
    return count > 1 ? Array.from({ length: count }, (_, k) => catalogTable.stockShardKey(String(p.productId), k)) : [];
  });
  const shards = shardKeys.length > 0 ? await batchGet(table, shardKeys, true) : [];
  const byProduct = new Map<string, Item[]>(products.map((p) => [String(p.productId), [p]]));
  for (const shard of shards) byProduct.get(String(shard.productId))?.push(shard);
  return byProduct;
}

/**
 * Moves one product's stock items to the gate `to` (undefined: none), writing only those whose
 * gate differs, together (one transaction when more than one), each on condition that its gate
 * names the show it named when read and, for the product item, that its shard count is the one
 * read: a concurrent gate change or resharding makes the write fail ('moved': read again) rather
 * than be lost or leave a shard behind.
 */
async function writeGates(items: readonly Item[], to: Gate): Promise<'written' | 'unchanged' | 'moved'> {
  const writes: (UpdateCommandInput & { UpdateExpression: string })[] = items
    .filter((item) => !sameGate(catalogTable.saleOf(item), to))
    .map((item) => {
      const was = catalogTable.saleOf(item);
      const conditions = ['attribute_exists(pk)', was ? 'onSaleIn = :was' : 'attribute_not_exists(onSaleIn)'];
      const values: Record<string, unknown> = was ? { ':was': was.showId } : {};
      if (catalogTable.isProduct(item)) {
        if (item.stockShards === undefined) conditions.push('attribute_not_exists(stockShards)');
        else {
          conditions.push('stockShards = :n');
          values[':n'] = item.stockShards;
        }
      }
      if (to) Object.assign(values, { ':show': to.showId, ':price': to.showPriceFen });
      return {
        TableName: tableName('catalog'),
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: to ? 'SET onSaleIn = :show, salePriceFen = :price' : 'REMOVE onSaleIn, salePriceFen',
        ConditionExpression: conditions.join(' AND '),
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      };
    });
  if (writes.length === 0) return 'unchanged';
  try {
    if (writes.length === 1) await ddb.send(new UpdateCommand(writes[0]!));
    else if (to) await ddb.send(new TransactWriteCommand({ TransactItems: writes.map((Update) => ({ Update })) }));
    else {
      // closing needs no atomicity (an item closed refuses its orders at once) and must not lose to
      // a flash sale: a transaction over a hot product's every shard would conflict with the buyers'
      // transactions on them, again and again. Item by item, each write that lands stays; the
      // product item last, so a resharding meanwhile ('moved') is read again and its shards closed.
      const productLast = [...writes.filter((w) => !catalogTable.isProduct(w.Key!)), ...writes.filter((w) => catalogTable.isProduct(w.Key!))];
      let moved = false;
      for (const write of productLast) {
        try {
          await ddb.send(new UpdateCommand(write));
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException) && (error as Error).name !== 'TransactionConflictException') throw error;
          moved = true;
        }
      }
      return moved ? 'moved' : 'written';
    }
    return 'written';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'TransactionConflictException') return 'moved';
    const reasons = cancellationCodes(error);
    if (reasons && (reasons.includes('ConditionalCheckFailed') || reasons.includes('TransactionConflict'))) return 'moved'; // an order or a reshard held an item
    throw error;
  }
}

const ATTEMPTS = 10;
const backOff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** attempt)));

/**
 * For each product, reads its stock items, lets `plan` choose the gate they move to (or 'done'),
 * and writes; a write that finds an item moved meanwhile is planned again from a fresh read.
 */
async function eachProduct(productIds: readonly string[], plan: (productId: string, items: Item[]) => { to: Gate; of?: Item[] } | 'done'): Promise<boolean> {
  const read = await stockItemsOf(productIds);
  let wrote = false;
  for (const productId of new Set(productIds)) {
    for (let attempt = 0; ; attempt++) {
      const items = read.get(productId);
      if (!items) break; // no such product: nothing on sale
      const step = plan(productId, items);
      if (step === 'done') break;
      const outcome = await writeGates(step.of ?? items, step.to);
      if (outcome !== 'moved') {
        wrote ||= outcome === 'written';
        break;
      }
      if (attempt + 1 >= ATTEMPTS) throw new Error(`the sale gate of product ${productId}: its stock items kept changing`);
      await backOff(attempt);
      const fresh = (await stockItemsOf([productId])).get(productId);
      if (fresh) read.set(productId, fresh);
      else read.delete(productId);
    }
  }
  return wrote;
}

/** The sale gate on the catalog's stock items (the product item and each stock shard). */
export const saleGates: SaleGates = {
  async heldBy(productIds) {
    const items = await batchGet(tableName('catalog'), [...new Set(productIds)].map(catalogTable.productKey), true);
    return new Map(items.flatMap((item) => {
      const sale = catalogTable.saleOf(item);
      return sale ? [[String(item.productId), sale.showId] as const] : [];
    }));
  },

  async open(showId, entries, takeOver = new Map()) {
    const held: SaleHeld[] = [];
    const price = new Map(entries.map((e) => [e.productId, e.showPriceFen]));
    const wrote = await eachProduct([...price.keys()], (productId, items) => {
      const other = items.map((item) => catalogTable.saleOf(item)?.showId).find((s) => s !== undefined && s !== showId && s !== takeOver.get(productId));
      if (other === undefined) return { to: { showId, showPriceFen: price.get(productId)! } };
      held.push({ productId, heldBy: other });
      return 'done';
    });
    return { held, wrote };
  },

  async close(showId, productIds) {
    await eachProduct(productIds, (_productId, items) => ({ to: undefined, of: items.filter((item) => catalogTable.saleOf(item)?.showId === showId) }));
  },
};
