import { powertoolsHandler } from '../shared/handler.js';
import { relayDeps } from './deps.js';
import { relay } from './relay.js';

/** Outbox relay: the order, show and settlement table streams → domain events on the province bus. */
export const handler = powertoolsHandler(relay(relayDeps()));
