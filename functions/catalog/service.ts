/** Catalog use cases: sellers and their products, each in a county the operator may act on. */
import { countyToList, mayActOnCounty, type Operator, requireCountyToCreate } from '../domain/access.js';
import type { ChannelRegistry } from '../domain/channel.js';
import { DomainError } from '../domain/errors.js';
import { householdFactsRefusal } from '../domain/facts.js';
import { maskPayee, type Payee, payeeRefusal } from '../domain/payout.js';
import type { CatalogStore, Page, Product, ProductEdit, Seller, SellerEdit, StockChange } from './ports.js';

export interface CatalogDeps {
  catalog: CatalogStore;
  now: () => Date;
  newId: () => string;
  /** The province's channels, and so its counties. */
  channels: ChannelRegistry;
}

export async function createSeller(deps: CatalogDeps, operator: Operator, input: Omit<Seller, 'sellerId' | 'createdAt' | 'payee' | 'version'> & { payee?: Payee }): Promise<Seller> {
  requireCountyToCreate(operator, input.countyId, 'countyId');
  if (!(await deps.channels.countyIds()).has(input.countyId)) {
    throw new DomainError('UNKNOWN_REFERENCE', `countyId: ${input.countyId} is not a county of this province`, 'countyId');
  }
  const { payee, ...fields } = input;
  if (payee) {
    const refusal = payeeRefusal(input.kind, payee);
    if (refusal) throw refusal;
  }
  const seller: Seller = { sellerId: deps.newId(), ...fields, ...(payee ? { payee: maskPayee(payee) } : {}), createdAt: deps.now().toISOString(), version: 1 };
  await deps.catalog.putSeller(seller, payee);
  return seller;
}

/** An operator of the seller's county sets (or corrects) where its payouts go; answers the seller, masked. */
export async function setPayee(deps: CatalogDeps, operator: Operator, sellerId: string, payee: Payee): Promise<Seller> {
  const seller = await deps.catalog.getSeller(sellerId);
  if (!seller || !mayActOnCounty(operator, seller.countyId)) throw new DomainError('NOT_FOUND', `seller ${sellerId} does not exist`, 'sellerId');
  const refusal = payeeRefusal(seller.kind, payee);
  if (refusal) throw refusal;
  if (!(await deps.catalog.setPayee(sellerId, payee))) throw new DomainError('NOT_FOUND', `seller ${sellerId} does not exist`, 'sellerId');
  return { ...seller, payee: maskPayee(payee) };
}

export async function createProduct(deps: CatalogDeps, operator: Operator, input: Omit<Product, 'productId' | 'createdAt' | 'countyId' | 'version'>): Promise<Product> {
  const seller = await deps.catalog.getSeller(input.sellerId);
  // another county's seller is answered as one that does not exist: ids cannot be probed
  if (!seller || !mayActOnCounty(operator, seller.countyId)) {
    throw new DomainError('UNKNOWN_REFERENCE', `sellerId: seller ${input.sellerId} does not exist`, 'sellerId');
  }
  const product: Product = { productId: deps.newId(), ...input, countyId: seller.countyId, createdAt: deps.now().toISOString(), version: 1 };
  await deps.catalog.putProduct(product);
  return product;
}

export async function getProduct(deps: Pick<CatalogDeps, 'catalog'>, productId: string): Promise<Product> {
  const product = await deps.catalog.getProduct(productId);
  if (!product) throw new DomainError('NOT_FOUND', `product ${productId} does not exist`, 'productId');
  return product;
}

const sellerNotFound = (sellerId: string) => new DomainError('NOT_FOUND', `seller ${sellerId} does not exist`, 'sellerId');
const productNotFound = (productId: string) => new DomainError('NOT_FOUND', `product ${productId} does not exist`, 'productId');
const invalidCursor = () => new DomainError('VALIDATION_FAILED', 'query.cursor: is not a cursor this API gave out for this list', 'query.cursor');
const versionConflict = (what: string, read: number) =>
  new DomainError('VERSION_CONFLICT', `version: ${what} was changed since version ${read} was read; read it again and edit the new version`, 'version');

export interface PageRequest { limit: number; cursor?: string }

export async function listSellers(deps: Pick<CatalogDeps, 'catalog'>, operator: Operator, query: PageRequest & { countyId?: string }): Promise<{ countyId: string } & Page<Seller>> {
  const countyId = countyToList(operator, query.countyId);
  const page = await deps.catalog.sellersOf(countyId, query.limit, query.cursor);
  if (page === 'invalid-cursor') throw invalidCursor();
  return { countyId, ...page };
}

