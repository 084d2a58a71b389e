/**
 * End to end, through HTTP only: `npm start`'s program on free ports with a fast clock, a short
 * show played against it, the settlement checked to the fen; then Ctrl-C leaves nothing behind.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/eventually.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutFor } from '../../functions/domain/settlement.js';
import { playShow } from '../../local/demo.js';
import { seedDemoCatalog } from '../../local/demo-data.js';

let child: ChildProcess;
let url: string;
let stateDir: string;
let output = '';
const javaProcesses = () => {
  try {
    return execFileSync('pgrep', ['-f', 'DynamoDBLocal.jar'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).sort();
  } catch {
    return [];
  }
};
let javaBefore: string[];

/** A process's descendants (children, their children…), by pid. */
function descendants(pid: number): string[] {
  let children: string[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    children = [];
  }
  return children.flatMap((c) => [c, ...descendants(Number(c))]);
}

beforeAll(async () => {
  javaBefore = javaProcesses();
  stateDir = mkdtempSync(join(tmpdir(), 'province-'));
  // as `npm start` runs it (node --import tsx): the tsx CLI's own signal relay SIGKILLs a child that
  // does not acknowledge a signal within 60 ms, which a loaded machine can miss
  child = spawn(join('node_modules', '.bin', 'node'), ['--import', 'tsx', 'local/start.ts', '--port', '0', '--clock-speed', '120', '--no-seed', '--state-dir', stateDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const started = performance.now();
  url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) { clearInterval(timer); resolve(m[1]!); }
      if (child.exitCode !== null || performance.now() - started > 20_000) { clearInterval(timer); reject(new Error(`no ready line within 20 s:\n${output}`)); }
    }, 50);
  });
}, 30_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('the local province end to end', () => {
  it('plays a show through HTTP: paid through WeChat Pay, settled automatically to the fen, every seller paid out, the day reconciled clean', async () => {
    const credentials = JSON.parse(readFileSync(join(stateDir, 'credentials.json'), 'utf8'));
    const catalog = await seedDemoCatalog(url, ['chengbu'], credentials.operators.admin);
    const caller = { operatorToken: credentials.operators.chengbu, storefrontKey: credentials.storefront.apiKey, adminToken: credentials.operators.admin };
    const result = await playShow(url, { orders: 24, catalog, caller, timeoutMs: 60_000 });
    expect(result.paidThroughWechatPay).toBe(result.orders);
    // every seller with a positive payable was paid it, in full
    const owed = result.settlement.sellers.filter((s: any) => s.net.payoutFen > 0);
    expect(result.payoutsSucceeded).toBe(owed.length);
    expect(result.paidOutFen).toBe(owed.reduce((n: number, s: any) => n + s.net.payoutFen, 0));
    expect(result.paidOutFen).toBe(result.sellerPayoutFen);
    // and the day's WeChat Pay bills (the stand-in's) agree with the books
    expect(result.reconciliation).toBe('CLEAN');
    // and the month's county report counts this show (a fresh province: its only one), to the fen
    expect(result.report).toMatchObject({ gmvFen: result.grossFen, paidToSellersFen: result.sellerPayoutFen });
    expect(result.settled).toBe(true);
    expect(result.orders).toBeGreaterThan(15);
    const paidGross = result.paid.reduce((n, o) => n + o.totalFen, 0);
    expect(result.grossFen).toBe(paidGross);
    expect(result.sellerPayoutFen + result.operationsFen).toBe(result.grossFen);
    expect(result.settlement.orderCount).toBe(result.orders);
    for (const seller of result.settlement.sellers) {
      expect(seller.payoutFen).toBe(payoutFor(seller.grossFen, 8000));
      expect(seller.lines.reduce((n: number, l: any) => n + l.amountFen, 0)).toBe(seller.grossFen);
    }
    // the reservations never paid ran out: each Order Reserved came back through the delay queue after 15 (province) minutes
    expect(result.leftToExpire.length).toBeGreaterThan(0);
    for (const orderId of result.leftToExpire) {
      await eventually(async () => {
        const order = await fetch(`${url}/orders/${orderId}`, { headers: { 'x-api-key': credentials.storefront.apiKey } }).then((r) => r.json() as Promise<any>);
        if (order.status !== 'EXPIRED') throw new Error(`order ${orderId} is ${order.status}`);
      });
    }
    const state = await fetch(`${url}/_local/state`).then((r) => r.json() as Promise<any>);
    expect(state.deadLetters).toEqual([]);
    expect(state.metadataSent).toHaveLength(catalog.filter((p) => p.countyId === 'chengbu').length); // one spotlight per lineup product
  }, 90_000);

  it('checks credentials like the cloud: no token 401, a forged token 401, a wrong key 403, another county 404', async () => {
    const credentials = JSON.parse(readFileSync(join(stateDir, 'credentials.json'), 'utf8'));
    expect((await fetch(`${url}/shows`)).status).toBe(401);
    expect((await fetch(`${url}/shows`, { headers: { 'x-api-key': 'sfk_0000000000000000_' + 'A'.repeat(43) } })).status).toBe(403);
    expect((await fetch(`${url}/shows`, { headers: { 'x-api-key': credentials.storefront.apiKey } })).status).toBe(200);
    const forged = credentials.operators.chengbu.replace(/\.[^.]+$/, '.' + Buffer.from('forged').toString('base64url'));
    expect((await fetch(`${url}/channels/chengbu-main/ingest`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    expect((await fetch(`${url}/channels/chengbu-main/ingest`, { headers: { authorization: `Bearer ${credentials.operators.xinhuang}` } })).status).toBe(404);
    const ingest = await fetch(`${url}/channels/chengbu-main/ingest`, { headers: { authorization: `Bearer ${credentials.operators.chengbu}` } });
    expect(ingest.status).toBe(200);
    expect((await ingest.json() as any).streamKey).toMatch(/^sk_/);
    const jwks = await fetch(`${url}/_local/cognito/.well-known/jwks.json`).then((r) => r.json() as Promise<any>);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
  });

  it('answers unknown routes like API Gateway and injects raw events on the default bus', async () => {
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const bad = await fetch(`${url}/_local/events`, { method: 'POST', body: '{"source":"x"}' });
    expect(bad.status).toBe(400);
    const ok = await fetch(`${url}/_local/events`, {
      method: 'POST',
      body: JSON.stringify({ source: 'aws.ivs', 'detail-type': 'IVS Stream State Change', resources: ['arn:aws:ivs:us-west-2:1:channel/foreign'], detail: { event_name: 'Stream Start', stream_id: 'st-x' } }),
    });
    expect(ok.status).toBe(202);
  });

  it('Ctrl-C stops everything and leaves no Java process behind', async () => {
    // this province's own processes (tsx, node, DynamoDB Local's Java): other test files may run provinces of their own meanwhile
    const ours = descendants(child.pid!);
    const ourJava = javaProcesses().filter((pid) => ours.includes(pid));
    expect(ourJava).toHaveLength(1);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    // the province stops DynamoDB Local's Java before it exits; give the OS a moment to reap it
    const alive = () => ours.filter((pid) => { try { process.kill(Number(pid), 0); return true; } catch { return false; } });
    const deadline = performance.now() + 10_000;
    while (alive().length > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toEqual([]);
    expect(javaBefore.filter((pid) => ourJava.includes(pid))).toEqual([]); // its Java was its own, started after the suite's
  }, 20_000);
});
