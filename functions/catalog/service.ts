/** Catalog use cases: sellers and their products, each in a county the operator may act on. */
import { mayActOnCounty, type Operator, requireCountyToCreate } from '../domain/access.js';
import type { ChannelRegistry } from '../domain/channel.js';
import { DomainError } from '../domain/errors.js';
import type { CatalogStore, Product, Seller } from './ports.js';

export interface CatalogDeps {
  catalog: CatalogStore;
  now: () => Date;
  newId: () => string;
  /** The province's channels, and so its counties. */
  channels: ChannelRegistry;
}

export async function createSeller(deps: CatalogDeps, operator: Operator, input: Omit<Seller, 'sellerId' | 'createdAt'>): Promise<Seller> {
  requireCountyToCreate(operator, input.countyId, 'countyId');
  if (!(await deps.channels.countyIds()).has(input.countyId)) {
    throw new DomainError('UNKNOWN_REFERENCE', `countyId: ${input.countyId} is not a county of this province`, 'countyId');
  }
  const seller: Seller = { sellerId: deps.newId(), ...input, createdAt: deps.now().toISOString() };
  await deps.catalog.putSeller(seller);
  return seller;
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
