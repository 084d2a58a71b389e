/**
 * npm run bench — measured on this machine against DynamoDB Local, each figure as a ratio to a
 * baseline measured in the same run. Results: bench/results/latest.json and a table on stdout.
 *
 *   npm run bench                      everything
 *   npm run bench -- --only cold-start one group (flash-sale, settlement, cold-start, cost, console)
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { LAMBDA_NODE_TARGET, bundlingSettings } from '../lib/bundling.js';
import { type FunctionName, functions } from '../province/wiring.js';
import { createTables, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { meterCapacity } from './capacity.js';
import { BENCH_CHANNELS, benchEnvironment } from './env.js';

export interface Result { name: string; value: number; unit: string; baseline: number | null; ratio: number | null; note?: string }

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', '.out');
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'flash-orders': { type: 'string', default: '3000' },
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
  const initOf = (name: string) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(
        process.execPath,
        ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(join(OUT, `${name}.cjs`))});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`],
        { env, cwd: ROOT, encoding: 'utf8' },
      );
      times.push(Number(out));
    }
    return median(times);
  };
  const bare = initOf('bare');
  let worst = { name: '', init: 0 };
  const perHandler: Result[] = [];
  for (const [name] of entries.filter(([n]) => n !== 'bare')) {
    progress(`cold start: ${name}`);
    const init = initOf(name);
    if (init > worst.init) worst = { name, init };
    perHandler.push({ name: `cold-start.init-ms.${name}`, value: round(init), unit: 'ms', baseline: round(bare), ratio: round(init / bare) });
  }
  progress('cold start: done', true);
  const biggest = [...sizes].filter(([n]) => n !== 'bare').sort((a, b) => b[1] - a[1])[0]!;
  return [
    { name: 'cold-start.max-bundle-kb', value: round(biggest[1], 1), unit: 'KB', baseline: round(sizes.get('bare')!, 1), ratio: round(biggest[1] / sizes.get('bare')!), note: biggest[0] },
    { name: 'cold-start.max-init-ratio', value: round(worst.init / bare), unit: '×', baseline: round(bare), ratio: round(worst.init / bare), note: `${worst.name}: ${round(worst.init)} ms vs bare ${round(bare)} ms (median of ${runs})` },
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
    const { httpApiEvent } = await import('../local/api-gateway.js');
    const { lambdaContext } = await import('../local/lambda.js');
    /** A storefront's request as API Gateway hands it over, after the API-key authorizer admitted it. */
    const apiEvent = (r: { method: string; path: string; headers?: Record<string, string>; body: unknown; pathParameters?: Record<string, string> }) =>
      httpApiEvent({ method: r.method, path: r.path, headers: { 'content-type': 'application/json', ...r.headers }, body: JSON.stringify(r.body) }, `${r.method} ${r.path}`, r.pathParameters ?? {}, { lambda: { storefrontId: 'sf-bench', rateLimitPerSecond: 1_000_000, merchantOfRecord: true } });
    const { handler: reserve } = await import('../functions/orders/reserve.js');
    const { handler: pay } = await import('../functions/orders/pay.js');
    const { catalogStore } = await import('../functions/adapters/catalog-store.js');
    const { showStore } = await import('../functions/adapters/show-store.js');
    const { scheduleShow } = await import('../functions/domain/show.js');
    const { showDeps } = await import('../functions/shows/deps.js');
    const { onStreamSignal } = await import('../functions/shows/lifecycle.js');
    const { dynamoClient, ddb } = await import('../functions/adapters/dynamo.js');
    const { TransactWriteCommand, PutCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { catalogTable } = await import('../functions/adapters/codecs/catalog.js');
    const { ordersTable } = await import('../functions/adapters/codecs/orders.js');
    const { showsTable } = await import('../functions/adapters/codecs/shows.js');

    const SHARDS = 16;
    const freeChannels = [...BENCH_CHANNELS];
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
    /** The same DynamoDB writes a reservation makes, raw: idempotency record put, the reservation transaction, record update. */
    async function rawReservation(target: { showId: string; productId: string }, i: number) {
      const orderId = randomUUID();
      const key = `bench-raw#${orderId}`;
      await ddb.send(new PutCommand({ TableName: process.env.IDEMPOTENCY_TABLE, Item: { id: key, status: 'INPROGRESS', expiration: 0 }, ConditionExpression: 'attribute_not_exists(id)' }));
      const now = new Date().toISOString();
      const item = { productId: target.productId, sellerId: 's', name: 'Navel oranges 5 kg', unit: 'box', quantity: 1, showPriceFen: 990, amountFen: 990, stockShard: i % SHARDS };
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: process.env.SHOWS_TABLE, Key: showsTable.gateKey(target.showId, i), ConditionExpression: '#s = :live AND lineupVersion = :lv', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':live': 'LIVE', ':lv': 0 } } },
            { Update: { TableName: process.env.CATALOG_TABLE, Key: catalogTable.stockShardKey(target.productId, i % SHARDS), UpdateExpression: 'SET stock = stock - :q', ConditionExpression: 'attribute_exists(pk) AND stock >= :q', ExpressionAttributeValues: { ':q': 1 } } },
            { Put: { TableName: process.env.ORDERS_TABLE, Item: ordersTable.orderItem({ orderId, storefrontId: 'sf-bench', showId: target.showId, countyId: 'chengbu', buyerRef: `buyer-${i}`, status: 'RESERVED', items: [item], totalFen: 990, createdAt: now, expiresAt: now }), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
      await ddb.send(new UpdateCommand({ TableName: process.env.IDEMPOTENCY_TABLE, Key: { id: key }, UpdateExpression: 'SET #s = :c, #d = :d', ExpressionAttributeNames: { '#s': 'status', '#d': 'data' }, ExpressionAttributeValues: { ':c': 'COMPLETED', ':d': JSON.stringify(item) } }));
    }

    const viaHandler = (showId: string, productId: string, i: number) =>
      reserve(
        apiEvent({ method: 'POST', path: '/orders', headers: { 'idempotency-key': `bench-${randomUUID()}` }, body: { showId, buyerRef: `buyer-${i}`, items: [{ productId, quantity: 1 }] } }),
        lambdaContext('reserve'),
      );
    // both paths warm up first (JIT, connections), so neither pays for it in the measurement
    const warmHandler = await hotProduct(WARM_UP);
    const warmRaw = await hotProduct(WARM_UP);
    await pool(CONCURRENCY, WARM_UP, (i) => viaHandler(warmHandler.showId, warmHandler.productId, i));
    await pool(CONCURRENCY, WARM_UP, (i) => rawReservation(warmRaw, i));

    // 1. the full order path: API event → middy/Powertools → zod → idempotency → reservation
    const hot = await hotProduct(orders);
    let done = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const responses = await pool(CONCURRENCY, orders, async (i) => {
      const res = await viaHandler(hot.showId, hot.productId, i);
      if (++done % 100 === 0) progress(`flash-sale: ${done}/${orders} orders through the handler`);
      return res;
    });
    const handlerSeconds = (performance.now() - t0) / 1000;
    const handlerCpu = process.cpuUsage(cpu0);
    const reservedOk = responses.filter((r) => r.statusCode === 201).length;
    // then more buyers than there is stock: every one must be refused
    const extra = await pool(CONCURRENCY, 200, () =>
      reserve(apiEvent({ method: 'POST', path: '/orders', headers: { 'idempotency-key': `bench-${randomUUID()}` }, body: { showId: hot.showId, buyerRef: 'late', items: [{ productId: hot.productId, quantity: 1 }] } }), lambdaContext('reserve')),
    );
    const left = await catalogStore.getProduct(hot.productId);
    const oversold = Math.max(0, reservedOk + extra.filter((r) => r.statusCode === 201).length - orders) + (left!.stock < 0 ? -left!.stock : 0);
    progress(`flash-sale: handler ${round(reservedOk / handlerSeconds)} orders/s`, true);

    // 2. baseline: the same DynamoDB writes, raw (idempotency record put, reservation transaction, record update)
    const raw = await hotProduct(orders);
    done = 0;
    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    await pool(CONCURRENCY, orders, async (i) => {
      await rawReservation(raw, i);
      if (++done % 100 === 0) progress(`flash-sale: ${done}/${orders} raw reservations`);
    });
    const rawSeconds = (performance.now() - t1) / 1000;
    const rawCpu = process.cpuUsage(cpu1);
    const cpuMsPerOrder = (c: NodeJS.CpuUsage, n: number) => round((c.user + c.system) / 1000 / n);
    progress(`flash-sale: Node CPU per order: handler ${cpuMsPerOrder(handlerCpu, reservedOk)} ms, raw ${cpuMsPerOrder(rawCpu, orders)} ms`, true);
    progress(`flash-sale: raw ${round(orders / rawSeconds)} orders/s`, true);

    // 3. cost: capacity of reserve + pay for paid orders, as the service bills it
    const meter = meterCapacity(dynamoClient, endpoint);
    const costHot = await hotProduct(500);
    meter.wcu = 0;
    meter.rcu = 0;
    meter.byCommand = {};
    const paidOrders = 200;
    for (let i = 0; i < paidOrders; i++) {
      const res = await reserve(apiEvent({ method: 'POST', path: '/orders', headers: { 'idempotency-key': `cost-${randomUUID()}` }, body: { showId: costHot.showId, buyerRef: `buyer-${i}`, items: [{ productId: costHot.productId, quantity: 1 }] } }), lambdaContext('reserve'));
      const orderId = JSON.parse(res.body).orderId;
      await pay(apiEvent({ method: 'POST', path: `/orders/${orderId}/pay`, pathParameters: { orderId }, body: { paymentRef: `pay-${i}` } }), lambdaContext('pay'));
    }
    meter.stop();
    const handlerRate = reservedOk / handlerSeconds;
    const rawRate = orders / rawSeconds;
    return [
      { name: 'flash-sale.ratio', value: round(handlerRate / rawRate), unit: '×', baseline: round(rawRate), ratio: round(handlerRate / rawRate), note: `${round(handlerRate)} orders/s through the handler vs ${round(rawRate)}/s raw writes; ${orders} buyers, ${SHARDS} stock shards, concurrency ${CONCURRENCY}` },
      { name: 'flash-sale.oversold', value: oversold, unit: 'units', baseline: 0, ratio: null, note: `${reservedOk} reserved of ${orders} in stock, then ${extra.filter((r) => r.statusCode !== 201).length}/200 late buyers refused` },
      { name: 'cost.wcu-per-order', value: round(meter.wcu / paidOrders), unit: 'WCU', baseline: 6, ratio: round(meter.wcu / paidOrders / 6), note: `reserve + pay, transactional items counted twice: ${Object.entries(meter.byCommand).map(([c, u]) => `${c.replace('Command', '')} ${round(u / paidOrders)}`).join(', ')}` },
      { name: 'cost.rcu-per-order', value: round(meter.rcu / paidOrders), unit: 'RCU', baseline: null, ratio: null },
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
    return [
      { name: 'settlement.ratio', value: round(big.settle.ms / big.read.ms), unit: '×', baseline: round(big.read.ms), ratio: round(big.settle.ms / big.read.ms), note: `${values['settle-orders']} orders, ${values['settle-sellers']} sellers: settle ${round(big.settle.ms)} ms vs bare paginated read ${round(big.read.ms)} ms` },
      { name: 'settlement.rss-mb-100k', value: round(big.settle.maxRssMb), unit: 'MB', baseline: round(big.read.maxRssMb), ratio: round(big.settle.maxRssMb / big.read.maxRssMb) },
      { name: 'settlement.rss-mb-10k', value: round(small.settle.maxRssMb), unit: 'MB', baseline: round(small.read.maxRssMb), ratio: round(small.settle.maxRssMb / small.read.maxRssMb), note: `100k is ${round((big.settle.maxRssMb / small.settle.maxRssMb - 1) * 100, 1)}% above 10k` },
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
// a run of some groups (--only) replaces their figures and keeps the others'
const latest = join(ROOT, 'bench', 'results', 'latest.json');
const kept = values.only && existsSync(latest) ? (JSON.parse(readFileSync(latest, 'utf8')) as Result[]).filter((r) => !results.some((n) => n.name === r.name)) : [];
writeFileSync(latest, JSON.stringify([...kept, ...results], null, 2) + '\n');
console.table(results.filter((r) => !r.name.startsWith('cold-start.init-ms.')).map(({ name, value, unit, baseline, ratio, note }) => ({ name, value, unit, baseline, ratio, note: note ?? '' })));
process.exit(0);
