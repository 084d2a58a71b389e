/**
 * npm run bench — measured on this machine against DynamoDB Local, each figure as a ratio to a
 * baseline measured in the same run. Results: bench/results/latest.json and a table on stdout.
 *
 *   npm run bench                      everything
 *   npm run bench -- --only cold-start one group (flash-sale, settlement, cold-start, cost, console)
 *
 * latest.json is { meta, results }: meta records the commit (and whether the tree was dirty), the
 * date, the groups run and the machine; an --only run keeps the other groups' figures and lists
 * them in meta.carried with the record of the run they came from.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { LAMBDA_NODE_TARGET, bundlingSettings } from '../lib/bundling.js';
import { type FunctionName, functions } from '../province/wiring.js';
import { createTables, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { meterCapacity } from './capacity.js';
import { BENCH_CHANNELS, benchEnvironment } from './env.js';
import { updateReadme } from './readme.js';
import { startBenchWechatPay } from './wechatpay.js';

export interface Result { name: string; value: number; unit: string; baseline: number | null; ratio: number | null; note?: string }

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', '.out');
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'flash-orders': { type: 'string', default: '2000' },
    'flash-pairs': { type: 'string', default: '3' },
    'settle-orders': { type: 'string', default: '100000' },
    'settle-sellers': { type: 'string', default: '500' },
    runs: { type: 'string', default: '11' },
    'results-file': { type: 'string' },
  },
});
const wanted = (group: string) => !values.only || values.only.split(',').includes(group);
const progress = (line: string, done = false) => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}${done ? '\n' : ''}`);
  else if (done) process.stderr.write(`${line}\n`);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function pool<T>(limit: number, count: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  }));
  return results;
}

// ─── cold start ───────────────────────────────────────────────────────────────────────────────
async function coldStart(): Promise<Result[]> {
  mkdirSync(OUT, { recursive: true });
  const entries: [string, string][] = [
    ...(Object.keys(functions) as FunctionName[]).map((f) => [f, join(ROOT, functions[f].entry)] as [string, string]),
    ['bare', join(ROOT, 'bench', 'bare-handler.ts')],
  ];
  const sizes = new Map<string, number>();
  for (const [name, entry] of entries) {
    const outfile = join(OUT, `${name}.cjs`);
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: LAMBDA_NODE_TARGET,
      minify: bundlingSettings.minify,
      sourcemap: bundlingSettings.sourceMap ? 'external' : false,
      external: [...bundlingSettings.externalModules],
      logLevel: 'error',
    });
    sizes.set(name, statSync(outfile).size / 1024);
  }
  const env = { ...process.env, ...benchEnvironment('http://127.0.0.1:1', 'bench'), NODE_PATH: join(ROOT, 'node_modules') };
  const runs = Number(values.runs);
  const initOnce = (name: string) =>
    Number(execFileSync(
      process.execPath,
      ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(join(OUT, `${name}.cjs`))});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`],
      { env, cwd: ROOT, encoding: 'utf8' },
    ));
  // each handler against the bare one timed right before it, pair after pair (bare, handler, bare,
  // handler…): a change in the machine's load between handlers moves both sides of a pair alike
  let worst = { name: '', ratio: 0, init: 0, bare: 0 };
  const bareTimes: number[] = [];
  const perHandler: Result[] = [];
  for (const [name] of entries.filter(([n]) => n !== 'bare')) {
    progress(`cold start: ${name}`);
    const pairs = Array.from({ length: runs }, () => {
      const bare = initOnce('bare');
      const init = initOnce(name);
      return { bare, init, ratio: init / bare };
    });
    bareTimes.push(...pairs.map((p) => p.bare));
    const ratio = median(pairs.map((p) => p.ratio));
    const init = median(pairs.map((p) => p.init));
    const bare = median(pairs.map((p) => p.bare));
    if (ratio > worst.ratio) worst = { name, ratio, init, bare };
    perHandler.push({ name: `cold-start.init-ms.${name}`, value: round(init), unit: 'ms', baseline: round(bare), ratio: round(ratio) });
  }
  progress('cold start: done', true);
  const biggest = [...sizes].filter(([n]) => n !== 'bare').sort((a, b) => b[1] - a[1])[0]!;
  return [
    { name: 'cold-start.max-bundle-kb', value: round(biggest[1], 1), unit: 'KB', baseline: round(sizes.get('bare')!, 1), ratio: round(biggest[1] / sizes.get('bare')!), note: biggest[0] },
    { name: 'cold-start.max-init-ratio', value: round(worst.ratio), unit: '×', baseline: round(median(bareTimes)), ratio: round(worst.ratio), note: `${worst.name}: median of ${runs} pairs (the bare handler timed right before each) ${round(worst.ratio)}; ${round(worst.init)} ms vs bare ${round(worst.bare)} ms` },
    ...perHandler,
  ];
}

// ─── DynamoDB Local groups ──────────────────────────────────────────────────────────────────────
/** One DynamoDB Local for the whole run (the handlers' clients are created once, pointing at it). */
let store: { endpoint: string; stop(): Promise<void> } | undefined;
async function withStore<T>(run: (endpoint: string) => Promise<T>): Promise<T> {
  if (!store) {
    store = await startDynamoDbLocal();
    await createTables(store.endpoint, 'bench');
    Object.assign(process.env, benchEnvironment(store.endpoint, 'bench'));
  }
  return run(store.endpoint);
}

