/** The access table's layout: one item per storefront (its key's hash, never the key). */
import type { Storefront } from '../../access/ports.js';
import { type Item, strip } from './item.js';

export const accessTable = {
  storefrontKey: (storefrontId: string) => ({ pk: `STOREFRONT#${storefrontId}`, sk: 'STOREFRONT' }),
  storefrontItem: (s: Storefront): Item => ({ ...accessTable.storefrontKey(s.storefrontId), ...s }),
  toStorefront: (item: Item) => strip<Storefront>(item, ['pk', 'sk']),
};
