/**
 * The sale gate on the stock items (issue 20): while a product is on sale in a LIVE show, its
 * product item and every stock shard carry the show and the show price (what an order's stock
 * update checks). The show lifecycle opens it, follows lineup changes, closes it, keeps it
 * across resharding, and the sweep heals it — on DynamoDB Local through the real handlers (their
 * AWS calls checked against their IAM policies).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogStore, saleGates } from '../../functions/adapters/catalog-store.js';
import { catalogTable } from '../../functions/adapters/codecs/catalog.js';
import { ddb, dynamoClient } from '../../functions/adapters/dynamo.js';
import { showStore } from '../../functions/adapters/show-store.js';
import type { LineupEntry } from '../../functions/domain/show.js';
import { handler as endShow } from '../../functions/shows/end-show.js';
import { handler as putLineup } from '../../functions/shows/put-lineup.js';
import { handler as sweepShows } from '../../functions/shows/sweep-shows.js';
import { tables } from '../../province/wiring.js';
import { goLive, product, scheduledShow, seller, useOwnTables } from '../support/fixtures.js';
import { invoke, lambdaContext } from '../support/http.js';

type Gate = { showId: string; showPriceFen: number } | undefined;

const catalog = () => process.env[tables.catalog.env]!;
const read = async (Key: Record<string, string>) => (await ddb.send(new GetCommand({ TableName: catalog(), Key, ConsistentRead: true }))).Item;

/** A product's stock items as stored: the product item, then each stock shard (0, 1, …). */
async function stockItems(productId: string) {
  const item = await read(catalogTable.productKey(productId));
  expect(item, `product ${productId}`).toBeDefined();
  const count = Number(item!.stockShards ?? 1);
  const shards = count > 1 ? await Promise.all(Array.from({ length: count }, (_, k) => read(catalogTable.stockShardKey(productId, k)))) : [];
  shards.forEach((s, k) => expect(s, `shard ${k} of ${productId}`).toBeDefined());
  return [item!, ...(shards as Record<string, unknown>[])];
}
/** The gate on each stock item of the product (product item first). */
const gates = async (productId: string): Promise<Gate[]> => (await stockItems(productId)).map(catalogTable.saleOf);
const everyItem = (count: number, gate: Gate) => Array.from({ length: count }, () => gate);

/** Writes a gate straight onto every stock item of a product (undefined: removes it), as a crash or a lost write would leave it. */
async function forceGate(productId: string, gate: Gate, only?: (index: number) => boolean) {
  const items = await stockItems(productId);
  for (const [i, item] of items.entries()) {
    if (only && !only(i)) continue;
    await ddb.send(new UpdateCommand({
      TableName: catalog(),
      Key: { pk: item.pk, sk: item.sk },
      ...(gate
        ? { UpdateExpression: 'SET onSaleIn = :s, salePriceFen = :p', ExpressionAttributeValues: { ':s': gate.showId, ':p': gate.showPriceFen } }
        : { UpdateExpression: 'REMOVE onSaleIn, salePriceFen' }),
    }));
  }
}

const lineupOf = (showId: string, lineup: LineupEntry[]) => invoke(putLineup, { method: 'PUT', pathParameters: { showId }, body: { lineup } });
const end = (showId: string) => invoke(endShow, { method: 'POST', pathParameters: { showId } });
const sweep = () => sweepShows({}, lambdaContext('sweep-shows'));

async function products(...stocks: number[]) {
  const { sellerId } = await seller();
  return Promise.all(stocks.map(async (stock, i) => (await product(sellerId, stock, 1500, `Product ${i}`)).productId));
}
/** A show scheduled now with this lineup (stock shards applied), then LIVE. */
async function liveShow(lineup: LineupEntry[]) {
  const { showId } = await scheduledShow(lineup);
  await goLive(showId);
  return showId;
}

// the sweep is table-wide: this file's shows alone, all on channels live in this worker's IVS stand-in
beforeAll(useOwnTables);

