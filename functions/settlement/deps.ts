import { catalogStore } from '../adapters/catalog-store.js';
import { orderStore } from '../adapters/order-store.js';
import { settlementStore } from '../adapters/settlement-store.js';
import type { SettlementDeps } from './service.js';

export const settlementDeps = (): SettlementDeps => ({
  settlements: settlementStore,
  orders: orderStore,
  catalog: catalogStore,
  now: () => new Date(),
});
