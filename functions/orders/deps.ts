import { randomUUID } from 'node:crypto';
import { catalogStore } from '../adapters/catalog-store.js';
import { orderStore } from '../adapters/order-store.js';
import { cachedLiveShows, cachedProducts } from '../adapters/read-cache.js';
import { showStore } from '../adapters/show-store.js';
import { paymentStore } from '../adapters/payment-store.js';
import { provinceWechatPay } from '../adapters/wechatpay/province.js';
import { paidAtProvider } from '../payments/service.js';
import { setting } from '../shared/env.js';
import type { OrderDeps } from './ports.js';

/** A LIVE show's lineup reaches new orders within this time. */
const LIVE_SHOW_CACHE_MS = 2_000;
const PRODUCT_CACHE_MS = 10_000;

/** The production wiring of the order use cases. Settings are read when first used. */
export function orderDeps(): OrderDeps {
  return {
    orders: orderStore,
    payments: { paidAtProvider: (order) => paidAtProvider({ provider: provinceWechatPay(), store: paymentStore, now: () => new Date() }, order) },
    shows: cachedLiveShows(showStore, LIVE_SHOW_CACHE_MS),
    catalog: cachedProducts(catalogStore, PRODUCT_CACHE_MS),
    now: () => new Date(),
    newId: randomUUID,
    get reservationTimeoutMinutes() {
      return Number(setting('RESERVATION_TIMEOUT_MINUTES'));
    },
  };
}
