/**
 * The dependency rules (.dependency-cruiser.cjs) hold on the code base, and each of them fires
 * when broken: a small tree that breaks every rule once is cruised with the same rules.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const depcruise = join(ROOT, 'node_modules', '.bin', 'depcruise');
const FOLDERS = ['bin', 'lib', 'province', 'functions', 'local', 'bench', 'test', 'scripts'];

async function cruise(cwd: string, folders: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(depcruise, [...folders, '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8' });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

/** One import that breaks each rule, by rule name. */
const BROKEN: Record<string, [file: string, imports: string]> = {
  'domain-is-pure': ['functions/domain/order.ts', '../adapters/order-store.js'],
  'use-cases-through-ports': ['functions/orders/service.ts', '../adapters/order-store.js'],
  'adapters-implement-ports': ['functions/adapters/order-store.ts', '../orders/service.js'],
  'contexts-compose-themselves': ['functions/settlement/service.ts', '../orders/deps.js'],
  'codecs-are-storage': ['functions/shared/http.ts', '../adapters/codecs/orders.js'],
  'functions-stand-alone': ['functions/shared/env.ts', '../../local/lambda.js'],
  'cdk-without-runtime': ['lib/province-stack.ts', '../functions/orders/service.js'],
  'declaration-is-neutral': ['province/wiring.ts', '../lib/province-stack.js'],
  'local-is-not-test': ['local/lambda.ts', '../test/support/http.js'],
  'bench-and-test-apart': ['bench/run.ts', '../test/support/http.js'],
  'not-to-unresolvable': ['test/support/http.ts', './no-such-module.js'],
};

const scratch = mkdtempSync(join(tmpdir(), 'depcruise-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('dependency rules', () => {
  it('hold on the code base', async () => {
    const { code, output } = await cruise(ROOT, FOLDERS);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it('each rule fails the check when broken', async () => {
    const files = new Map<string, string[]>();
    const add = (file: string, imports?: string) => files.set(file, [...(files.get(file) ?? []), ...(imports ? [imports] : [])]);
    for (const [file, imports] of Object.values(BROKEN)) {
      add(file, imports);
      if (!imports.startsWith('./no-such')) add(join(dirname(file), imports).replace(/\.js$/, '.ts'));
    }
    add('functions/orders/deps.ts', '../adapters/order-store.js');
    for (const [file, imports] of files) {
      mkdirSync(join(scratch, dirname(file)), { recursive: true });
      writeFileSync(join(scratch, file), imports.map((i, n) => `import * as m${n} from '${i}';\nexport const x${n} = m${n};\n`).join('') + 'export const here = 1;\n');
    }
    const folders = [...new Set([...files.keys()].map((f) => f.split('/')[0]!))];
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'preserve', moduleResolution: 'bundler', strict: true, noEmit: true }, include: folders }));
    const { code, output } = await cruise(scratch, folders);
    expect(code).not.toBe(0);
    for (const [rule, [file]] of Object.entries(BROKEN)) expect(output, rule).toMatch(new RegExp(`error ${rule}: ${file.replace(/[.]/g, '\\.')} →`));
  });
});
