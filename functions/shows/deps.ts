import { randomUUID } from 'node:crypto';
import { catalogStore, saleGates } from '../adapters/catalog-store.js';
import { channelRegistry } from '../adapters/channel-registry.js';
import { figuresStore } from '../adapters/figures-store.js';
import { ivsBroadcasting } from '../adapters/ivs.js';
import { showStore } from '../adapters/show-store.js';
import { entityChange } from '../adapters/table-changes.js';
import { setting } from '../shared/env.js';
import type { FiguresStreamDeps, LiveFiguresDeps } from './live.js';
import type { ShowDeps } from './ports.js';

/** The production wiring of the show use cases. Settings are read when first used, so a function is given only those it needs. */
export function showDeps(): ShowDeps {
  return {
    shows: showStore,
    catalog: catalogStore,
    sales: saleGates,
    ivs: ivsBroadcasting(),
    channels: channelRegistry(),
    now: () => new Date(),
    newId: randomUUID,
    get graceMs() {
      return Number(setting('POST_SHOW_GRACE_MINUTES')) * 60_000;
    },
  };
}

/** The live figures' reads (GET /shows/{showId}/live). */
export const liveFiguresDeps = (): LiveFiguresDeps => ({ figures: figuresStore, now: () => new Date() });

/** The orders stream consumer that keeps the live figures. */
export const figuresStreamDeps = (): FiguresStreamDeps => ({
  figures: figuresStore,
  decode: (record) => {
    const change = entityChange(record);
    return change?.entity === 'order' ? { before: change.before, after: change.after } : undefined;
  },
});
