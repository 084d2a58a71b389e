/**
 * The catalog table's layout: sellers, products, the stock shards of flash-sale products and the
 * record of stock changes. The only code that knows these keys.
 */
import type { Product, Seller, StockChange } from '../../catalog/ports.js';
import { type Item, pad2, strip } from './item.js';

/** Keys, and the attributes of the byCounty index (a county's sellers and products). */
const LIST_KEYS = ['pk', 'sk', 'countyList', 'listOrder'] as const;
/** What the store adds to a seller or product: its keys, and the sale gate (below). */
const STORAGE = [...LIST_KEYS, 'onSaleIn', 'salePriceFen'] as const;
const STOCK_CHANGE_PREFIX = 'STOCKCHANGE#';

export const catalogTable = {
  sellerKey: (sellerId: string) => ({ pk: `SELLER#${sellerId}`, sk: 'SELLER' }),
  productKey: (productId: string) => ({ pk: `PRODUCT#${productId}`, sk: 'PRODUCT' }),
  /** Each stock shard has a partition key of its own: DynamoDB spreads load by partition key. */
  stockShardKey: (productId: string, shard: number) => ({ pk: `STOCK#${productId}#${pad2(shard)}`, sk: 'STOCK' }),
  /** Where a line's units are held: a stock shard, or the product item. */
  stockKey: (productId: string, shard?: number) =>
    shard === undefined ? catalogTable.productKey(productId) : catalogTable.stockShardKey(productId, shard),

  /** The byCounty index: a county's sellers in the order they were added. */
  sellersOfCounty: (countyId: string) => ({ index: 'byCounty', partition: 'countyList', value: `SELLERS#${countyId}`, order: 'listOrder' }),
  /** The byCounty index: a county's products by seller, then in the order they were added; `sellerPrefix` narrows it to one seller. */
  productsOfCounty: (countyId: string) => ({ index: 'byCounty', partition: 'countyList', value: `PRODUCTS#${countyId}`, order: 'listOrder' }),
  sellerPrefix: (sellerId: string) => `${sellerId}#`,
  /** The attributes a list cursor (a start key of the byCounty index) may hold. */
  listKeyAttributes: LIST_KEYS,

  /** A stock change lives in its product's partition: the product's record, newest last by sort key. */
  stockChangeKey: (c: Pick<StockChange, 'productId' | 'at' | 'changeId'>) => ({ pk: `PRODUCT#${c.productId}`, sk: `${STOCK_CHANGE_PREFIX}${c.at}#${c.changeId}` }),
  stockChangesOf: (productId: string) => ({ pk: `PRODUCT#${productId}`, skPrefix: STOCK_CHANGE_PREFIX }),
  stockChangeItem: (c: StockChange): Item => ({ ...catalogTable.stockChangeKey(c), ...c }),
  toStockChange: (item: Item) => strip<StockChange>(item, ['pk', 'sk']),

  sellerItem: (seller: Seller): Item => ({
    ...catalogTable.sellerKey(seller.sellerId),
    ...seller,
    countyList: catalogTable.sellersOfCounty(seller.countyId).value,
    listOrder: `${seller.createdAt}#${seller.sellerId}`,
  }),
  /** Sellers written before versions were kept are at version 1. */
  toSeller: (item: Item): Seller => ({ ...strip<Seller>(item, STORAGE), version: Number(item.version ?? 1) }),
  productItem: (product: Product): Item => ({
    ...catalogTable.productKey(product.productId),
    ...product,
    countyList: catalogTable.productsOfCounty(product.countyId).value,
    listOrder: `${catalogTable.sellerPrefix(product.sellerId)}${product.createdAt}#${product.productId}`,
  }),
  toProduct: (item: Item): Product => ({ ...strip<Product>(item, STORAGE), version: Number(item.version ?? 1) }),
  shardItem: (productId: string, shard: number, stock: number): Item => ({ ...catalogTable.stockShardKey(productId, shard), productId, shard, stock }),

  /**
   * The sale gate. While a product is on sale in a LIVE show, each of its stock items (the product
   * item and every stock shard) carries that show and the product's show price: an order's
   * transaction checks them in the same condition that takes the stock, so no separate show item
   * is written or checked per order. Not on sale: both attributes are absent.
   */
  saleGate: (showId: string, showPriceFen: number) => ({ onSaleIn: showId, salePriceFen: showPriceFen }),
  /** The condition an order's stock update carries, with `:show` and `:price` (and `:q`, the quantity). */
  SALE_CONDITION: 'onSaleIn = :show AND salePriceFen = :price AND stock >= :q',
  /** The gate a stock item carries, if any. */
  saleOf: (item: Item | undefined): { showId: string; showPriceFen: number } | undefined =>
    item?.onSaleIn === undefined ? undefined : { showId: String(item.onSaleIn), showPriceFen: Number(item.salePriceFen) },
  toShard: (item: Item) => ({ shard: Number(item.shard), stock: Number(item.stock) }),
  isProduct: (item: Item) => String(item.pk).startsWith('PRODUCT#') && item.sk === 'PRODUCT',
  isShard: (item: Item) => String(item.pk).startsWith('STOCK#') && item.sk === 'STOCK',
};
