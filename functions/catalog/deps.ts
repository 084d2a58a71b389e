import { randomUUID } from 'node:crypto';
import { catalogStore } from '../adapters/catalog-store.js';
import { provinceChannels } from '../shared/channels.js';
import type { CatalogDeps } from './service.js';

/** The production wiring of the catalog use cases. Settings are read when first used. */
export const catalogDeps = (): CatalogDeps => ({
  catalog: catalogStore,
  now: () => new Date(),
  newId: randomUUID,
  get countyIds() {
    return provinceChannels().countyIds;
  },
});