async function flashSaleAndCost(): Promise<Result[]> {
  return withStore(async (endpoint) => {
    const orders = Number(values['flash-orders']);
    const wechat = await startBenchWechatPay();
    const { httpApiEvent } = await import('../local/api-gateway.js');
    const { lambdaContext } = await import('../local/lambda.js');
    /** A storefront's request as API Gateway hands it over, after the API-key authorizer admitted it. */
    const apiEvent = (r: { method: string; path: string; headers?: Record<string, string>; body: unknown; pathParameters?: Record<string, string>; storefront?: Record<string, unknown> }) =>
      httpApiEvent({ method: r.method, path: r.path, headers: { 'content-type': 'application/json', ...r.headers }, body: JSON.stringify(r.body) }, `${r.method} ${r.path}`, r.pathParameters ?? {}, { lambda: r.storefront ?? { storefrontId: 'sf-bench', rateLimitPerSecond: 1_000_000, merchantOfRecord: true } });
    const { handler: reserve } = await import('../functions/orders/reserve.js');
    const { handler: pay } = await import('../functions/orders/pay.js');
    const { catalogStore } = await import('../functions/adapters/catalog-store.js');
    const { showStore } = await import('../functions/adapters/show-store.js');
    const { scheduleShow } = await import('../functions/domain/show.js');
    const { showDeps } = await import('../functions/shows/deps.js');
    const { onStreamSignal } = await import('../functions/shows/lifecycle.js');
    const { dynamoClient, ddb } = await import('../functions/adapters/dynamo.js');
    const { TransactWriteCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { catalogTable } = await import('../functions/adapters/codecs/catalog.js');
    const { ordersTable } = await import('../functions/adapters/codecs/orders.js');

    const { ShardCursor } = await import('../functions/domain/stock.js');
    const { stockByShard } = await import('../functions/adapters/catalog-store.js');
    const { cancellationCodes } = await import('../functions/adapters/dynamo.js');

    const SHARDS = 16;
    let freeChannels = [...BENCH_CHANNELS];
    /**
     * A fresh DynamoDB Local on the same port, with a fresh, empty set of tables under the same
     * names (the handlers' clients keep their endpoint and table names from import). Deleting the tables is not enough: DynamoDB Local slows down run
     * after run in the same JVM (raw writes 150 → 118 → 102 orders/s over three runs on fresh
     * tables), which would favour whichever path runs first.
     */
    async function freshTables() {
      await store!.stop();
      store = await startDynamoDbLocal({ port: Number(new URL(endpoint).port) });
      await createTables(endpoint, 'bench');
      freeChannels = [...BENCH_CHANNELS];
    }
    async function hotProduct(stock: number) {
      const channelId = freeChannels.shift()!;
      const sellerId = randomUUID();
      await catalogStore.putSeller({ sellerId, countyId: 'chengbu', name: 'Flash-sale co-op', kind: 'cooperative', createdAt: new Date().toISOString(), version: 1 });
      const productId = randomUUID();
      await catalogStore.putProduct({ productId, sellerId, countyId: 'chengbu', name: 'Navel oranges 5 kg', unit: 'box', priceFen: 3990, stock, createdAt: new Date().toISOString(), version: 1 });
      await catalogStore.shardStock(productId, SHARDS);
      const show = scheduleShow(
        { showId: randomUUID(), countyId: 'chengbu', channelId, channelArn: `arn:aws:ivs:ap-northeast-1:000000000000:channel/${channelId}`, title: 'Flash sale', scheduledStart: new Date().toISOString(), lineup: [{ productId, showPriceFen: 990, stockShards: SHARDS }] },
        new Date(),
      );
      await showStore.putShow(show);
      // on air as in the province: the channel's Stream Start, through the show lifecycle
      await onStreamSignal(showDeps(), show.channelId, { kind: 'start', streamId: `st-${randomUUID()}`, time: new Date().toISOString() });
      return { productId, showId: show.showId };
    }
    const CONCURRENCY = 64;
    const WARM_UP = 300;
    /**
     * The same DynamoDB writes a reservation makes, raw: one transaction taking the stock where the
     * product is on sale in the show at the price, and putting the order. The shard is chosen as
     * the handler chooses it (the same ShardCursor: a random shard per request, then a random one of
     * those still holding stock).
     */
    async function rawReservation(target: { showId: string; productId: string }, i: number): Promise<boolean> {
      const orderId = randomUUID();
      const now = new Date().toISOString();
      const cursor = new ShardCursor(SHARDS);
      for (;;) {
        const item = { productId: target.productId, sellerId: 's', name: 'Navel oranges 5 kg', unit: 'box', quantity: 1, showPriceFen: 990, amountFen: 990, stockShard: cursor.shard };
        try {
          await ddb.send(
            new TransactWriteCommand({
              TransactItems: [
                { Update: { TableName: process.env.CATALOG_TABLE, Key: catalogTable.stockShardKey(target.productId, cursor.shard), UpdateExpression: 'SET stock = stock - :q', ConditionExpression: catalogTable.SALE_CONDITION, ExpressionAttributeValues: { ':q': 1, ':show': target.showId, ':price': 990 } } },
                { Put: { TableName: process.env.ORDERS_TABLE, Item: ordersTable.orderItem({ orderId, storefrontId: 'sf-bench', showId: target.showId, countyId: 'chengbu', buyerRef: `buyer-${i}`, status: 'RESERVED', items: [item], totalFen: 990, createdAt: now, expiresAt: now }), ConditionExpression: 'attribute_not_exists(pk)' } },
              ],
            }),
          );
          return true;
        } catch (error) {
          const reasons = cancellationCodes(error);
          if (reasons?.[0] !== 'ConditionalCheckFailed') throw error;
          if (!cursor.next(await stockByShard(target.productId), 1)) return false;
        }
      }
    }

    const viaHandler = (showId: string, productId: string, i: number) =>
      reserve(
        apiEvent({ method: 'POST', path: '/orders', headers: { 'idempotency-key': `bench-${randomUUID()}` }, body: { showId, buyerRef: `buyer-${i}`, items: [{ productId, quantity: 1 }] } }),
        lambdaContext('reserve'),
      );
    const cpuMsPerOrder = (c: NodeJS.CpuUsage, n: number) => round((c.user + c.system) / 1000 / n);
    const pairs = Number(values['flash-pairs']);
    const flash: Result[] = [];
    if (wanted('flash-sale')) {
      // both paths warm up first (Node's JIT, connections), so neither pays for it in the measurement;
      // then each run warms its fresh DynamoDB Local with its own path
      await freshTables();
      const warmHandler = await hotProduct(WARM_UP);
      const warmRaw = await hotProduct(WARM_UP);
      await pool(CONCURRENCY, WARM_UP, (i) => viaHandler(warmHandler.showId, warmHandler.productId, i));
      await pool(CONCURRENCY, WARM_UP, (i) => rawReservation(warmRaw, i));

      /** A: the full order path (API event → middy/Powertools → rate lease → zod → reservation), then 200 late buyers. */
      const handlerRun = async (run: number) => {
        await freshTables();
        const warm = await hotProduct(WARM_UP);
        await pool(CONCURRENCY, WARM_UP, (i) => viaHandler(warm.showId, warm.productId, i));
        const hot = await hotProduct(orders);
        let done = 0;
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const responses = await pool(CONCURRENCY, orders, async (i) => {
          const res = await viaHandler(hot.showId, hot.productId, i);
          if (++done % 100 === 0) progress(`flash-sale ${run}/${pairs}: ${done}/${orders} orders through the handler`);
          return res;
        });
        const seconds = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        const reservedOk = responses.filter((r) => r.statusCode === 201).length;
        // then more buyers than there is stock: every one must be refused
        const extra = await pool(CONCURRENCY, 200, () =>
          reserve(apiEvent({ method: 'POST', path: '/orders', headers: { 'idempotency-key': `bench-${randomUUID()}` }, body: { showId: hot.showId, buyerRef: 'late', items: [{ productId: hot.productId, quantity: 1 }] } }), lambdaContext('reserve')),
        );
        const left = await catalogStore.getProduct(hot.productId);
        const lateSold = extra.filter((r) => r.statusCode === 201).length;
        const oversold = Math.max(0, reservedOk + lateSold - orders) + (left!.stock < 0 ? -left!.stock : 0);
        progress(`flash-sale ${run}/${pairs}: handler ${round(reservedOk / seconds)} orders/s, ${cpuMsPerOrder(cpu, reservedOk)} ms Node CPU per order`, true);
        return { rate: reservedOk / seconds, reservedOk, oversold, lateRefused: extra.length - lateSold };
      };
      /** B: the same DynamoDB writes, raw. */
      const rawRun = async (run: number) => {
        await freshTables();
        const warm = await hotProduct(WARM_UP);
        await pool(CONCURRENCY, WARM_UP, (i) => rawReservation(warm, i));
        const raw = await hotProduct(orders);
        let done = 0;
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const placed = await pool(CONCURRENCY, orders, async (i) => {
          const ok = await rawReservation(raw, i);
          if (++done % 100 === 0) progress(`flash-sale ${run}/${pairs}: ${done}/${orders} raw reservations`);
          return ok;
        });
        const seconds = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        const ok = placed.filter(Boolean).length;
        progress(`flash-sale ${run}/${pairs}: raw ${round(ok / seconds)} orders/s, ${cpuMsPerOrder(cpu, ok)} ms Node CPU per order`, true);
        return { rate: ok / seconds };
      };
      const runs: { handler: Awaited<ReturnType<typeof handlerRun>>; raw: Awaited<ReturnType<typeof rawRun>> }[] = [];
      for (let p = 1; p <= pairs; p++) {
        const handler = await handlerRun(p); // A
        const raw = await rawRun(p); // B
        runs.push({ handler, raw });
      }
      const ratios = runs.map((r) => r.handler.rate / r.raw.rate);
      const ratio = median(ratios);
      const handlerRate = median(runs.map((r) => r.handler.rate));
      const rawRate = median(runs.map((r) => r.raw.rate));
      const oversold = runs.reduce((n, r) => n + r.handler.oversold, 0);
      flash.push(
        {
          name: 'flash-sale.ratio',
          value: round(ratio),
          unit: '×',
          baseline: round(rawRate),
          ratio: round(ratio),
          note: `median of ${pairs} alternated pairs (handler, raw; a fresh DynamoDB Local and tables for each run, warmed by its own path): ${round(ratio)} (per-pair ${round(Math.min(...ratios))}–${round(Math.max(...ratios))}: ${ratios.map((r) => round(r)).join(', ')}); median ${round(handlerRate)} orders/s through the handler vs ${round(rawRate)}/s raw writes; ${orders} buyers, ${SHARDS} stock shards chosen at random per request on both paths, concurrency ${CONCURRENCY}`,
        },
        { name: 'flash-sale.oversold', value: oversold, unit: 'units', baseline: 0, ratio: null, note: `over ${pairs} handler runs: ${runs.map((r) => `${r.handler.reservedOk}/${orders} reserved, ${r.handler.lateRefused}/200 late refused`).join('; ')}` },
      );
    }
    if (!wanted('cost')) return flash;

    // cost: capacity as the service bills it, of the order path and of its floor issued raw
    await freshTables();
    const meter = meterCapacity(dynamoClient, endpoint);
    const take = () => {
      const taken = { wcu: meter.wcu, rcu: meter.rcu, byCommand: { ...meter.byCommand } };
      meter.wcu = 0;
      meter.rcu = 0;
      meter.byCommand = {};
      return taken;
    };
    const N = 200;
    /** The write commands' share (the meter keeps reads in the same tally, by command). */
    const per = (by: Record<string, number>) => Object.entries(by).filter(([c, u]) => u > 0 && !/^(Get|BatchGet|Query)/.test(c)).map(([c, u]) => `${c} ${round(u / N)}`).join(', ');
    const { handler: startPayment } = await import('../functions/payments/start-payment.js');
    const { tradeNumber } = await import('../functions/adapters/wechatpay/client.js');

    // A merchant-of-record storefront: reserve, then pay with its own reference
    // stock to spare: no shard runs short, so every order is the common case (a short shard costs a read and a retry)
    const costHot = await hotProduct(10 * N);
    take();
    for (let i = 0; i < N; i++) {
      const res = await reserve(apiEvent({ method: 'POST', path: '/orders', headers: { 'idempotency-key': `cost-${randomUUID()}` }, body: { showId: costHot.showId, buyerRef: `buyer-${i}`, items: [{ productId: costHot.productId, quantity: 1 }] } }), lambdaContext('reserve'));
      if (res.statusCode !== 201) throw new Error(`cost: reservation refused: ${res.body}`);
      const orderId = JSON.parse(res.body).orderId;
      const paid = await pay(apiEvent({ method: 'POST', path: `/orders/${orderId}/pay`, pathParameters: { orderId }, body: { paymentRef: `pay-${i}` } }), lambdaContext('pay'));
      if (paid.statusCode !== 200) throw new Error(`cost: payment refused: ${paid.body}`);
    }
    const handler = take();

    // the floor, issued raw and metered alike: take stock and write the order atomically (no sale
    // gate condition, no rate counting, no payment claim), then mark it PAID into the paid index
    const floorHot = await hotProduct(10 * N);
    take();
    for (let i = 0; i < N; i++) {
      const orderId = randomUUID();
      const now = new Date().toISOString();
      const order = { orderId, storefrontId: 'sf-bench', showId: floorHot.showId, countyId: 'chengbu', buyerRef: `buyer-${i}`, status: 'RESERVED' as const, items: [{ productId: floorHot.productId, sellerId: 's', name: 'Navel oranges 5 kg', unit: 'box', quantity: 1, showPriceFen: 990, amountFen: 990, stockShard: i % SHARDS }], totalFen: 990, createdAt: now, expiresAt: now };
      const orderItem = ordersTable.orderItem(order);
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: process.env.CATALOG_TABLE, Key: catalogTable.stockShardKey(floorHot.productId, i % SHARDS), UpdateExpression: 'SET stock = stock - :q', ConditionExpression: 'stock >= :q', ExpressionAttributeValues: { ':q': 1 } } },
            { Put: { TableName: process.env.ORDERS_TABLE, Item: orderItem, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
      await ddb.send(new UpdateCommand({ TableName: process.env.ORDERS_TABLE, Key: ordersTable.orderKey(orderId), UpdateExpression: 'SET #s = :paid, paidAt = :now, paymentRef = :ref, paidShow = paidPartition', ConditionExpression: '#s = :reserved', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':paid': 'PAID', ':reserved': 'RESERVED', ':now': now, ':ref': `floor-${i}` } }));
    }
    const floor = take();

    // a storefront whose buyers pay through WeChat Pay: reserve, open the payment, and the verified
    // notification (signature checked, resource decrypted) that marks the order PAID
    const viaWechat = { storefrontId: 'sf-bench-wx', rateLimitPerSecond: 1_000_000, merchantOfRecord: false };
    const wxHot = await hotProduct(10 * N);
    take();
    const steps = { reserve: 0, start: 0, notify: 0 };
    const notifyBy: Record<string, number> = {};
    for (let i = 0; i < N; i++) {
      const res = await reserve(apiEvent({ method: 'POST', path: '/orders', headers: { 'idempotency-key': `wx-${randomUUID()}` }, body: { showId: wxHot.showId, buyerRef: `wx-buyer-${i}`, items: [{ productId: wxHot.productId, quantity: 1 }] }, storefront: viaWechat }), lambdaContext('reserve'));
      if (res.statusCode !== 201) throw new Error(`cost: reservation refused: ${res.body}`);
      steps.reserve += take().wcu;
      const orderId = JSON.parse(res.body).orderId as string;
      const started = await startPayment(apiEvent({ method: 'POST', path: `/orders/${orderId}/payment`, pathParameters: { orderId }, body: { payerOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, storefront: viaWechat }), lambdaContext('startPayment'));
      if (started.statusCode !== 200) throw new Error(`cost: payment not started: ${started.body}`);
      steps.start += take().wcu;
      const paid = wechat.standIn.pay(tradeNumber(orderId));
      if (!paid.ok) throw new Error(`cost: ${paid.reason}`);
      await wechat.delivered(1);
      const notified = take();
      steps.notify += notified.wcu;
      for (const [c, u] of Object.entries(notified.byCommand)) notifyBy[c] = (notifyBy[c] ?? 0) + u;
    }
    meter.stop();
    const handlerWcu = handler.wcu / N;
    const floorWcu = floor.wcu / N;
    return [
      ...flash,
      { name: 'cost.wcu-per-order', value: round(handlerWcu), unit: 'WCU', baseline: round(floorWcu), ratio: round(handlerWcu / floorWcu), note: `a merchant-of-record storefront's reserve + pay, ${N} orders, as billed (transactional items twice, index writes counted): ${per(handler.byCommand)}; baseline, the floor issued raw in the same run (stock + order in one transaction; then PAID into the paid index): ${per(floor.byCommand)}` },
      { name: 'cost.rcu-per-order', value: round(handler.rcu / N), unit: 'RCU', baseline: null, ratio: null },
      { name: 'payment.wcu-per-notification', value: round(steps.notify / N), unit: 'WCU', baseline: null, ratio: null, note: `WeChat Pay's verified payment notification, ${N} orders: ${per(notifyBy)}; the same orders' reservation ${round(steps.reserve / N)} and opening of the payment ${round(steps.start / N)}, in all ${round((steps.reserve + steps.start + steps.notify) / N)} WCU per order paid through WeChat Pay` },
    ];
  });
}

async function settlement(): Promise<Result[]> {
  return withStore(async () => {
    const { seedSellers, makeOrders, writeOrders } = await import('../local/seed.js');
    const { registerSettlement } = await import('../functions/settlement/service.js');
    const { settlementDeps } = await import('../functions/settlement/deps.js');
    const sellers = await seedSellers(Number(values['settle-sellers']), 'bench');
    const child = (mode: string, showId: string, nowMs = 0) => {
      const out = execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'bench', 'settle-child.ts'), mode, showId, String(nowMs)], { env: process.env, encoding: 'utf8', maxBuffer: 1 << 20 });
      return JSON.parse(out.trim().split('\n').pop()!) as { ms: number; count: number; maxRssMb: number };
    };
    const run = async (count: number) => {
      const showId = `bench-show-${count}`;
      await writeOrders(makeOrders(showId, sellers, count, 11), (n) => progress(`settlement: seeding ${n}/${count} orders`));
      progress(`settlement: seeded ${count} orders`, true);
      const read = child('read', showId);
      if (read.count !== count) throw new Error(`bare read found ${read.count} of ${count} orders`);
      const { dueAt } = await registerSettlement({ ...settlementDeps(), reservationTimeoutMinutes: 15, sellerShareBps: 8000 }, { showId, countyId: 'chengbu' });
      const settle = child('settle', showId, Date.parse(dueAt) + 1000);
      progress(`settlement: ${count} orders settled in ${round(settle.ms)} ms (bare read ${round(read.ms)} ms), peak RSS ${round(settle.maxRssMb)} MB`, true);
      return { read, settle };
    };
    const small = await run(Number(values['settle-orders']) / 10);
    const big = await run(Number(values['settle-orders']));
    const rss = (name: string, r: Awaited<ReturnType<typeof run>>, count: number) => ({
      name, value: round(r.settle.maxRssMb / r.read.maxRssMb), unit: '×', baseline: round(r.read.maxRssMb), ratio: round(r.settle.maxRssMb / r.read.maxRssMb),
      note: `peak RSS settling ${count} orders ${round(r.settle.maxRssMb)} MB vs the bare reader's ${round(r.read.maxRssMb)} MB (each a fresh process)`,
    });
    return [
      { name: 'settlement.ratio', value: round(big.settle.ms / big.read.ms), unit: '×', baseline: round(big.read.ms), ratio: round(big.settle.ms / big.read.ms), note: `${values['settle-orders']} orders, ${values['settle-sellers']} sellers: settle ${round(big.settle.ms)} ms vs bare paginated read ${round(big.read.ms)} ms` },
      { name: 'settlement.ratio-10k', value: round(small.settle.ms / small.read.ms), unit: '×', baseline: round(small.read.ms), ratio: round(small.settle.ms / small.read.ms), note: `${Number(values['settle-orders']) / 10} orders: settle ${round(small.settle.ms)} ms vs bare paginated read ${round(small.read.ms)} ms` },
      rss('settlement.rss-ratio-100k', big, Number(values['settle-orders'])),
      rss('settlement.rss-ratio-10k', small, Number(values['settle-orders']) / 10),
    ];
  });
}

