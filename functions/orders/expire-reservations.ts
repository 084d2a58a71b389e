import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { powertoolsHandler } from '../shared/handler.js';
import { logger, metrics } from '../shared/powertools.js';
import { orderDeps } from './deps.js';
import { type ExpiryOutcome, expireReservation } from './service.js';

const deps = orderDeps();

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** What the ReservationExpiry queue delivers: the order's Order Reserved event, as the province bus had it. */
const HeldEvent = z.object({ 'detail-type': z.literal('Order Reserved'), detail: z.object({ orderId: z.string().min(1) }) });

/**
 * The ReservationExpiry delay queue: each record is an Order Reserved event whose time is up.
 * A record not yet due (a timeout longer than the queue's delay, or clocks apart), or whose
 * payment the provider could not confirm yet, is answered as a failure: the queue delivers it
 * again after its visibility timeout, and after too many tries moves it to the alarmed DLQ.
 */
export const handler = powertoolsHandler(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: { itemIdentifier: string }[] = [];
  const counts: Partial<Record<ExpiryOutcome | 'unreadable', number>> = {};
  for (const record of event.Records) {
    const parsed = HeldEvent.safeParse(parseJson(record.body));
    if (!parsed.success) {
      // not an event this queue is for: nothing to retry (it would fail the same way)
      logger.error('unreadable expiry message', { messageId: record.messageId, issues: parsed.error.issues });
      counts.unreadable = (counts.unreadable ?? 0) + 1;
      continue;
    }
    try {
      const outcome = await expireReservation(deps, parsed.data.detail.orderId);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      if (outcome === 'not-due' || outcome === 'unconfirmed') failures.push({ itemIdentifier: record.messageId });
    } catch (error) {
      logger.error('expiry failed; the queue delivers it again', { messageId: record.messageId, orderId: parsed.data.detail.orderId, error });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  metrics.addMetric('ReservationsExpired', MetricUnit.Count, counts.expired ?? 0);
  logger.info('reservations whose time came', counts);
  return { batchItemFailures: failures };
});
