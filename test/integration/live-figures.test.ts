/**
 * Live figures kept from the orders table stream, on DynamoDB Local with its real stream: orders
 * reserved, paid, cancelled, expired and refunded through the real handlers; the stream's records
 * fed to the real consumer (exactly as Lambda would: one shard per batch, named by the tumbling
 * window); the figures always equal a full recomputation from the show's orders, whatever the
 * delivery: every record twice, batches cut at random, shards interleaved, a crash mid-batch.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { handler as getProduct } from '../../functions/catalog/get-product.js';
import { ddb, dynamoClient } from '../../functions/adapters/dynamo.js';
import { figuresTable } from '../../functions/adapters/codecs/figures.js';
import { handler as cancel } from '../../functions/orders/cancel.js';
import { orderDeps } from '../../functions/orders/deps.js';
import { handler as pay } from '../../functions/orders/pay.js';
import { handler as reserve } from '../../functions/orders/reserve.js';
import { expireReservation } from '../../functions/orders/service.js';
import { handler as refund } from '../../functions/settlement/refund-order.js';
import { figuresStreamDeps } from '../../functions/shows/deps.js';
import { figuresConsumer, type FiguresStreamEvent } from '../../functions/shows/live.js';
import { handler as liveFigures } from '../../functions/shows/live-figures.js';
import { handler as maintain } from '../../functions/shows/maintain-live-figures.js';
import { toLambdaRecord } from '../../local/streams.js';
import { handler as createShow } from '../../functions/shows/create-show.js';
import { freshChannel, goLive, newKey, product, scheduledShow, seller, useOwnTables } from '../support/fixtures.js';
import { invoke, lambdaContext, operatorAuth } from '../support/http.js';
import { asHandler } from '../support/iam.js';

const chengbu = operatorAuth('chengbu');

/** The orders stream, shard by shard, in each shard's order. */
async function shardsOfOrdersStream(): Promise<Map<string, DynamoDBRecord[]>> {
  const streams = new DynamoDBStreamsClient({ endpoint: inject('dynamoEndpoint') });
  const { Table } = await dynamoClient.send(new DescribeTableCommand({ TableName: process.env.ORDERS_TABLE }));
  const arn = Table!.LatestStreamArn!;
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  const shards = new Map<string, DynamoDBRecord[]>();
  for (const shard of StreamDescription?.Shards ?? []) {
    const records: DynamoDBRecord[] = [];
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []).map((r) => toLambdaRecord(r, arn)));
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
    shards.set(shard.ShardId!, records);
  }
  streams.destroy();
  return shards;
}

/**
 * DynamoDB Local keeps one shard per stream; a table in the cloud has many, each carrying its
 * items' changes in order. Spreading the records over three shards by order id (an order's
 * changes stay in one shard, in order) gives interleaved sequence numbers across shards, as there.
 */
function asThreeShards(shards: Map<string, DynamoDBRecord[]>): Map<string, DynamoDBRecord[]> {
  const out = new Map<string, DynamoDBRecord[]>();
  for (const [shardId, records] of shards) {
    for (const r of records) {
      const key = JSON.stringify(r.dynamodb!.Keys);
      const id = `${shardId}-${createHash('sha256').update(key).digest()[0]! % 3}`;
      out.set(id, [...(out.get(id) ?? []), r]);
    }
  }
  return out;
}

const deliver = (shardId: string, records: DynamoDBRecord[]) =>
  asHandler(maintain, () => maintain({ Records: records, shardId, state: {} } as FiguresStreamEvent, lambdaContext('maintainLiveFigures'))) as Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/** Every shard's records in batches of 100, as the event source delivers them. */
async function deliverAll(shards: Map<string, DynamoDBRecord[]>) {
  for (const [shardId, records] of shards) {
    for (let i = 0; i < records.length; i += 100) expect((await deliver(shardId, records.slice(i, i + 100))).batchItemFailures).toEqual([]);
  }
}

