import { ivsBroadcasting } from '../adapters/ivs.js';
import { showStore } from '../adapters/show-store.js';
import { setting } from '../shared/env.js';
import type { LifecycleDeps } from './lifecycle.js';

/** The production wiring of the lifecycle use cases. */
export function lifecycleDeps(): LifecycleDeps {
  return {
    shows: showStore,
    ivs: ivsBroadcasting(),
    now: () => new Date(),
    get graceMs() {
      return Number(setting('POST_SHOW_GRACE_MINUTES')) * 60_000;
    },
  };
}
