/** `npm start`'s program in a process of its own, on a free port with its own state folder, for the tests that drive a whole province over HTTP. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../../local/demo.js';

export interface ProvinceProcess {
  child: ChildProcess;
  url: string;
  stateDir: string;
  output: () => string;
  /** Ctrl-C, and wait until it has stopped. */
  stop(): Promise<void>;
}

/**
 * `via: 'npm'` runs `npm start` itself (npm, then the province's node process); otherwise the
 * province's node process directly, as `npm start` runs it, so `child` is the province.
 */
export async function startProvinceProcess(args: string[], name = 'province', options: { via?: 'npm'; stateDir?: string } = {}): Promise<ProvinceProcess> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), `${name}-`));
  const root = join(import.meta.dirname, '..', '..');
  const argv = ['--port', '0', '--state-dir', stateDir, ...args];
  const child = options.via === 'npm'
    ? spawn('npm', ['start', '--', ...argv], { stdio: ['ignore', 'pipe', 'pipe'], cwd: root })
    : spawn(join(root, 'node_modules', '.bin', 'node'), ['--import', 'tsx', 'local/start.ts', ...argv], { stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const url = await until('the ready line', 60_000, async () => {
    if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
    return /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  });
  return {
    child,
    url,
    stateDir,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      await until('npm start to stop', 20_000, async () => (child.exitCode !== null ? true : undefined)).catch(() => child.kill('SIGKILL'));
    },
  };
}
