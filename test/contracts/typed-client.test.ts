/**
 * No integrator meets an uncompilable contract again: a standard generator (openapi-typescript)
 * turns docs/openapi.json into types, and a storefront flow written against them with openapi-fetch
 * compiles (clients/typescript, its own TypeScript 5: openapi-typescript uses TypeScript's JS API).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLIENT = join(ROOT, 'clients', 'typescript');
const bin = (name: string) => join(CLIENT, 'node_modules', '.bin', name);
const run = (cmd: string, args: string[]) =>
  promisify(execFile)(cmd, args, { cwd: CLIENT, encoding: 'utf8' }).then(
    ({ stdout }) => ({ code: 0, out: stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
  );

describe('the typed storefront client', () => {
  it('is generated from the current docs/openapi.json (npm run contracts regenerates it)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'client-')), 'schema.d.ts');
    const generated = await run(bin('openapi-typescript'), [join(ROOT, 'docs', 'openapi.json'), '-o', out]);
    expect(generated.code, generated.out).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(CLIENT, 'src', 'schema.d.ts'), 'utf8'));
  }, 60_000);

  it('compiles the storefront flow (shows, lineup, reserve, pay, read) against it', async () => {
    const compiled = await run(bin('tsc'), ['-p', 'tsconfig.json']);
    expect(compiled.out).toBe('');
    expect(compiled.code).toBe(0);
  }, 120_000);

  it('refuses a flow that breaks the contract: a path that does not exist, an order without items', async () => {
    const dir = mkdtempSync(join(CLIENT, 'src', '.wrong-'));
    writeFileSync(join(dir, 'wrong.ts'), `
      import { storefrontClient } from '../index.js';
      const api = storefrontClient('http://localhost', 'key');
      export const a = api.GET('/showz', {});
      export const b = api.POST('/orders', { params: { header: { 'idempotency-key': 'k' } }, body: { showId: 's', buyerRef: 'b' } });
    `);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: [], files: ['wrong.ts'] }));
    try {
      const compiled = await run(bin('tsc'), ['-p', join(dir, 'tsconfig.json')]);
      expect(compiled.code).not.toBe(0);
      expect(compiled.out).toContain('"/showz"');
      expect(compiled.out).toMatch(/Property 'items' is missing/);
    } finally {
      (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