/** The reference: the show's figures from a full read of its orders (no code shared with the consumer). */
async function recompute(showId: string, lineup: string[]) {
  const orders: any[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: process.env.ORDERS_TABLE, ExclusiveStartKey: start }));
    orders.push(...(page.Items ?? []).filter((o) => String(o.pk).startsWith('ORDER#') && o.showId === showId));
    start = page.LastEvaluatedKey;
  } while (start);
  const count = (s: string) => orders.filter((o) => o.status === s).length;
  const paid = orders.filter((o) => o.status === 'PAID');
  const minutes = new Map<string, { paidOrders: number; paidGmvFen: number }>();
  for (const o of paid) {
    const minute = `${String(o.paidAt).slice(0, 16)}:00.000Z`;
    const m = minutes.get(minute) ?? { paidOrders: 0, paidGmvFen: 0 };
    m.paidOrders += 1;
    m.paidGmvFen += o.totalFen;
    minutes.set(minute, m);
  }
  const units = (status: string, productId: string) =>
    orders.filter((o) => o.status === status).flatMap((o) => o.items).filter((l: any) => l.productId === productId).reduce((n: number, l: any) => n + l.quantity, 0);
  return {
    orders: { reserved: count('RESERVED'), paid: count('PAID'), cancelled: count('CANCELLED'), expired: count('EXPIRED'), refunded: count('REFUNDED') },
    paidGmvFen: paid.reduce((n, o) => n + o.totalFen, 0),
    perMinute: [...minutes].sort(([a], [b]) => a.localeCompare(b)).map(([minute, m]) => ({ minute, ...m })),
    products: lineup.map((productId) => ({ productId, unitsSold: units('PAID', productId), unitsReserved: units('RESERVED', productId) })),
  };
}

const read = async (showId: string, authorizer = chengbu) => invoke(liveFigures, { pathParameters: { showId }, authorizer });
const figuresPart = (body: any) => ({
  orders: body.orders,
  paidGmvFen: body.paidGmvFen,
  perMinute: body.perMinute,
  products: body.products.map((p: any) => ({ productId: p.productId, unitsSold: p.unitsSold, unitsReserved: p.unitsReserved })),
});
const resetFigures = (showId: string) => ddb.send(new DeleteCommand({ TableName: process.env.FIGURES_TABLE, Key: figuresTable.figuresKey(showId) }));

