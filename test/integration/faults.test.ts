/**
 * Faults in DynamoDB and EventBridge, injected through the SDK clients: every operation either
 * completes when retried or leaves no partial state, and no event is lost.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../functions/adapters/dynamo.js';
import { eventBridgePublisher } from '../../functions/adapters/event-bus.js';
import { settlementStore } from '../../functions/adapters/settlement-store.js';
import { showStore } from '../../functions/adapters/show-store.js';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { relayDeps } from '../../functions/events/deps.js';
import { relay } from '../../functions/events/relay.js';
import { handler as cancel } from '../../functions/orders/cancel.js';
import { handler as getOrder } from '../../functions/orders/get-order.js';
import { handler as pay } from '../../functions/orders/pay.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { settlementDeps } from '../../functions/settlement/deps.js';
import { LEASE_MS, settleShow } from '../../functions/settlement/service.js';
import { handler as onStreamEvent } from '../../functions/shows/on-stream-event.js';
import { registerSettlement } from '../../functions/settlement/service.js';
import { eventually } from '../support/eventually.js';
import { injectFaults, internal, throttled } from '../support/faults.js';
import { liveShowWithProduct, newKey, scheduledShow, useOwnTables } from '../support/fixtures.js';
import { apiEvent, invoke, lambdaContext } from '../support/http.js';
import { testChannel } from '../support/env.js';
import { endedShow, ledgerFor, makeOrders, seedSellers, writeOrders } from '../support/settlement-data.js';
import { streamRecords } from '../support/streams.js';

let faults: ReturnType<typeof injectFaults> | undefined;
afterEach(() => faults?.remove());
const stockOf = async (productId: string) => (await invoke(getProduct, { pathParameters: { productId } })).body.stock as number;

describe('orders under DynamoDB faults', () => {
  it('a throttled reservation writes nothing; the same idempotency key then succeeds once', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const key = newKey();
    const call = () => invoke(reserve, { method: 'POST', headers: { 'idempotency-key': key }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 2 }] } });
    faults = injectFaults(dynamoClient, { command: 'TransactWriteItems', error: throttled });
    const failed = await call();
    // a throttled table is "busy, retry", not a bug: 503 with Retry-After
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(await stockOf(productId)).toBe(10);
    faults.remove();
    const ok = await call();
    expect(ok.status).toBe(201);
    expect(await stockOf(productId)).toBe(8);
  });

  it('a fault after the reservation committed (its answer lost): the retry answers with the same order, stock taken once', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const key = newKey();
    const call = () => invoke(reserve, { method: 'POST', headers: { 'idempotency-key': key }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 3 }] } });
    faults = injectFaults(dynamoClient, { command: 'TransactWriteItems', when: 'after', error: internal });
    const first = await call();
    expect(first.status).toBe(503); // an internal error is "try again"
    expect(faults.injected).toEqual(['TransactWriteItems#1 after']);
    faults.remove();
    expect(await stockOf(productId)).toBe(7);
    // the key names the order, which exists: the retry answers with it, and takes no more stock
    const retried = await call();
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ status: 'RESERVED', totalFen: expect.any(Number) });
    expect((await call()).body.orderId).toBe(retried.body.orderId);
    expect(await stockOf(productId)).toBe(7);
    // and the same key with another body is still refused, from the order's own fingerprint
    const other = await invoke(reserve, { method: 'POST', headers: { 'idempotency-key': key }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 4 }] } });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stockOf(productId)).toBe(7);
  });

  it('transaction conflicts: on the stock (other buyers on a hot shard) a busy 503; on the order itself (its key being written right now) 409 IDEMPOTENCY_IN_PROGRESS; writing nothing either way', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const conflictOn = (item: number) => () =>
      new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: { httpStatusCode: 400 }, CancellationReasons: [0, 1].map((i) => ({ Code: i === item ? 'TransactionConflict' : 'None' })) });
    const call = () => invoke(reserve, { method: 'POST', headers: { 'idempotency-key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 1 }] } });
    faults = injectFaults(dynamoClient, { command: 'TransactWriteItems', times: 5, error: conflictOn(0) });
    const onStock = await call();
    expect(onStock.status).toBe(503);
    expect(faults.injected).toHaveLength(5); // tried again 4 times first
    faults.remove();
    faults = injectFaults(dynamoClient, { command: 'TransactWriteItems', times: 5, error: conflictOn(1) });
    const onOrder = await call();
    expect(onOrder.status).toBe(409);
    expect(onOrder.body.error).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS', field: 'idempotency-key' });
    faults.remove();
    expect(await stockOf(productId)).toBe(10);
    expect((await call()).status).toBe(201);
  });

  it('pay and cancel fail cleanly and complete on retry', async () => {
    const { showId, productId } = await liveShowWithProduct(10);
    const reserveOne = async () => (await invoke(reserve, { method: 'POST', headers: { 'idempotency-key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 1 }] } })).body.orderId as string;
    const toPay = await reserveOne();
    const toCancel = await reserveOne();

    // paying: the reference's claim is made, then the order's write is throttled
    faults = injectFaults(dynamoClient, { command: 'UpdateItem', table: 'orders', error: throttled });
    expect((await invoke(pay, { method: 'POST', pathParameters: { orderId: toPay }, body: { paymentRef: 'p1' } })).status).toBe(503);
    expect(faults.injected).toEqual(['UpdateItem#1 before']);
    faults.remove();
    expect((await invoke(getOrder, { pathParameters: { orderId: toPay } })).body.status).toBe('RESERVED');
    const retried = await invoke(pay, { method: 'POST', pathParameters: { orderId: toPay }, body: { paymentRef: 'p1' } });
    expect(retried.body, JSON.stringify(retried.body)).toMatchObject({ status: 'PAID' });

    faults = injectFaults(dynamoClient, { command: 'TransactWriteItems', error: internal });
    expect((await invoke(cancel, { method: 'POST', pathParameters: { orderId: toCancel } })).status).toBe(503);
    faults.remove();
    expect((await invoke(getOrder, { pathParameters: { orderId: toCancel } })).body.status).toBe('RESERVED');
    expect(await stockOf(productId)).toBe(8);
    expect((await invoke(cancel, { method: 'POST', pathParameters: { orderId: toCancel } })).body.status).toBe('CANCELLED');
    expect(await stockOf(productId)).toBe(9);
  });
});

describe('show lifecycle and settlement under faults', () => {
  it('an IVS event whose write is throttled fails (EventBridge retries it); the retry applies it once', async () => {
    await useOwnTables();
    const { showId } = await scheduledShow([], { channel: 'chengbu-main' });
    const event = {
      version: '0', id: 'e1', 'detail-type': 'IVS Stream State Change', source: 'aws.ivs', account: '1', time: new Date().toISOString(), region: 'ap-northeast-1',
      resources: [testChannel('chengbu-main').arn], detail: { event_name: 'Stream Start', channel_name: '', stream_id: 'st-fault' },
    };
    faults = injectFaults(dynamoClient, { command: 'PutItem', error: throttled }); // the show's save
    await expect(onStreamEvent(event, lambdaContext())).rejects.toThrow();
    faults.remove();
    expect((await showStore.getShow(showId))!.status).toBe('SCHEDULED');
    await expect(onStreamEvent(event, lambdaContext())).resolves.toMatchObject({ outcome: 'applied', showId });
    expect((await showStore.getShow(showId))!.status).toBe('LIVE');
  });

  it('a settlement hit by an internal error mid-way is resumed and ends with every entry once', async () => {
    await useOwnTables();
    const sellers = await seedSellers(120);
    const showId = await endedShow();
    await writeOrders(makeOrders(showId, sellers, 300, 5));
    const { dueAt } = await registerSettlement({ settlements: settlementStore, now: () => new Date(), reservationTimeoutMinutes: 15, sellerShareBps: 8000 }, { showId, countyId: 'chengbu' });
    const t = Date.parse(dueAt) + 1000;
    faults = injectFaults(dynamoClient, { command: 'TransactWriteItems', from: 2, error: internal });
    await expect(settleShow({ ...settlementDeps(), now: () => new Date(t) }, showId)).rejects.toThrow();
    faults.remove();
    expect(await settleShow({ ...settlementDeps(), now: () => new Date(t + LEASE_MS) }, showId)).toBe('settled');
    const ledger = await ledgerFor(showId);
    expect(ledger).toHaveLength(120);
    expect(new Set(ledger.map((e) => e.pk)).size).toBe(120);
  });
});

describe('events under EventBridge partial failures', () => {
  it('entries refused by PutEvents are retried from the first failed record until every event is accepted', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    const accepted: string[] = [];
    let calls = 0;
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: { Detail: string }[] }) => {
      calls++;
      // the first call refuses every other entry; later calls accept everything
      const entries = input.Entries.map((e, i) => (calls === 1 && i % 2 === 1 ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : (accepted.push(JSON.parse(e.Detail).eventId), { EventId: `e-${calls}-${i}` })));
      return { FailedEntryCount: entries.filter((e) => 'ErrorCode' in e).length, Entries: entries };
    });
    const { showId, productId } = await liveShowWithProduct(10);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await invoke(reserve, { method: 'POST', headers: { 'idempotency-key': newKey() }, body: { showId, buyerRef: 'b', items: [{ productId, quantity: 1 }] } });
      ids.push(res.body.orderId);
      await invoke(pay, { method: 'POST', pathParameters: { orderId: res.body.orderId }, body: { paymentRef: `p${i}` } });
    }
    const records = (await streamRecords(process.env.ORDERS_TABLE!)).filter((r) => ids.some((id) => r.dynamodb?.Keys?.pk?.S === `ORDER#${id}`));
    const consume = relay(relayDeps(eventBridgePublisher(new EventBridgeClient({}))));
    // as Lambda's event source mapping does: retry from the reported record until the batch is through
    let batch = records;
    for (let attempt = 0; attempt < 10 && batch.length; attempt++) {
      const { batchItemFailures } = await consume({ Records: batch } as DynamoDBStreamEvent);
      const failedAt = batchItemFailures[0] ? batch.findIndex((r) => r.dynamodb?.SequenceNumber === batchItemFailures[0]!.itemIdentifier) : batch.length;
      batch = batch.slice(failedAt);
    }
    const expected = ids.flatMap((id) => [`${id}:RESERVED`, `${id}:PAID`]);
    expect(new Set(accepted)).toEqual(new Set(expected)); // none lost (some sent twice: consumers deduplicate)
    eventBridge.restore();
  });
});
