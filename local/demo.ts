/**
 * npm run demo — plays a whole show against the local province, through its HTTP API only:
 * schedule → the encoder goes live → spotlights → concurrent storefront orders and payments,
 * some cancelled → the encoder goes offline → grace period → automatic settlement → each seller's
 * statement, a CSV and an HTML report. Ends with one JSON line.
 *
 *   npm run demo                 uses the running province (npm start), or starts one at 60×
 *   npm run demo -- --orders 500 --url http://127.0.0.1:3000
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatYuan } from '../functions/domain/money.js';
import { type SeededProduct, seedDemoCatalog } from './demo-data.js';
import { ROOT } from './lambda.js';
import { type LocalCredentials, startLocalProvince } from './province.js';

export interface ShowResult {
  showId: string;
  grossFen: number;
  sellerPayoutFen: number;
  operationsFen: number;
  orders: number;
  /** Orders made PAID by a verified WeChat Pay notification (here: all the paid ones). */
  paidThroughWechatPay: number;
  /** Sellers whose payout SUCCEEDED, and what they were paid (the sellers' net payout total). */
  payoutsSucceeded: number;
  paidOutFen: number;
  /** The day's reconciliation with WeChat Pay's bills: CLEAN, MISMATCHES (or why it did not run). */
  reconciliation?: string;
  /** The month's county report once this show is in it. */
  report: { period: string; gmvFen: number; paidToSellersFen: number; householdsReached: number; toRegisteredHouseholdsFen: number; toCertifiedProductsFen: number };
  settled: boolean;
  settlement: any;
  paid: { orderId: string; totalFen: number; paidAt: string; items: { productId: string; amountFen: number }[] }[];
  /** Reservations never paid nor cancelled: their time runs out (the expiry delay queue releases them). */
  leftToExpire: string[];
}

type Progress = (line: string, done?: boolean) => void;

/** The county's operator, the storefront, and (to answer the bank batch as the finance office) a province admin. */
export interface Caller { operatorToken: string; storefrontKey: string; adminToken?: string }

/** One HTTP call to the province: status and parsed body. */
export async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return { status: res.status, body: json as any };
}

/** Polls `check` until it answers, or fails after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs `tasks` with at most `limit` under way at once. */
async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  }));
  return results;
}

