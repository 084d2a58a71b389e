import { randomUUID } from 'node:crypto';
import { catalogStore } from '../adapters/catalog-store.js';
import { orderStore } from '../adapters/order-store.js';
import { showStore } from '../adapters/show-store.js';
import { setting } from '../shared/env.js';
import type { OrderDeps } from './service.js';

/** The production wiring of the order use cases. */
export function orderDeps(): OrderDeps {
  return {
    orders: orderStore,
    shows: showStore,
    catalog: catalogStore,
    now: () => new Date(),
    newId: randomUUID,
    get reservationTimeoutMinutes() {
      return Number(setting('RESERVATION_TIMEOUT_MINUTES'));
    },
  };
}
