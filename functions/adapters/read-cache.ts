/**
 * Per-instance caches for the reservation hot path, so a flash sale's orders do not each re-read
 * the same show and products. Correctness does not depend on them: the reservation transaction
 * itself checks that the show is LIVE and that the stock is there.
 */
import type { ProductForSale } from '../domain/order.js';
import type { Show } from '../domain/show.js';
import type { ProductsForSale, ShowsForOrders } from '../orders/ports.js';

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
 * LIVE shows are cached for `ttlMs`; any other status is read fresh every time, so a show that
 * just went live takes orders at once. A lineup change reaches the very next order all the same:
 * the order's transaction checks the lineup version, and a mismatch reads the show fresh.
 */
export function cachedLiveShows(store: ShowsForOrders, ttlMs: number): ShowsForOrders {
  const cache = new TtlCache<Show>(ttlMs);
  return {
    async getShow(showId, options) {
      const hit = options?.fresh ? undefined : cache.get(showId);
      if (hit) return hit;
      const show = await store.getShow(showId);
      if (show?.status === 'LIVE') cache.set(showId, show);
      return show;
    },
  };
}

/** What an order needs of a product (name, seller, unit, stock shards) changes rarely: cached for `ttlMs`. */
export function cachedProducts(store: ProductsForSale, ttlMs: number): ProductsForSale {
  const cache = new TtlCache<ProductForSale>(ttlMs);
  return {
    async getProducts(productIds) {
      const found = new Map<string, ProductForSale>();
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
