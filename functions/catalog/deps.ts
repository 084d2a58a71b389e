import { randomUUID } from 'node:crypto';
import { catalogStore } from '../adapters/catalog-store.js';
import { channelRegistry } from '../adapters/channel-registry.js';
import type { CatalogDeps } from './service.js';

/** The production wiring of the catalog use cases. */
export const catalogDeps = (): CatalogDeps => ({
  catalog: catalogStore,
  now: () => new Date(),
  newId: randomUUID,
  channels: channelRegistry(),
});
