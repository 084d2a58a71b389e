import { powertoolsHandler } from '../shared/handler.js';
import { figuresStreamDeps } from './deps.js';
import { figuresConsumer } from './live.js';

/** Orders table stream → each show's live figures, exactly once per record (partial batch failures reported). */
export const handler = powertoolsHandler(figuresConsumer(figuresStreamDeps()));