// ─── console ────────────────────────────────────────────────────────────────────────────────────

/** The JavaScript a first visit loads (the entry script and what it preloads), gzipped as served. */
function initialJsGzipBytes(dist: string): number {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => (m[1] ?? m[2])!);
  return files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f.replace(/^\/console\//, ''))), { level: 9 }).length, 0);
}

/**
 * The console's initial JavaScript against a bare React page built by the same Vite in the same
 * run (what React itself costs): the target is ≤ 200 KB gzipped for the console.
 */
async function consoleSize(): Promise<Result[]> {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  progress('console: building the console…');
  execFileSync(process.execPath, [vite, 'build', '--outDir', join(OUT, 'console-dist'), '--emptyOutDir'], { cwd: join(ROOT, 'console'), stdio: 'ignore' });
  const bare = join(OUT, 'console-baseline');
  mkdirSync(join(bare, 'src'), { recursive: true });
  writeFileSync(join(bare, 'index.html'), '<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>');
  writeFileSync(join(bare, 'src', 'main.tsx'), "import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')!).render(<h1>county live</h1>);\n");
  writeFileSync(join(bare, 'vite.config.mjs'), `import react from '${join(ROOT, 'node_modules', '@vitejs', 'plugin-react', 'dist', 'index.js').replaceAll('\\', '/')}';\nexport default { plugins: [react()], logLevel: 'silent', resolve: { alias: { react: '${join(ROOT, 'node_modules', 'react')}', 'react-dom': '${join(ROOT, 'node_modules', 'react-dom')}' } } };\n`);
  progress('console: building a bare React page (the baseline)…');
  execFileSync(process.execPath, [vite, 'build', '--outDir', join(bare, 'dist'), '--emptyOutDir'], { cwd: bare, stdio: 'ignore' });
  const kb = (bytes: number) => round(bytes / 1024, 1);
  const value = kb(initialJsGzipBytes(join(OUT, 'console-dist')));
  const baseline = kb(initialJsGzipBytes(join(bare, 'dist')));
  progress(`console: ${value} KB gzipped (a bare React page: ${baseline} KB)`, true);
  return [{ name: 'console.initial-js-gzip-kb', value, unit: 'KB', baseline, ratio: round(value / baseline), note: 'target ≤ 200 KB; baseline: a bare React page from the same Vite, same run' }];
}

