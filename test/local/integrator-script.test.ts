/**
 * The README's integrator script works as written against `npm start` with a fast clock: it
 * polls for the show, the events and the settlement, takes the time from the province, and
 * fails on a refused request (`curl -f`).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let child: ChildProcess;
let url: string;
let stateDir: string;
let output = '';

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'integrator-'));
  child = spawn(join('node_modules', '.bin', 'tsx'), ['local/start.ts', '--port', '0', '--clock-speed', '60', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const deadline = performance.now() + 60_000;
  for (;;) {
    const m = /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (m) { url = m[1]!; break; }
    if (child.exitCode !== null || performance.now() > deadline) throw new Error(`npm start did not get ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100)); // polling interval
  }
}, 90_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGINT');
});

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
    const { stdout } = await promisify(execFile)('bash', [file], { cwd: ROOT, env: { ...process.env, LOCAL_PROVINCE_URL: url }, timeout: 150_000 });
    expect(stdout).toContain('"status":"PAID"');
    expect(stdout).toContain('"status":"SETTLED"');
    const csv = readFileSync(join(ROOT, 'statement.csv'), 'utf8');
    rmSync(join(ROOT, 'statement.csv'));
    expect(csv.startsWith('\uFEFFseller_id,')).toBe(true);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
  }, 180_000);
});
