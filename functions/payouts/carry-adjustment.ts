import * as z from 'zod';
import { SettlementAdjustedDetail } from '../contracts/events.js';
import { powertoolsHandler } from '../shared/handler.js';
import { logger } from '../shared/powertools.js';
import { payoutDeps } from './deps.js';
import { carryAdjustment } from './service.js';

const SettlementAdjusted = z.object({ 'detail-type': z.literal('Settlement Adjusted'), detail: SettlementAdjustedDetail });
const deps = payoutDeps();

/**
 * Target of the rule for `Settlement Adjusted`: a refund after a payout's amount was fixed becomes
 * the seller's receivable, taken off their next payout. Idempotent; an error is retried, then
 * dead-lettered.
 */
export const handler = powertoolsHandler(async (event: unknown) => {
  const { detail } = SettlementAdjusted.parse(event);
  logger.setCorrelationId(detail.showId);
  const result = await carryAdjustment(deps, detail.showId, detail.reversals.filter((r) => r.payoutReversalFen > 0).map((r) => r.sellerId));
  logger.info('adjustment looked at for payouts', { showId: detail.showId, orderId: detail.orderId, ...result });
  return result;
});
