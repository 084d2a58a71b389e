import * as z from 'zod';
import { SettlementAdjustedDetail, ShowSettledDetail } from '../contracts/events.js';
import { powertoolsHandler } from '../shared/handler.js';
import { logger } from '../shared/powertools.js';
import { reportsDeps } from './deps.js';
import { reportSettlementAdjusted, reportShowSettled } from './service.js';

const ReportEvent = z.discriminatedUnion('detail-type', [
  z.object({ 'detail-type': z.literal('Show Settled'), detail: ShowSettledDetail }),
  z.object({ 'detail-type': z.literal('Settlement Adjusted'), detail: SettlementAdjustedDetail }),
]);
const deps = reportsDeps();

/**
 * Target of the rules for `Show Settled` and `Settlement Adjusted`: the county's and the
 * province's week and month reports. Each event is applied once per report (a marker written in
 * the same transaction), so a repeated or late delivery changes nothing; an error is retried,
 * then dead-lettered.
 */
export const handler = powertoolsHandler(async (event: unknown) => {
  const parsed = ReportEvent.parse(event);
  logger.setCorrelationId(parsed.detail.showId);
  const outcome = parsed['detail-type'] === 'Show Settled'
    ? await reportShowSettled(deps, parsed.detail)
    : await reportSettlementAdjusted(deps, parsed.detail);
  logger.info('reports kept', { eventId: parsed.detail.eventId, outcome });
  return { outcome };
});
