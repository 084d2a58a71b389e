/**
 * The outbox never drops a change: while the bus is down the relay fails, the stream batch is
 * kept whole (as Lambda's S3 on-failure destination keeps it), and `npm run replay` hands it to
 * the relay again once the bus is back: the event arrives, once.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, until } from '../../local/demo.js';
import { type ProvinceProcess, startProvinceProcess } from '../support/province-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
let province: ProvinceProcess;
let url: string;
let stateDir: string;

beforeAll(async () => {
  province = await startProvinceProcess(['--no-seed'], 'outbox');
  ({ url, stateDir } = province);
}, 90_000);

afterAll(() => province?.stop());

describe('the outbox under a bus outage', () => {
  it('keeps the failed batch, and the replay delivers its event once', async () => {
    const credentials = JSON.parse(readFileSync(join(stateDir, 'credentials.json'), 'utf8'));
    const asOperator = { authorization: `Bearer ${credentials.operators.chengbu}` };
    expect((await call(url, 'POST', '/_local/bus/outage', { on: true })).status).toBe(200);
    const created = await call(url, 'POST', '/shows', { countyId: 'chengbu', channel: 'chengbu-main', title: 'Outage night', scheduledStart: new Date().toISOString(), lineup: [] }, asOperator);
    expect(created.status).toBe(201);
    const showId: string = created.body.showId;

    const dir = join(stateDir, 'failed-batches');
    const kept = await until('the failed batch to be kept', 60_000, async () => (existsSync(dir) && readdirSync(dir).length > 0 ? readdirSync(dir) : undefined));
    const record = JSON.parse(readFileSync(join(dir, kept[0]!), 'utf8'));
    expect(record.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(JSON.stringify(record.payload.Records)).toContain(showId);
    const scheduled = encodeURIComponent(JSON.stringify({ source: ['county-live.shows'], 'detail-type': ['Show Scheduled'], detail: { showId: [showId] } }));
    expect((await call(url, 'GET', `/_local/events?pattern=${scheduled}`)).body.events).toHaveLength(0);

    expect((await call(url, 'POST', '/_local/bus/outage', { on: false })).status).toBe(200);
    const { stdout } = await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'replay.ts'), '--url', url], { cwd: ROOT });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ failed: 0, remaining: [] });
    expect(readdirSync(dir)).toEqual([]);
    const events = (await call(url, 'GET', `/_local/events?pattern=${scheduled}`)).body.events;
    expect(events).toHaveLength(1);
    expect(events[0].detail).toMatchObject({ showId, status: 'SCHEDULED' });
  }, 120_000);
});
