import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { fromItem } from '../adapters/dynamo.js';
import { toOrder } from '../adapters/order-store.js';
import { type BusEvent, eventBridgePublisher, type EventPublisher } from '../adapters/event-bus.js';
import { orderEventForChange, settlementEventForChange, showEventForChange } from '../contracts/events.js';
import type { Show } from '../domain/show.js';
import { powertoolsHandler } from '../shared/handler.js';
import { logger } from '../shared/powertools.js';

type Image = Record<string, unknown> | undefined;

function item(raw: Image): Record<string, unknown> | undefined {
  return raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined;
}

/** The domain event a table change stands for, by the kind of item that changed. */
export function eventForChange(oldImage: Image, newImage: Image): BusEvent | undefined {
  const before = item(oldImage);
  const after = item(newImage);
  const pk = String((after ?? before)?.pk ?? '');
  if (pk.startsWith('ORDER#')) {
    const order = (i?: Record<string, unknown>) => (i ? toOrder(i) : undefined);
    return orderEventForChange(order(before), order(after));
  }
  if (pk.startsWith('SHOW#') && (after ?? before)?.sk === 'SHOW') {
    const show = (i?: Record<string, unknown>) => (i ? fromItem<Show>(i, 'listing') : undefined);
    return showEventForChange(show(before), show(after));
  }
  if (pk.startsWith('SETTLEMENT#')) {
    return settlementEventForChange(String((after ?? before)?.sk ?? ''), before, after);
  }
  return undefined;
}

/**
 * The outbox relay: every order or show status change in the table streams becomes one domain
 * event. Publishing is checked entry by entry; the first record whose event was not accepted is
 * reported, so the stream retries from there (later events may be sent twice: consumers
 * deduplicate on detail.eventId).
 */
export function relay(publisher: EventPublisher) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const pending = event.Records.flatMap((record) => {
      const domainEvent = eventForChange(record.dynamodb?.OldImage, record.dynamodb?.NewImage);
      return domainEvent ? [{ record, domainEvent }] : [];
    });
    const failed = await publisher.publish(pending.map((p) => p.domainEvent));
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

export const handler = powertoolsHandler(relay(eventBridgePublisher()));
