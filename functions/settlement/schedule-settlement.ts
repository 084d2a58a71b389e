import * as z from 'zod';
import { ShowEventDetail } from '../contracts/events.js';
import { powertoolsHandler } from '../shared/handler.js';
import { logger } from '../shared/powertools.js';
import { settlementDeps } from './deps.js';
import { registerSettlement } from './service.js';

const ShowEnded = z.object({ 'detail-type': z.literal('Show Ended'), detail: ShowEventDetail });
const deps = settlementDeps();

/**
 * Target of the rule for `Show Ended` on the province bus: registers the show for settlement once
 * (however often the event is delivered). A malformed event is a bug upstream: it is thrown, so
 * it is retried and then dead-lettered, never silently dropped.
 */
export const handler = powertoolsHandler(async (event: unknown) => {
  const { detail } = ShowEnded.parse(event);
  logger.setCorrelationId(detail.showId);
  const result = await registerSettlement(deps, detail);
  logger.info(result.registered ? 'settlement registered' : 'settlement already registered', { showId: detail.showId, ...result });
  return result;
});
