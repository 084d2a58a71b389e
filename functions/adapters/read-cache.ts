/**
 * Per-instance caches for the reservation hot path, so a flash sale's orders do not each re-read
 * the same show and products. Correctness does not depend on them: the reservation transaction
 * itself checks that the show is LIVE and that the stock is there.
 */
import type { Show } from '../domain/show.js';
import type { CatalogStore, Product } from './catalog-store.js';
import type { ShowStore } from './show-store.js';

class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  constructor(private readonly ttlMs: number, private readonly maxEntries = 1000) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.until < performance.now()) return undefined;
    return hit.value;
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until: performance.now() + this.ttlMs });
  }
}

/**
 * LIVE shows are cached for `ttlMs` (a lineup change reaches orders within that time); any other
 * status is read fresh every time, so a show that just went live takes orders at once.
 */
export function cachedLiveShows(store: ShowStore, ttlMs: number): ShowStore {
  const cache = new TtlCache<Show>(ttlMs);
  return {
    ...store,
    async getShow(showId) {
      const hit = cache.get(showId);
      if (hit) return hit;
      const show = await store.getShow(showId);
      if (show?.status === 'LIVE') cache.set(showId, show);
      return show;
    },
  };
}

/** What an order needs of a product (name, seller, unit, stock shards) changes rarely: cached for `ttlMs`. */
export function cachedProducts(store: CatalogStore, ttlMs: number): CatalogStore {
  const cache = new TtlCache<Product>(ttlMs);
  return {
    ...store,
    async getProducts(productIds, options) {
      if (options?.withStock) return store.getProducts(productIds, options);
      const found = new Map<string, Product>();
      const missing: string[] = [];
      for (const id of productIds) {
        const hit = cache.get(id);
        if (hit) found.set(id, hit);
        else missing.push(id);
      }
      if (missing.length) {
        for (const [id, product] of await store.getProducts(missing)) {
          cache.set(id, product);
          found.set(id, product);
        }
      }
      return found;
    },
  };
}
