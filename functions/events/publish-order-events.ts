import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { fromItem } from '../adapters/dynamo.js';
import { eventBridgePublisher, type EventPublisher } from '../adapters/event-bus.js';
import { orderEventForChange } from '../contracts/events.js';
import type { Order } from '../domain/order.js';
import { logger, tracer } from '../shared/powertools.js';

function image(raw: Record<string, unknown> | undefined): Order | undefined {
  if (!raw) return undefined;
  return fromItem<Order>(unmarshall(raw as Record<string, AttributeValue>), 'reservedShard');
}

/**
 * The outbox relay: every order status change in the table stream becomes one domain event.
 * Publishing is checked entry by entry; the first record whose event was not accepted is
 * reported, so the stream retries from there (later events may be sent twice: consumers
 * deduplicate on detail.eventId).
 */
export function relay(publisher: EventPublisher) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const pending = event.Records.flatMap((record) => {
      const domainEvent = orderEventForChange(image(record.dynamodb?.OldImage), image(record.dynamodb?.NewImage));
      return domainEvent ? [{ record, domainEvent }] : [];
    });
    const failed = await publisher.publish(pending.map((p) => p.domainEvent));
    if (failed.length === 0) return { batchItemFailures: [] };
    const first = pending[Math.min(...failed)]!;
    logger.warn('order events not accepted by the bus; the stream will retry', {
      failed: failed.length,
      firstEventId: first.domainEvent.detail.eventId,
    });
    return { batchItemFailures: [{ itemIdentifier: first.record.dynamodb!.SequenceNumber! }] };
  };
}

export const handler = middy(relay(eventBridgePublisher()))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger));
