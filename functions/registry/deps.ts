import { registryStore } from '../adapters/channel-registry.js';
import type { RegistryStore } from './ports.js';

/** The production wiring of the channel registration. */
export const registryDeps = (): { registry: RegistryStore } => ({ registry: registryStore });