// ─── the record of a run ────────────────────────────────────────────────────────────────────────
export interface RunMeta {
  commit: string | null;
  dirty: boolean | null;
  date: string;
  groups: string;
  machine: { os: string; cpuModel: string; cpus: number; totalMemoryGb: number; node: string };
}
/** Figures kept from an earlier run by an --only run, with that run's record (null: it had none). */
interface Carried { meta: RunMeta | null; names: string[] }

function runMeta(): RunMeta {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  // what the run itself writes (its results, the README's table) does not make the measured code dirty
  const status = git('status', '--porcelain', '--', '.', ':(exclude)bench/results', ':(exclude)README.md');
  const cpus = os.cpus();
  return {
    commit: git('rev-parse', 'HEAD'),
    dirty: status === null ? null : status.length > 0,
    date: new Date().toISOString(),
    groups: values.only ?? 'all',
    machine: { os: `${os.type()} ${os.release()} ${os.arch()}`, cpuModel: cpus[0]?.model.trim() ?? 'unknown', cpus: cpus.length, totalMemoryGb: round(os.totalmem() / 2 ** 30, 1), node: process.version },
  };
}

/** latest.json in either format: the old bare array of results, or { meta, results }. */
function readResults(json: unknown): { meta: RunMeta | null; carried: Carried[]; results: Result[] } {
  if (Array.isArray(json)) return { meta: null, carried: [], results: json as Result[] };
  const { meta, results } = json as { meta?: RunMeta & { carried?: Carried[] }; results: Result[] };
  if (!meta) return { meta: null, carried: [], results };
  const { carried = [], ...own } = meta;
  return { meta: own, carried, results };
}

