/** The access table's layout: per storefront, its item and one item per key (the key's hash, never the key). */
import type { Storefront, StorefrontKey } from '../../access/ports.js';
import { type Item, strip } from './item.js';

const partition = (storefrontId: string) => `STOREFRONT#${storefrontId}`;
const KEY_PREFIX = 'KEY#';
/** The storefronts index: only storefront items carry storefrontList, all in one partition. */
const LIST = { index: 'storefronts', partition: 'storefrontList', value: 'STOREFRONTS', order: 'listOrder' } as const;
const STORAGE = ['pk', 'sk', LIST.partition, LIST.order] as const;

export const accessTable = {
  partition,
  storefrontKey: (storefrontId: string) => ({ pk: partition(storefrontId), sk: 'STOREFRONT' }),
  keyKey: (storefrontId: string, keyId: string) => ({ pk: partition(storefrontId), sk: `${KEY_PREFIX}${keyId}` }),
  /** The sort-key prefix of a storefront's keys (Query begins_with). */
  keyPrefix: KEY_PREFIX,
  isKey: (item: Item) => String(item.sk).startsWith(KEY_PREFIX),
  /** The province's storefronts, in the order they were issued. */
  storefrontList: LIST,
  /** The attributes a list cursor (a start key of the storefronts index) may hold. */
  listKeyAttributes: STORAGE,
  storefrontItem: (s: Storefront): Item => ({ ...accessTable.storefrontKey(s.storefrontId), ...s, [LIST.partition]: LIST.value, [LIST.order]: `${s.createdAt}#${s.storefrontId}` }),
  keyItem: (k: StorefrontKey): Item => ({ ...accessTable.keyKey(k.storefrontId, k.keyId), ...k }),
  toStorefront: (item: Item) => strip<Storefront>(item, STORAGE),
  toKey: (item: Item) => strip<StorefrontKey>(item, ['pk', 'sk']),
};
