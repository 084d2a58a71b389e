/** The catalog context: its entities and the store it needs. */
import type { MaskedPayee, Payee } from '../domain/payout.js';
import type { Fen } from '../domain/money.js';

export type SellerKind = 'farmer' | 'cooperative' | 'enterprise';

export interface Seller {
  sellerId: string;
  countyId: string;
  name: string;
  kind: SellerKind;
  contact?: string;
  /** Where its payouts go, masked (the full details are in the payees table, which only the payout functions read). */
  payee?: MaskedPayee;
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

export interface CatalogStore {
  /** The seller, and its payee's full details apart (one transaction). */
  putSeller(seller: Seller, payee?: Payee): Promise<void>;
  /** Replaces a seller's payee (its masked view on the seller too); false when there is no such seller. */
  setPayee(sellerId: string, payee: Payee): Promise<boolean>;
  getSeller(sellerId: string): Promise<Seller | undefined>;
  putProduct(product: Product): Promise<void>;
  /** The product with all its stock (shards added up). */
  getProduct(productId: string): Promise<Product | undefined>;
}
