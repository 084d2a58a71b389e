/**
 * The README's integrator script works as written against `npm start` with a fast clock: it
 * polls for the show, the events and the settlement, takes the time from the province, and
 * fails on a refused request (`curl -f`).
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProvinceProcess, startProvinceProcess } from '../support/province-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
let province: ProvinceProcess;
let url: string;
let stateDir: string;

beforeAll(async () => {
  province = await startProvinceProcess(['--clock-speed', '60'], 'integrator');
  ({ url, stateDir } = province);
}, 90_000);

afterAll(() => province?.stop());

describe("the README's integrator script", () => {
  it('runs as written at 60×: order paid, event seen, settlement read, statement saved', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('```sh\nAPI=http://127.0.0.1:3000');
    expect(start).toBeGreaterThan(0);
    const script = readme.slice(start + 6, readme.indexOf('```', start + 6))
      .replace('API=http://127.0.0.1:3000', `API=${url}`)
      .replaceAll('./.local/', `${stateDir}/`);
    const file = join(stateDir, 'integrator.sh');
    writeFileSync(file, `set -euo pipefail\n${script}`);
    const { stdout } = await promisify(execFile)('bash', [file], { cwd: ROOT, env: { ...process.env, LOCAL_PROVINCE_URL: url, LOCAL_STATE_DIR: stateDir }, timeout: 150_000 });
    expect(stdout).toContain('"status":"PAID"');
    expect(stdout).toContain('"status":"SETTLED"');
    const csv = readFileSync(join(ROOT, 'statement.csv'), 'utf8');
    rmSync(join(ROOT, 'statement.csv'));
    expect(csv.startsWith('\uFEFFseller_id,')).toBe(true);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
  }, 180_000);
});
