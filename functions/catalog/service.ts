/** Catalog use cases: sellers and their products, each in a county the operator may act on. */
import { mayActOnCounty, type Operator, requireCountyToCreate } from '../domain/access.js';
import type { ChannelRegistry } from '../domain/channel.js';
import { DomainError } from '../domain/errors.js';
import { maskPayee, type Payee, payeeRefusal } from '../domain/payout.js';
import type { CatalogStore, Product, Seller } from './ports.js';

export interface CatalogDeps {
  catalog: CatalogStore;
  now: () => Date;
  newId: () => string;
  /** The province's channels, and so its counties. */
  channels: ChannelRegistry;
}

export async function createSeller(deps: CatalogDeps, operator: Operator, input: Omit<Seller, 'sellerId' | 'createdAt' | 'payee'> & { payee?: Payee }): Promise<Seller> {
  requireCountyToCreate(operator, input.countyId, 'countyId');
  if (!(await deps.channels.countyIds()).has(input.countyId)) {
    throw new DomainError('UNKNOWN_REFERENCE', `countyId: ${input.countyId} is not a county of this province`, 'countyId');
  }
  const { payee, ...fields } = input;
  if (payee) {
    const refusal = payeeRefusal(input.kind, payee);
    if (refusal) throw refusal;
  }
  const seller: Seller = { sellerId: deps.newId(), ...fields, ...(payee ? { payee: maskPayee(payee) } : {}), createdAt: deps.now().toISOString() };
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

export async function createProduct(deps: CatalogDeps, operator: Operator, input: Omit<Product, 'productId' | 'createdAt' | 'countyId'>): Promise<Product> {
  const seller = await deps.catalog.getSeller(input.sellerId);
  // another county's seller is answered as one that does not exist: ids cannot be probed
  if (!seller || !mayActOnCounty(operator, seller.countyId)) {
    throw new DomainError('UNKNOWN_REFERENCE', `sellerId: seller ${input.sellerId} does not exist`, 'sellerId');
  }
  const product: Product = { productId: deps.newId(), ...input, countyId: seller.countyId, createdAt: deps.now().toISOString() };
  await deps.catalog.putProduct(product);
  return product;
}

export async function getProduct(deps: Pick<CatalogDeps, 'catalog'>, productId: string): Promise<Product> {
  const product = await deps.catalog.getProduct(productId);
  if (!product) throw new DomainError('NOT_FOUND', `product ${productId} does not exist`, 'productId');
  return product;
}