describe('the sale gate on the stock items', () => {
  it('going LIVE opens the sale: every lineup product item and all its shards carry the show and its show price', async () => {
    const [flash, plain] = await products(40, 10);
    const { showId } = await scheduledShow([{ productId: flash!, showPriceFen: 990, stockShards: 4 }, { productId: plain!, showPriceFen: 1200 }] as LineupEntry[]);
    expect(await gates(flash!)).toEqual(everyItem(5, undefined)); // SCHEDULED: not on sale
    expect(await gates(plain!)).toEqual([undefined]);
    await goLive(showId);
    expect(await gates(flash!)).toEqual(everyItem(5, { showId, showPriceFen: 990 }));
    expect(await gates(plain!)).toEqual([{ showId, showPriceFen: 1200 }]);
  });

  it("ending closes the sale on every item, and leaves a product another live show sells to that show", async () => {
    const [shared, own] = await products(20, 30);
    const other = await liveShow([{ productId: shared!, showPriceFen: 700 }]);
    const { showId } = await scheduledShow([{ productId: shared!, showPriceFen: 800 }, { productId: own!, showPriceFen: 900, stockShards: 3 }] as LineupEntry[]);
    await goLive(showId);
    expect(await gates(shared!)).toEqual([{ showId: other, showPriceFen: 700 }]); // the other live show keeps it
    expect(await gates(own!)).toEqual(everyItem(4, { showId, showPriceFen: 900 }));

    const ended = await end(showId);
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('ENDED');
    expect(await gates(own!)).toEqual(everyItem(4, undefined));
    expect(await gates(shared!)).toEqual([{ showId: other, showPriceFen: 700 }]);
  });

  it("ending closes a flash-sale product's sale item by item: buyers' transactions on its shards (every transaction cancelled for a conflict here) cannot hold it open", async () => {
    const [flash] = await products(64);
    const showId = await liveShow([{ productId: flash!, showPriceFen: 990, stockShards: 16 }] as LineupEntry[]);
    expect(await gates(flash!)).toEqual(everyItem(17, { showId, showPriceFen: 990 }));
    // as on DynamoDB under a flash sale: a transaction taking the gate off many shards at once loses to the buyers' own transactions on them
    let cancelled = 0;
    const name = `busy-shards-${Date.now()}`;
    dynamoClient.middlewareStack.add((next: any, context: any) => async (args: any) => {
      const items = (args.input?.TransactItems ?? []) as { Update?: { UpdateExpression?: string } }[];
      if (context.commandName === 'TransactWriteItemsCommand' && items.length > 1 && items.every((i) => i.Update?.UpdateExpression?.startsWith('REMOVE onSaleIn'))) {
        cancelled++;
        throw new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: { httpStatusCode: 400 }, CancellationReasons: items.map(() => ({ Code: 'TransactionConflict' })) });
      }
      return next(args);
    }, { step: 'initialize', name });
    try {
      const ended = await end(showId);
      expect(ended.status).toBe(200);
    } finally {
      dynamoClient.middlewareStack.remove(name);
    }
    expect(cancelled).toBe(0); // closing wrote item by item: nothing for the buyers to conflict with
    expect(await gates(flash!)).toEqual(everyItem(17, undefined));
  });

  it('a lineup change of a LIVE show puts added products on sale, reprices kept ones and takes removed ones off sale', async () => {
    const [kept, removed, added] = await products(10, 10, 30);
    const showId = await liveShow([{ productId: kept!, showPriceFen: 990, stockShards: 2 }, { productId: removed!, showPriceFen: 500 }] as LineupEntry[]);
    expect(await gates(removed!)).toEqual([{ showId, showPriceFen: 500 }]);

    const res = await lineupOf(showId, [{ productId: kept!, showPriceFen: 800 }, { productId: added!, showPriceFen: 1100, stockShards: 3 }]);
    expect(res.status).toBe(200);
    expect(await gates(kept!)).toEqual(everyItem(3, { showId, showPriceFen: 800 }));
    expect(await gates(added!)).toEqual(everyItem(4, { showId, showPriceFen: 1100 }));
    expect(await gates(removed!)).toEqual([undefined]);
  });

  it('adding a product another LIVE show sells is refused (409, naming the field) and changes nothing', async () => {
    const [theirs, mine] = await products(10, 10);
    const other = await liveShow([{ productId: theirs!, showPriceFen: 700 }]);
    const showId = await liveShow([{ productId: mine!, showPriceFen: 900 }]);
    const before = (await showStore.getShow(showId))!;

    const res = await lineupOf(showId, [{ productId: mine!, showPriceFen: 600 }, { productId: theirs!, showPriceFen: 650, stockShards: 4 }]);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'PRODUCT_ON_SALE_ELSEWHERE', field: 'lineup[1].productId' });
    expect(res.body.error.message).toContain(other);

    expect(await showStore.getShow(showId)).toEqual(before);
    expect(await gates(mine!)).toEqual([{ showId, showPriceFen: 900 }]); // not repriced
    expect(await gates(theirs!)).toEqual([{ showId: other, showPriceFen: 700 }]); // not resharded, still theirs
  });

  it('a gate left by a show that is no longer LIVE is taken over, going LIVE and by a lineup change', async () => {
    const [first, second] = await products(10, 10);
    const gone = await liveShow([{ productId: first!, showPriceFen: 100 }]);
    expect((await end(gone)).body.status).toBe('ENDED');
    // as a crash would leave them: the ended show's gate on both products
    await forceGate(first!, { showId: gone, showPriceFen: 100 });
    await forceGate(second!, { showId: gone, showPriceFen: 100 });

    const showId = await liveShow([{ productId: first!, showPriceFen: 900 }]);
    expect(await gates(first!)).toEqual([{ showId, showPriceFen: 900 }]);
    expect((await lineupOf(showId, [{ productId: first!, showPriceFen: 900 }, { productId: second!, showPriceFen: 950 }])).status).toBe(200);
    expect(await gates(second!)).toEqual([{ showId, showPriceFen: 950 }]);
  });

  it('resharding a product on sale gives its new shards the same gate, even while the gate changes', async () => {
    const [flash] = await products(100);
    const showId = await liveShow([{ productId: flash!, showPriceFen: 990 }]);
    await catalogStore.shardStock(flash!, 6);
    expect(await gates(flash!)).toEqual(everyItem(7, { showId, showPriceFen: 990 }));
    expect((await lineupOf(showId, [{ productId: flash!, showPriceFen: 880, stockShards: 3 }])).status).toBe(200);
    expect(await gates(flash!)).toEqual(everyItem(4, { showId, showPriceFen: 880 }));

    // resharding and repricing at once: whichever wins, no item is left with a stale gate
    for (const [shards, price] of [[8, 700], [2, 650], [5, 600], [1, 550]] as const) {
      await Promise.all([catalogStore.shardStock(flash!, shards), saleGates.open(showId, [{ productId: flash!, showPriceFen: price }])]);
      expect(await gates(flash!)).toEqual(everyItem(shards > 1 ? shards + 1 : 1, { showId, showPriceFen: price }));
    }
    expect((await catalogStore.getProducts([flash!], { withStock: true })).get(flash!)!.stock).toBe(100);
  });

  it('a lineup change racing the end of the show leaves no item on sale in the ended show', async () => {
    const [a, b, c] = await products(10, 10, 10);
    const showId = await liveShow([{ productId: a!, showPriceFen: 100 }]);
    const [changed, ended] = await Promise.all([
      lineupOf(showId, [{ productId: a!, showPriceFen: 110 }, { productId: b!, showPriceFen: 120, stockShards: 2 }, { productId: c!, showPriceFen: 130 }]),
      end(showId),
    ]);
    expect(ended.body.status).toBe('ENDED');
    expect([200, 409]).toContain(changed.status); // before the end, or refused as closed
    for (const p of [a!, b!, c!]) expect((await gates(p)).filter((g) => g !== undefined)).toEqual([]);
  });

  it('the sweep re-opens the sale of a LIVE show whose gates were lost, and heals a wrong price', async () => {
    const [flash, plain] = await products(40, 10);
    const showId = await liveShow([{ productId: flash!, showPriceFen: 990, stockShards: 3 }, { productId: plain!, showPriceFen: 1200 }] as LineupEntry[]);
    // as a crash between saving LIVE and opening the sale, or a lost write, would leave them
    await forceGate(flash!, undefined, (i) => i === 0 || i === 2);
    await forceGate(plain!, undefined);
    expect(await gates(flash!)).toEqual([undefined, { showId, showPriceFen: 990 }, undefined, { showId, showPriceFen: 990 }]);

    const result = await sweep();
    expect(result).toMatchObject({ ended: 0, ivs: 'answered' });
    expect((await showStore.getShow(showId))!.status).toBe('LIVE');
    expect(await gates(flash!)).toEqual(everyItem(4, { showId, showPriceFen: 990 }));
    expect(await gates(plain!)).toEqual([{ showId, showPriceFen: 1200 }]);
    // a wrong price is healed too (the show's lineup is the truth)
    await forceGate(plain!, { showId, showPriceFen: 1 });
    await sweep();
    expect(await gates(plain!)).toEqual([{ showId, showPriceFen: 1200 }]);
  });
});