const results: Result[] = [];
if (wanted('console')) results.push(...(await consoleSize()));
if (wanted('cold-start')) results.push(...(await coldStart()));
if (wanted('flash-sale') || wanted('cost')) results.push(...(await flashSaleAndCost()));
if (wanted('settlement')) {
  if (store) {
    // a store of its own: DynamoDB Local slows down as its tables grow, which would tilt the ratio
    const file = join(OUT, 'settlement.json');
    mkdirSync(OUT, { recursive: true });
    const args = process.argv.slice(2).filter((a, i, all) => a !== '--only' && all[i - 1] !== '--only');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'bench', 'run.ts'), ...args, '--only', 'settlement', '--results-file', file], { stdio: ['ignore', 'ignore', 'inherit'] });
    results.push(...(JSON.parse(readFileSync(file, 'utf8')) as Result[]));
  } else {
    results.push(...(await settlement()));
  }
}

await store?.stop();
if (values['results-file']) {
  writeFileSync(values['results-file'], JSON.stringify(results));
  process.exit(0);
}
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
// a run of some groups (--only) replaces their figures and keeps the others', with the record of
// the run each kept figure came from (latest.json was a bare array before it had a meta record)
const latest = join(ROOT, 'bench', 'results', 'latest.json');
const meta = runMeta();
let kept: Result[] = [];
let carried: Carried[] = [];
if (values.only && existsSync(latest)) {
  const previous = readResults(JSON.parse(readFileSync(latest, 'utf8')));
  kept = previous.results.filter((r) => !results.some((n) => n.name === r.name));
  const keptNames = new Set(kept.map((r) => r.name));
  carried = previous.carried.map((c) => ({ ...c, names: c.names.filter((n) => keptNames.has(n)) })).filter((c) => c.names.length > 0);
  const already = new Set(carried.flatMap((c) => c.names));
  const fromPrevious = kept.map((r) => r.name).filter((n) => !already.has(n));
  if (fromPrevious.length > 0) carried.push({ meta: previous.meta, names: fromPrevious });
}
writeFileSync(latest, JSON.stringify({ meta: { ...meta, carried }, results: [...kept, ...results] }, null, 2) + '\n');
updateReadme(ROOT);
console.table(results.filter((r) => !r.name.startsWith('cold-start.init-ms.')).map(({ name, value, unit, baseline, ratio, note }) => ({ name, value, unit, baseline, ratio, note: note ?? '' })));
process.exit(0);
