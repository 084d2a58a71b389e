import { accessStore } from '../adapters/access-store.js';
import type { AccessDeps } from './service.js';

/** The production wiring of the access use cases. */
export const accessDeps = (): AccessDeps => ({ access: accessStore, now: () => new Date() });
