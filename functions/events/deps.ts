import { eventBridgePublisher } from '../adapters/event-bus.js';
import { entityChange } from '../adapters/table-changes.js';
import type { EventPublisher } from './ports.js';
import type { RelayDeps } from './relay.js';

/** The production wiring of the outbox relay (a test may hand in another publisher). */
export const relayDeps = (publisher: EventPublisher = eventBridgePublisher()): RelayDeps => ({ publisher, decode: entityChange });
