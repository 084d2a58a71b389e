import * as z from 'zod';
import { ShowSettledDetail } from '../contracts/events.js';
import { powertoolsHandler } from '../shared/handler.js';
import { logger } from '../shared/powertools.js';
import { payoutDeps } from './deps.js';
import { startPayouts } from './service.js';

const ShowSettled = z.object({ 'detail-type': z.literal('Show Settled'), detail: ShowSettledDetail });
const deps = payoutDeps();

/**
 * Target of the rule for `Show Settled` on the province bus: one payout per seller, once however
 * often the event arrives. An error is thrown so the event is retried and then dead-lettered;
 * the payout sweep picks up what is left PENDING.
 */
export const handler = powertoolsHandler(async (event: unknown) => {
  const { detail } = ShowSettled.parse(event);
  logger.setCorrelationId(detail.showId);
  const result = await startPayouts(deps, detail.showId);
  logger.info('payouts started', { showId: detail.showId, ...result });
  return result;
});
