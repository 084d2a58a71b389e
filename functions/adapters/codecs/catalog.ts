/**
 * The catalog table's layout: sellers, products and the stock shards of flash-sale products.
 * The only code that knows these keys.
 */
import type { Product, Seller } from '../../catalog/ports.js';
import { type Item, pad2, strip } from './item.js';

const KEYS = ['pk', 'sk'] as const;

export const catalogTable = {
  sellerKey: (sellerId: string) => ({ pk: `SELLER#${sellerId}`, sk: 'SELLER' }),
  productKey: (productId: string) => ({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' }),
  /** Each stock shard has a partition key of its own: DynamoDB spreads load by partition key. */
  stockShardKey: (productId: string, shard: number) => ({ pk: `STOCK#${productId}#${pad2(shard)}`, sk: 'STOCK' }),
  /** Where a line's units are held: a stock shard, or the product item. */
  stockKey: (productId: string, shard?: number) =>
    shard === undefined ? catalogTable.productKey(productId) : catalogTable.stockShardKey(productId, shard),

  sellerItem: (seller: Seller): Item => ({ ...catalogTable.sellerKey(seller.sellerId), ...seller }),
  toSeller: (item: Item) => strip<Seller>(item, KEYS),
  productItem: (product: Product): Item => ({ ...catalogTable.productKey(product.productId), ...product }),
  toProduct: (item: Item) => strip<Product>(item, KEYS),
  shardItem: (productId: string, shard: number, stock: number): Item => ({ ...catalogTable.stockShardKey(productId, shard), productId, shard, stock }),
  toShard: (item: Item) => ({ shard: Number(item.shard), stock: Number(item.stock) }),
};
