/**
 * The outbox relay: every order, show, settlement or payout status change (and every adjustment,
 * every reconciliation mismatch) in the table streams becomes one domain event on the province bus.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { adjustmentEventForChange, mismatchEventForChange, orderEventForChange, paymentEventForChange, payoutEventForChange, settlementEventForChange, showEventForChange } from '../contracts/events.js';
import { logger } from '../shared/powertools.js';
import type { BusEvent, EntityChange, EventPublisher } from './ports.js';

/** The domain event an entity change stands for, if any. */
export function eventForChange(change: EntityChange | undefined): BusEvent | undefined {
  switch (change?.entity) {
    case 'order': return orderEventForChange(change.before, change.after) ?? paymentEventForChange(change.before, change.after);
    case 'show': return showEventForChange(change.before, change.after);
    case 'settlement': return settlementEventForChange(change.before, change.after);
    case 'adjustment': return adjustmentEventForChange(change.before, change.after);
    case 'payout': return payoutEventForChange(change.before, change.after);
    case 'mismatch': return mismatchEventForChange(change.before, change.after);
    default: return undefined;
  }
}

export interface RelayDeps {
  publisher: EventPublisher;
  /** Decodes a stream record with its table's codec. */
  decode: (record: DynamoDBRecord) => EntityChange | undefined;
}

/**
 * Publishing is checked entry by entry; the first record whose event was not accepted is
 * reported, so the stream retries from there (later events may be sent twice: consumers
 * deduplicate on detail.eventId).
 */
export function relay(deps: RelayDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const pending = event.Records.flatMap((record) => {
      const domainEvent = eventForChange(deps.decode(record));
      return domainEvent ? [{ record, domainEvent }] : [];
    });
    const failed = await deps.publisher.publish(pending.map((p) => p.domainEvent));
    logger.debug('domain events published', { eventIds: pending.map((p) => (p.domainEvent.detail as { eventId?: string }).eventId), failed: failed.length });
    if (failed.length === 0) return { batchItemFailures: [] };
    const first = pending[Math.min(...failed)]!;
    logger.warn('domain events not accepted by the bus; the stream will retry', {
      failed: failed.length,
      firstEvent: first.domainEvent.detailType,
    });
    return { batchItemFailures: [{ itemIdentifier: first.record.dynamodb!.SequenceNumber! }] };
  };
}
