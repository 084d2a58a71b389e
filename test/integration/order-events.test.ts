/**
 * The outbox: order writes on DynamoDB Local produce stream records; the relay turns each status
 * change into one event. EventBridge has no local form, so it is mocked at the SDK command level.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { eventBridgePublisher } from '../../functions/adapters/event-bus.js';
import { OrderEventDetail } from '../../functions/contracts/events.js';
import { relayDeps } from '../../functions/events/deps.js';
import { relay } from '../../functions/events/relay.js';
import { handler as cancel } from '../../functions/orders/cancel.js';
import { handler as pay } from '../../functions/orders/pay.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { liveShowWithProduct, newKey } from '../support/fixtures.js';
import { invoke } from '../support/http.js';
import { streamRecords } from '../support/streams.js';
import { expectValidEvent } from '../support/contract.js';

const eventBridge = mockClient(EventBridgeClient);
afterEach(() => eventBridge.reset());

async function orderLifecycle() {
  const { showId, productId } = await liveShowWithProduct(10);
  const order = async () =>
    (await invoke(reserve, { method: 'POST', headers: { 'Idempotency-Key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 1 }] } })).body.orderId as string;
  const paid = await order();
  await invoke(pay, { method: 'POST', pathParameters: { orderId: paid }, body: { paymentRef: 'p-1' } });
  await invoke(pay, { method: 'POST', pathParameters: { orderId: paid }, body: { paymentRef: 'p-1' } }); // retried: no second event
  const cancelled = await order();
  await invoke(cancel, { method: 'POST', pathParameters: { orderId: cancelled } });
  const records = (await streamRecords(process.env.ORDERS_TABLE!)).filter((r) =>
    [paid, cancelled].some((id) => r.dynamodb?.Keys?.pk?.S === `ORDER#${id}`),
  );
  return { paid, cancelled, event: { Records: records } as DynamoDBStreamEvent };
}

const sentEntries = () => eventBridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);

describe('order events through the table stream', () => {
  it('publishes exactly one event per status change, valid against the contract', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map((_: unknown, i: number) => ({ EventId: `e${i}` })) }));
    const { paid, cancelled, event } = await orderLifecycle();
    const result = await relay(relayDeps(eventBridgePublisher(new EventBridgeClient({}))))(event);
    expect(result.batchItemFailures).toEqual([]);
    const entries = sentEntries();
    expect(entries.map((e) => [JSON.parse(e.Detail!).orderId, e.DetailType])).toEqual([
      [paid, 'Order Reserved'],
      [paid, 'Order Paid'],
      [cancelled, 'Order Reserved'],
      [cancelled, 'Order Cancelled'],
    ]);
    for (const e of entries) {
      expectValidEvent({ source: e.Source!, detailType: e.DetailType!, time: e.Time!.toISOString(), detail: JSON.parse(e.Detail!) });
      expect(e.EventBusName).toBe(process.env.EVENT_BUS_NAME);
      expect(e.Source).toBe('county-live.orders');
      expect(OrderEventDetail.safeParse(JSON.parse(e.Detail!)).success).toBe(true);
    }
  });

  it('a partly failed PutEvents (FailedEntryCount > 0) reports the first unsent record so the stream retries from it', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'e0' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }, { EventId: 'e2' }, { EventId: 'e3' }],
    });
    const { event } = await orderLifecycle();
    const result = await relay(relayDeps(eventBridgePublisher(new EventBridgeClient({}))))(event);
    const changes = event.Records.filter((r) => r.dynamodb?.OldImage?.status?.S !== r.dynamodb?.NewImage?.status?.S);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: changes[1]!.dynamodb!.SequenceNumber }]);
  });

  it('an EventBridge outage fails the batch instead of dropping events', async () => {
    eventBridge.on(PutEventsCommand).rejects(new Error('ServiceUnavailable'));
    const { event } = await orderLifecycle();
    await expect(relay(relayDeps(eventBridgePublisher(new EventBridgeClient({}))))(event)).rejects.toThrow('ServiceUnavailable');
  });
});
