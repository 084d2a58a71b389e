import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
  stock: number;
  createdAt: string;
}

const sellerKey = (sellerId: string) => ({ pk: `SELLER#${sellerId}`, sk: 'SELLER' });
export const productKey = (productId: string) => ({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' });

export interface CatalogStore {
  putSeller(seller: Seller): Promise<void>;
  getSeller(sellerId: string): Promise<Seller | undefined>;
  putProduct(product: Product): Promise<void>;
  getProduct(productId: string): Promise<Product | undefined>;
  getProducts(productIds: readonly string[]): Promise<Map<string, Product>>;
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
    const { Item } = await ddb.send(
      new GetCommand({ TableName: tableName('catalog'), Key: productKey(productId), ConsistentRead: true }),
    );
    return Item ? fromItem<Product>(Item) : undefined;
  },

  async getProducts(productIds) {
    const items = await batchGet(productIds.map(productKey));
    return new Map(items.map((i) => fromItem<Product>(i)).map((p) => [p.productId, p]));
  },

  async getSellers(sellerIds) {
    const items = await batchGet(sellerIds.map(sellerKey));
    return new Map(items.map((i) => fromItem<Seller>(i)).map((s) => [s.sellerId, s]));
  },
};
