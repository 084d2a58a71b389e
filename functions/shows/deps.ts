import { randomUUID } from 'node:crypto';
import { catalogStore } from '../adapters/catalog-store.js';
import { channelRegistry } from '../adapters/channel-registry.js';
import { ivsBroadcasting } from '../adapters/ivs.js';
import { showStore } from '../adapters/show-store.js';
import { setting } from '../shared/env.js';
import type { ShowDeps } from './ports.js';

/** The production wiring of the show use cases. Settings are read when first used, so a function is given only those it needs. */
export function showDeps(): ShowDeps {
  return {
    shows: showStore,
    catalog: catalogStore,
    ivs: ivsBroadcasting(),
    channels: channelRegistry(),
    now: () => new Date(),
    newId: randomUUID,
    get graceMs() {
      return Number(setting('POST_SHOW_GRACE_MINUTES')) * 60_000;
    },
  };
}