export async function playShow(
  url: string,
  options: { orders: number; catalog: SeededProduct[]; caller: Caller; countyId?: string; channelId?: string; progress?: Progress; timeoutMs?: number },
): Promise<ShowResult> {
  const asOperator = { authorization: `Bearer ${options.caller.operatorToken}` };
  const asStorefront = { 'x-api-key': options.caller.storefrontKey };
  const progress = options.progress ?? (() => undefined);
  const countyId = options.countyId ?? 'chengbu';
  const channelId = options.channelId ?? 'chengbu-main';
  const timeoutMs = options.timeoutMs ?? 45 * 60_000;
  const products = options.catalog.filter((p) => p.countyId === countyId);
  if (products.length === 0) throw new Error(`no demo products for county ${countyId}`);

  // 1. schedule the show: a lineup at show prices (15% off list)
  const lineup = products.map((p) => ({ productId: p.productId, showPriceFen: Math.round(p.priceFen * 0.85) }));
  const created = await call(url, 'POST', '/shows', { countyId, channel: channelId, title: '城步苗乡年货节 Chengbu New Year market', scheduledStart: new Date().toISOString(), lineup }, asOperator);
  if (created.status !== 201) throw new Error(`POST /shows: ${created.status} ${JSON.stringify(created.body)}`);
  const showId: string = created.body.showId;
  progress(`show ${showId} scheduled with ${lineup.length} products`, true);

  // 2. the county head's encoder goes live
  await call(url, 'POST', `/_local/ivs/${channelId}/live`);
  await until('the show to go LIVE', 30_000, async () => ((await call(url, 'GET', `/shows/${showId}`, undefined, asStorefront)).body.status === 'LIVE' ? true : undefined));
  progress('encoder live: the show is LIVE', true);

  // 3. spotlights, one product after another (IVS takes 5 metadata messages a second per channel)
  for (const entry of lineup) {
    const res = await call(url, 'POST', `/shows/${showId}/spotlight`, { productId: entry.productId }, asOperator);
    if (res.status !== 200) throw new Error(`spotlight: ${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 220));
  }
  progress(`${lineup.length} spotlights sent`, true);

  // 4. storefront orders, concurrently; most are paid, some cancelled, a few left to expire
  let reserved = 0, refused = 0, paidCount = 0, cancelled = 0, paidThroughWechatPay = 0;
  const leftToExpire: string[] = [];
  const paid: ShowResult['paid'] = [];
  const report = () => progress(`orders: ${reserved} reserved, ${refused} refused, ${paidCount} paid, ${cancelled} cancelled (of ${options.orders})`);
  await pool(50, Array.from({ length: options.orders }, (_, i) => async () => {
    const picks = [lineup[i % lineup.length]!, ...(i % 3 === 0 ? [lineup[(i + 1) % lineup.length]!] : [])];
    const items = [...new Map(picks.map((p) => [p.productId, { productId: p.productId, quantity: 1 + (i % 4) }])).values()];
    const order = await call(url, 'POST', '/orders', { showId, buyerRef: `wx-buyer-${i}`, items }, { 'Idempotency-Key': randomUUID(), ...asStorefront });
    if (order.status !== 201) { refused++; report(); return; }
    reserved++;
    if (i % 10 === 7) {
      await call(url, 'POST', `/orders/${order.body.orderId}/cancel`, undefined, asStorefront);
      cancelled++;
    } else if (i % 20 === 19) {
      leftToExpire.push(order.body.orderId); // never paid: its reservation runs out
    } else {
      // the buyer pays through WeChat Pay (the stand-in); the order is PAID when its notification is verified
      const orderId = order.body.orderId as string;
      const started = await call(url, 'POST', `/orders/${orderId}/payment`, { payerOpenId: `oDemoBuyer${String(i).padStart(6, '0')}` }, asStorefront);
      const taken = started.status === 200 && (await call(url, 'POST', '/_local/wechatpay/pay', { orderId })).status === 200;
      const res = taken ? await until(`order ${orderId} to be paid`, 60_000, async () => {
        const read = await call(url, 'GET', `/orders/${orderId}`, undefined, asStorefront);
        return read.body.status === 'PAID' ? read : undefined;
      }) : undefined;
      if (res) {
        paidCount++;
        if (res.body.payment?.provider === 'wechatpay' && res.body.paymentRef) paidThroughWechatPay++;
        paid.push({ orderId: res.body.orderId, totalFen: res.body.totalFen, paidAt: res.body.paidAt, items: res.body.items });
      }
    }
    report();
  }));
  progress(`orders: ${reserved} reserved, ${refused} refused, ${paidCount} paid, ${cancelled} cancelled`, true);

  // 5. the encoder goes offline; after the grace period the show ends; settlement follows by itself
  await call(url, 'POST', `/_local/ivs/${channelId}/offline`);
  await until('the show to end', timeoutMs, async () => {
    const show = await call(url, 'GET', `/shows/${showId}`, undefined, asStorefront);
    progress(`encoder offline; waiting for the grace period (show ${show.body.status})`);
    return show.body.status === 'ENDED' ? true : undefined;
  });
  progress('show ENDED; waiting for the payment window to close and the settlement to run', true);
  const settlement = await until('the settlement', timeoutMs, async () => {
    const res = await call(url, 'GET', `/shows/${showId}/settlement`, undefined, asOperator);
    progress(`settlement: ${res.status === 200 ? res.body.status : 'not registered yet'}${res.status === 200 && res.body.status === 'PENDING' ? ` (due ${res.body.dueAt})` : ''}`);
    return res.status === 200 && res.body.status === 'SETTLED' ? res.body : undefined;
  });
  progress('settled', true);

  // 6. the sellers are paid: farmers by WeChat transfer (the payout sweep sees them through), cooperatives
  //    and enterprises in the day's bank batch, whose lines the finance office answers once the bank paid
  const owed = settlement.sellers.filter((s: { net: { payoutFen: number } }) => s.net.payoutFen > 0).length;
  const asAdmin = options.caller.adminToken ? { authorization: `Bearer ${options.caller.adminToken}` } : undefined;
  const payouts = await until('the payouts', timeoutMs, async () => {
    const res = await call(url, 'GET', `/shows/${showId}/payouts`, undefined, asOperator);
    if (res.status !== 200) return undefined;
    const list = res.body.payouts as { payoutId: string; method: string; status: string; amountFen: number; attempts: number }[];
    const answered = list.filter((x) => x.method === 'bank' && x.status === 'SUBMITTED');
    if (asAdmin && answered.length) {
      // the finance office uploads the day's batch to its bank, and imports the bank's return file
      const file = ['payout_id,attempt,amount_yuan,result', ...answered.map((p) => `${p.payoutId},${p.attempts},${formatYuan(p.amountFen)},SUCCESS`)].join('\r\n');
      await call(url, 'POST', '/payouts/bank-returns', { file }, asAdmin);
    }
    const done = list.filter((p) => p.status === 'SUCCEEDED').length;
    progress(`payouts: ${done} of ${owed} succeeded (${list.map((p) => p.status).join(', ') || 'starting'})`);
    return list.length === owed && done === owed ? res.body : undefined;
  });
  progress(`payouts: ${owed} sellers paid ¥${formatYuan(payouts.paidOutFen)}`, true);

  // 7. the day's reconciliation with WeChat Pay's bills (the stand-in serves today's bills so far)
  let reconciliation: string | undefined;
  if (asAdmin) {
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const res = await call(url, 'POST', `/reconciliation/${day}`, {}, asAdmin);
    reconciliation = res.status === 200 ? res.body.reconciliation.status : `HTTP ${res.status}`;
    progress(`reconciliation ${day}: ${reconciliation}${res.status === 200 ? ` (${res.body.reconciliation.checked.payments} payments, ${res.body.reconciliation.checked.transfers} transfers)` : ''}`, true);
  }
  // 8. the month's report for officials, maintained from Show Settled (a fresh province: this show is the month's only one)
  const month = new Date(Date.parse(settlement.settledAt) + 8 * 3600_000).toISOString().slice(0, 7);
  const monthReport = await until("the month's county report", timeoutMs, async () => {
    const res = await call(url, 'GET', `/reports/counties/${countyId}?period=${month}`, undefined, asOperator);
    return res.status === 200 && res.body.showsHeld > 0 ? res.body : undefined;
  });
  progress(`report ${month}: GMV ¥${formatYuan(monthReport.gmvFen)}, ¥${formatYuan(monthReport.paidToSellersFen)} to ${monthReport.sellers} sellers, ${monthReport.householdsReached} households reached`, true);
  return {
    showId,
    report: { period: month, gmvFen: monthReport.gmvFen, paidToSellersFen: monthReport.paidToSellersFen, householdsReached: monthReport.householdsReached, toRegisteredHouseholdsFen: monthReport.toRegisteredHouseholdsFen, toCertifiedProductsFen: monthReport.toCertifiedProductsFen },
    grossFen: settlement.grossFen,
    sellerPayoutFen: settlement.sellerPayoutFen,
    operationsFen: settlement.operationsFen,
    orders: paidCount,
    paidThroughWechatPay,
    payoutsSucceeded: owed,
    paidOutFen: payouts.paidOutFen,
    ...(reconciliation ? { reconciliation } : {}),
    settled: true,
    settlement,
    paid,
    leftToExpire,
  };
}

/** A self-contained HTML page: sales per minute and per seller as SVG bar charts. */
export function htmlReport(result: ShowResult, catalog: SeededProduct[]): string {
  const perMinute = new Map<string, number>();
  for (const o of result.paid) {
    const minute = o.paidAt.slice(0, 16);
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + o.totalFen);
  }
  const bars = (rows: [string, number][], title: string) => {
    const max = Math.max(1, ...rows.map(([, v]) => v));
    const h = 24;
    return `<h2>${title}</h2><svg width="760" height="${rows.length * h + 10}" role="img" aria-label="${title}">${rows
      .map(([label, v], i) => `<text x="0" y="${i * h + 16}" font-size="12">${escapeHtml(label.slice(0, 40))}</text><rect x="300" y="${i * h + 4}" width="${(v / max) * 360}" height="16" fill="#c0392b"/><text x="${305 + (v / max) * 360}" y="${i * h + 16}" font-size="12">¥${formatYuan(v)}</text>`)
      .join('')}</svg>`;
  };
  const sellers: [string, number][] = result.settlement.sellers.map((s: any) => [s.name, s.grossFen]);
  const rows = result.settlement.sellers
    .map((s: any) => `<tr><td>${escapeHtml(s.name)}</td><td>${formatYuan(s.grossFen)}</td><td>${formatYuan(s.payoutFen)}</td><td>${formatYuan(s.operationsFen)}</td></tr>`)
    .join('');
  void catalog;
  return `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>Settlement ${result.showId}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child{text-align:left}</style></head>
<body><h1>Show ${result.showId}: settlement</h1>
<p>Gross ¥${formatYuan(result.grossFen)} · to sellers ¥${formatYuan(result.sellerPayoutFen)} · operations fund ¥${formatYuan(result.operationsFen)} · ${result.orders} paid orders</p>
${bars([...perMinute].sort(), 'Sales per minute')}
${bars(sellers, 'Sales per seller')}
<h2>Statements</h2><table><tr><th>Seller</th><th>Gross (¥)</th><th>Payout (¥)</th><th>Operations (¥)</th></tr>${rows}</table>
</body></html>`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

async function main() {
  const { values } = parseArgs({ options: { url: { type: 'string' }, orders: { type: 'string', default: '200' }, 'clock-speed': { type: 'string', default: '60' }, county: { type: 'string' } } });
  const statePath = join(ROOT, '.local', 'province.json');
  const isTty = process.stderr.isTTY;
  const progress: Progress = (line, done) => {
    if (isTty) process.stderr.write(`\r\x1b[2K${line}${done ? '\n' : ''}`);
    else if (done) process.stderr.write(`${line}\n`);
  };
  let url = values.url ?? (existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')).url : undefined);
  let catalog: SeededProduct[] | undefined;
  let credentials: LocalCredentials | undefined;
  let stop: (() => Promise<void>) | undefined;
  type State = { clockSpeed: number; channels: { channelId: string; countyId: string }[] };
  const stateOf = (u: string) => fetch(`${u}/_local/state`).then((r) => r.json() as Promise<State>);
  const running = url ? await stateOf(url).catch(() => undefined) : undefined;
  /** Chengbu when the province has it (its demo catalog), else the province's last county (a generated province). */
  const countyOf = (state: State) => values.county ?? (state.channels.some((c) => c.countyId === 'chengbu') ? 'chengbu' : state.channels.at(-1)!.countyId);
  if (running) {
    credentials = JSON.parse(readFileSync(join(ROOT, '.local', 'credentials.json'), 'utf8'));
    catalog = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')).catalog : undefined;
    if (!catalog?.some((p) => p.countyId === countyOf(running))) catalog = [...(catalog ?? []), ...(await seedDemoCatalog(url!, [countyOf(running)], credentials!.operators.admin!))];
    if (running.clockSpeed < 10) progress(`note: the province at ${url} runs its clock at ${running.clockSpeed}×: grace period and settlement take about ${Math.ceil(21 / running.clockSpeed)} minutes (npm start -- --clock-speed 60 is faster)`, true);
  } else {
    progress(`no local province running: starting one (clock ${values['clock-speed']}×)…`, true);
    const local = await startLocalProvince({ port: 0, clockSpeed: Number(values['clock-speed']), stateDir: join(ROOT, '.local', 'demo') });
    url = local.url;
    stop = local.stop;
    credentials = local.credentials;
    catalog = await seedDemoCatalog(url, [countyOf(await stateOf(url))], credentials.operators.admin!);
  }
  try {
    const state = await stateOf(url!);
    const countyId = countyOf(state);
    const channelId = state.channels.find((c) => c.countyId === countyId)?.channelId;
    if (!channelId) throw new Error(`county ${countyId} has no channel in this province`);
    const caller = { operatorToken: credentials!.operators[countyId]!, storefrontKey: credentials!.storefront.apiKey, adminToken: credentials!.operators.admin! };
    const result = await playShow(url!, { orders: Number(values.orders), catalog: catalog!, caller, countyId, channelId, progress });
    const reports = join(ROOT, '.local', 'reports');
    mkdirSync(reports, { recursive: true });
    const csv = await fetch(`${url}/shows/${result.showId}/settlement.csv`, { headers: { authorization: `Bearer ${caller.operatorToken}` } }).then((r) => r.text());
    writeFileSync(join(reports, `${result.showId}.csv`), csv);
    writeFileSync(join(reports, `${result.showId}.html`), htmlReport(result, catalog!));
    console.table(
      result.settlement.sellers.map((s: any) => ({ seller: s.name, 'gross ¥': formatYuan(s.grossFen), 'payout ¥': formatYuan(s.payoutFen), 'operations ¥': formatYuan(s.operationsFen) })),
    );
    progress(`reports: .local/reports/${result.showId}.csv and .html`, true);
    console.log(JSON.stringify({ showId: result.showId, grossFen: result.grossFen, sellerPayoutFen: result.sellerPayoutFen, operationsFen: result.operationsFen, orders: result.orders, paidThroughWechatPay: result.paidThroughWechatPay, payoutsSucceeded: result.payoutsSucceeded, paidOutFen: result.paidOutFen, reconciliation: result.reconciliation, report: result.report, settled: result.settled }));
  } finally {
    await stop?.();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`\n${(error as Error).message}`);
      process.exit(1);
    },
  );
}