describe('live figures from the orders stream', () => {
  let showId: string;
  let otherShowId: string;
  let lineup: string[];
  /** The other show's products (a product is on sale in one live show at a time). */
  let otherLineup: string[];
  let shards: Map<string, DynamoDBRecord[]>;

  beforeAll(async () => {
    await useOwnTables();
    const { sellerId } = await seller();
    const oranges = await product(sellerId, 500, 3990, 'Navel oranges 5 kg');
    const tea = await product(sellerId, 40, 8800, 'Tea oil 1 L');
    lineup = [oranges.productId, tea.productId];
    showId = (await scheduledShow([{ productId: oranges.productId, showPriceFen: 2990 }, { productId: tea.productId, showPriceFen: 7900 }])).showId;
    await goLive(showId);
    const oranges2 = await product(sellerId, 500, 3990, 'Navel oranges 5 kg');
    const tea2 = await product(sellerId, 40, 8800, 'Tea oil 1 L');
    otherLineup = [oranges2.productId, tea2.productId];
    otherShowId = (await scheduledShow([{ productId: oranges2.productId, showPriceFen: 2990 }, { productId: tea2.productId, showPriceFen: 7900 }])).showId;
    await goLive(otherShowId);

    const place = async (items: { productId: string; quantity: number }[], show = showId) => {
      const forShow = show === otherShowId ? items.map((item) => ({ ...item, productId: otherLineup[lineup.indexOf(item.productId)]! })) : items;
      const res = await invoke(reserve, { method: 'POST', path: '/orders', headers: { 'Idempotency-Key': newKey() }, body: { showId: show, buyerRef: 'wx-buyer', items: forShow } });
      expect(res.status).toBe(201);
      return res.body.orderId as string;
    };
    const mix = (i: number) => (i % 3 === 0 ? [{ productId: oranges.productId, quantity: 1 + (i % 4) }, { productId: tea.productId, quantity: 1 }] : [{ productId: lineup[i % 2]!, quantity: 1 + (i % 3) }]);

    // some reservations left to expire (their time come: a clock past their 15 minutes)
    for (let i = 0; i < 3; i++) expect(await expireReservation({ ...orderDeps(), now: () => new Date(Date.now() + 16 * 60_000) }, await place(mix(i)))).toBe('expired');
    // the night's orders: most paid, some cancelled, some refunded, some still reserved
    const placed: string[] = [];
    for (let i = 0; i < 24; i++) {
      placed.push(await place(mix(i)));
      if (i % 4 === 0) placed.push(await place(mix(i + 1), otherShowId)); // the other show's orders in between
    }
    for (const [i, orderId] of placed.entries()) {
      if (i % 6 === 5) expect((await invoke(cancel, { method: 'POST', pathParameters: { orderId } })).body.status).toBe('CANCELLED');
      else if (i % 6 !== 4) expect((await invoke(pay, { method: 'POST', pathParameters: { orderId }, body: { paymentRef: `ref-${orderId}` } })).body.status).toBe('PAID');
    }
    for (const orderId of placed.filter((_, i) => i % 6 === 1).slice(0, 3)) {
      expect((await invoke(refund, { method: 'POST', pathParameters: { orderId } })).body.status).toBe('REFUNDED');
    }
    shards = asThreeShards(await shardsOfOrdersStream());
  }, 120_000);

  it('equal a full recomputation from the show\'s orders, in the documented shape, within two reads', async () => {
    await Promise.all([resetFigures(showId), resetFigures(otherShowId)]);
    const before = await read(showId);
    expect(before.status).toBe(200);
    expect(before.body.sequence).toBe(0);
    expect(before.body.asOf).toBeNull();

    await deliverAll(shards);
    const send = vi.spyOn(ddb, 'send');
    const { status, body } = await read(showId);
    expect(send.mock.calls.map(([command]) => command.constructor.name)).toEqual(['BatchGetCommand', 'BatchGetCommand']); // show + figures + viewers, then the lineup's stock
    send.mockRestore();
    expect(status).toBe(200);
    const expected = await recompute(showId, lineup);
    expect(figuresPart(body)).toEqual(expected);
    expect(expected.orders.paid).toBeGreaterThan(5);
    for (const n of Object.values(expected.orders)) expect(n).toBeGreaterThan(0);
    expect(figuresPart((await read(otherShowId)).body)).toEqual(await recompute(otherShowId, otherLineup));
    expect(body).toMatchObject({ showId, countyId: 'chengbu', status: 'LIVE', title: 'Chengbu night market', spotlight: null, broadcasting: { live: true } });
    expect(body.asOf).toEqual(expect.any(String));
    expect(body.sequence).toBeGreaterThan(0);
    // stock left is the catalog's
    for (const p of body.products) {
      const stock = (await invoke(getProduct, { pathParameters: { productId: p.productId } })).body.stock;
      expect(p.stockLeft).toBe(stock);
      expect(p.soldOut).toBe(stock <= 0);
    }
    expect(body.products.map((p: any) => p.name)).toEqual(['Navel oranges 5 kg', 'Tea oil 1 L']);

    // delivered again, all of it: nothing moves, and nothing is written (the sequence stays)
    await deliverAll(shards);
    const again = await read(showId);
    expect(figuresPart(again.body)).toEqual(expected);
    expect(again.body.sequence).toBe(body.sequence);
  });

  it('stay exact whatever the delivery: every record twice, random batches and retries, shards interleaved', async () => {
    const expected = await recompute(showId, lineup);
    const expectedOther = await recompute(otherShowId, otherLineup);
    const shardIds = [...shards.keys()];
    const plan = fc.record({
      // per shard: steps of (how far a retry goes back, batch size)
      steps: fc.array(fc.array(fc.tuple(fc.nat(12), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 40 }), { minLength: shardIds.length, maxLength: shardIds.length }),
      // which shard's next batch goes first
      picks: fc.array(fc.nat(shardIds.length - 1), { maxLength: 200 }),
    });
    await fc.assert(
      fc.asyncProperty(plan, async ({ steps, picks }) => {
        await Promise.all([resetFigures(showId), resetFigures(otherShowId)]);
        const queues = shardIds.map((id, s) => {
          const records = shards.get(id)!;
          const batches: DynamoDBRecord[][] = [];
          let position = 0;
          let k = 0;
          while (position < records.length) {
            const [back, size] = steps[s]![k++ % steps[s]!.length]!;
            const from = Math.max(0, position - back);
            const to = Math.min(records.length, Math.max(position + 1, from + size));
            batches.push(records.slice(from, to));
            position = to;
          }
          for (let i = 0; i < records.length; i += 50) batches.push(records.slice(i, i + 50)); // then all of it again
          return { id, batches };
        });
        let turn = 0;
        while (queues.some((q) => q.batches.length > 0)) {
          const open = queues.filter((q) => q.batches.length > 0);
          const q = open[(picks[turn++] ?? 0) % open.length]!;
          expect((await deliver(q.id, q.batches.shift()!)).batchItemFailures).toEqual([]);
        }
        expect(figuresPart((await read(showId)).body)).toEqual(expected);
        expect(figuresPart((await read(otherShowId)).body)).toEqual(expectedOther);
      }),
      { numRuns: 12 },
    );
  }, 300_000);

  it('stay exact after crashes mid-batch: a write refused, a write made but not answered, the invocation lost', async () => {
    await Promise.all([resetFigures(showId), resetFigures(otherShowId)]);
    const deps = figuresStreamDeps();
    let mode = 0;
    const flaky = figuresConsumer({
      ...deps,
      figures: {
        apply: async (shard, changes) => {
          const m = mode++ % 4;
          if (m === 1) throw new Error('refused before writing');
          await deps.figures.apply(shard, changes);
          if (m === 2) throw new Error('died after writing, before answering');
        },
      },
    });
    for (const [shardId, records] of shards) {
      for (let i = 0; i < records.length; i += 10) {
        const batch = records.slice(i, i + 10);
        const { batchItemFailures } = await asHandler(maintain, () => flaky({ Records: batch, shardId }));
        if (i % 30 === 20) {
          await deliver(shardId, batch); // the whole invocation was lost: Lambda delivers the batch again
          continue;
        }
        if (batchItemFailures.length === 0) continue;
        // Lambda retries from the record reported, with everything after it
        const from = batch.findIndex((r) => r.dynamodb!.SequenceNumber === batchItemFailures[0]!.itemIdentifier);
        expect(from).toBeGreaterThanOrEqual(0);
        expect((await deliver(shardId, batch.slice(from))).batchItemFailures).toEqual([]);
      }
    }
    expect(mode).toBeGreaterThan(4);
    expect(figuresPart((await read(showId)).body)).toEqual(await recompute(showId, lineup));
    expect(figuresPart((await read(otherShowId)).body)).toEqual(await recompute(otherShowId, otherLineup));
  });

  it('are read by the show\'s county operators and province admins; another county is told the show does not exist', async () => {
    expect((await read(showId, operatorAuth())).status).toBe(200);
    const other = await read(showId, operatorAuth('xinhuang'));
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).toContain('NOT_FOUND');
    expect((await read('no-such-show')).status).toBe(404);
  });

  it("count a flash-sale product's stock across the shards it has now, whichever lineup sharded it", async () => {
    const { sellerId } = await seller();
    const flash = await product(sellerId, 400, 1990, 'Flash-sale honey');
    // one show shards it over 8 items; another lists it without a shard count
    const sharding = await invoke(createShow, { method: 'POST', path: '/shows', body: { countyId: 'chengbu', channel: freshChannel(), title: 'Sharded night', scheduledStart: new Date().toISOString(), lineup: [{ productId: flash.productId, showPriceFen: 1590, stockShards: 8 }] } });
    expect(sharding.status).toBe(201);
    const plain = (await scheduledShow([{ productId: flash.productId, showPriceFen: 1590 }])).showId;
    const stock = (await invoke(getProduct, { pathParameters: { productId: flash.productId } })).body.stock;
    expect(stock).toBe(400);
    for (const id of [sharding.body.showId as string, plain]) {
      const { body } = await read(id);
      expect(body.products).toMatchObject([{ productId: flash.productId, stockLeft: 400, soldOut: false }]);
    }
  });
});
