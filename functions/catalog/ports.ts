/** The catalog context: its entities and the store it needs. */
import type { MaskedPayee, Payee } from '../domain/payout.js';
import type { Fen } from '../domain/money.js';

import type { SellerKind } from '../domain/facts.js';
export type { SellerKind };

export interface Seller {
  sellerId: string;
  countyId: string;
  name: string;
  kind: SellerKind;
  contact?: string;
  /** Where its payouts go, masked (the full details are in the payees table, which only the payout functions read). */
  payee?: MaskedPayee;
  /** A farmer: whether it is a registered poor or formerly poor household (建档立卡 / 脱贫户). Farmers only. */
  household?: Household;
  /** A cooperative or enterprise: how many registered households it brings along. Never on a farmer. */
  householdsBroughtAlong?: number;
  createdAt: string;
  /** 1 when added, + 1 at every edit: an edit names the version it was made from (optimistic concurrency). */
  version: number;
}

export interface Household { registeredPoor: boolean }
/** A certified poverty-alleviation product (扶贫产品), with its certificate number when known. */
export interface PovertyAlleviation { certified: boolean; certificateNo?: string }

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
  povertyAlleviation?: PovertyAlleviation;
  createdAt: string;
  /** 1 when added, + 1 at every edit of its name, unit or price (stock moves by recorded deltas, not by version). */
  version: number;
}

/** One operator's change of a product's stock, kept for good (never updated). */
export interface StockChange {
  changeId: string;
  productId: string;
  /** Units added (positive) or removed (negative). */
  deltaUnits: number;
  reason: string;
  /** The operator (token subject). */
  by: string;
  at: string;
}

export interface SellerEdit { name?: string; contact?: string | null; household?: Household; householdsBroughtAlong?: number }
export interface ProductEdit { name?: string; unit?: string; priceFen?: Fen; povertyAlleviation?: PovertyAlleviation }

/** One page of a list, and where the next starts (absent on the last page). */
export interface Page<T> { items: T[]; cursor?: string }
/** A cursor this store did not give out for this list. */
export type InvalidCursor = 'invalid-cursor';
/** The stored version is no longer the one the edit was made from. */
export type VersionConflict = 'version-conflict';

export interface CatalogStore {
  /** The seller, and its payee's full details apart (one transaction). */
  putSeller(seller: Seller, payee?: Payee): Promise<void>;
  /** Replaces a seller's payee (its masked view on the seller too); false when there is no such seller. */
  setPayee(sellerId: string, payee: Payee): Promise<boolean>;
  getSeller(sellerId: string): Promise<Seller | undefined>;
  putProduct(product: Product): Promise<void>;
  /** The product with all its stock (shards added up). */
  getProduct(productId: string): Promise<Product | undefined>;
  /** A county's sellers, a page at a time, in the order they were added. */
  sellersOf(countyId: string, limit: number, cursor?: string): Promise<Page<Seller> | InvalidCursor>;
  /** A county's products (or one seller's of them) with all their stock, a page at a time. */
  productsOf(countyId: string, sellerId: string | undefined, limit: number, cursor?: string): Promise<Page<Product> | InvalidCursor>;
  /** Applies the edit if the seller is still at `version`, bumping it; undefined when there is no such seller. */
  editSeller(sellerId: string, version: number, edit: SellerEdit): Promise<Seller | VersionConflict | undefined>;
  /** Applies the edit if the product is still at `version`, bumping it; answers it with all its stock. */
  editProduct(productId: string, version: number, edit: ProductEdit): Promise<Product | VersionConflict | undefined>;
  /**
   * Adds or removes stock and records the change, together. A removal takes units from the
   * product item and its stock shards, each on condition it keeps at least zero: 'insufficient'
   * when the product holds fewer units than removed (nothing changed).
   */
  adjustStock(change: StockChange): Promise<'adjusted' | 'insufficient' | 'not-found'>;
  /** A product's stock changes, newest first, a page at a time. */
  stockChanges(productId: string, limit: number, cursor?: string): Promise<Page<StockChange> | InvalidCursor>;
}