/** A seller of a county the operator acts on; another county's is answered as one that does not exist. */
export async function getSeller(deps: Pick<CatalogDeps, 'catalog'>, operator: Operator, sellerId: string): Promise<Seller> {
  const seller = await deps.catalog.getSeller(sellerId);
  if (!seller || !mayActOnCounty(operator, seller.countyId)) throw sellerNotFound(sellerId);
  return seller;
}

/** Name and contact, from the version the operator read: a stale version is refused and nothing changes. */
export async function editSeller(deps: Pick<CatalogDeps, 'catalog'>, operator: Operator, sellerId: string, version: number, edit: SellerEdit): Promise<Seller> {
  const seller = await getSeller(deps, operator, sellerId);
  // kind is fixed: a farmer's household, a cooperative's or enterprise's households brought along
  const refusal = householdFactsRefusal(seller.kind, edit);
  if (refusal) throw new DomainError('VALIDATION_FAILED', `${refusal.field}: ${refusal.message}`, refusal.field);
  if (seller.version !== version) throw versionConflict(`seller ${sellerId}`, version);
  const edited = await deps.catalog.editSeller(sellerId, version, edit);
  if (edited === undefined) throw sellerNotFound(sellerId);
  if (edited === 'version-conflict') throw versionConflict(`seller ${sellerId}`, version);
  return edited;
}

export async function listProducts(deps: Pick<CatalogDeps, 'catalog'>, operator: Operator, query: PageRequest & { countyId?: string; sellerId?: string }): Promise<{ countyId: string } & Page<Product>> {
  const countyId = countyToList(operator, query.countyId);
  const page = await deps.catalog.productsOf(countyId, query.sellerId, query.limit, query.cursor);
  if (page === 'invalid-cursor') throw invalidCursor();
  return { countyId, ...page };
}

/** A product of a county the operator acts on, with all its stock. */
export async function productForOperator(deps: Pick<CatalogDeps, 'catalog'>, operator: Operator, productId: string): Promise<Product> {
  const product = await deps.catalog.getProduct(productId);
  if (!product || !mayActOnCounty(operator, product.countyId)) throw productNotFound(productId);
  return product;
}

/** The product with its stock record, newest change first. */
export async function productStockChanges(deps: Pick<CatalogDeps, 'catalog'>, operator: Operator, productId: string, query: PageRequest): Promise<{ product: Product } & Page<StockChange>> {
  const product = await productForOperator(deps, operator, productId);
  const page = await deps.catalog.stockChanges(productId, query.limit, query.cursor);
  if (page === 'invalid-cursor') throw invalidCursor();
  return { product, ...page };
}

/**
 * Name, unit and list price, from the version the operator read. A show sells at its lineup's
 * show prices, so no show or order changes with the list price.
 */
export async function editProduct(deps: Pick<CatalogDeps, 'catalog'>, operator: Operator, productId: string, version: number, edit: ProductEdit): Promise<Product> {
  const product = await productForOperator(deps, operator, productId);
  if (product.version !== version) throw versionConflict(`product ${productId}`, version);
  const edited = await deps.catalog.editProduct(productId, version, edit);
  if (edited === undefined) throw productNotFound(productId);
  if (edited === 'version-conflict') throw versionConflict(`product ${productId}`, version);
  return edited;
}

/** Adds or removes units with a reason, recorded with who and when; never below zero. Answers the product and the change. */
export async function adjustStock(deps: CatalogDeps, operator: Operator, productId: string, input: { deltaUnits: number; reason: string }): Promise<{ product: Product; change: StockChange }> {
  await productForOperator(deps, operator, productId);
  const change: StockChange = { changeId: deps.newId(), productId, deltaUnits: input.deltaUnits, reason: input.reason, by: operator.subject, at: deps.now().toISOString() };
  const outcome = await deps.catalog.adjustStock(change);
  if (outcome === 'not-found') throw productNotFound(productId);
  if (outcome === 'insufficient') {
    throw new DomainError('OUT_OF_STOCK', `deltaUnits: product ${productId} holds fewer than the ${-input.deltaUnits} units to remove (stock never goes below zero)`, 'deltaUnits');
  }
  return { product: await productForOperator(deps, operator, productId), change };
}
