/**
 * What keeps the functions' cold starts near the bare DynamoDB-client handler (npm run bench --
 * --only cold-start; README: Benchmarks): code patterns a handler's bundle would otherwise pay
 * for at every init, checked in the source so a regression shows before the benchmark runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FUNCTIONS = join(import.meta.dirname, '..', '..', 'functions');
const sources = readdirSync(FUNCTIONS, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(join(FUNCTIONS, file), 'utf8') }));

describe('cold start', () => {
  it('zod is imported as a namespace: `import { z }` bundles all of zod (≈ 360 KB more, ≈ 15 ms of init)', () => {
    expect(sources.length).toBeGreaterThan(50);
    const named = sources.filter(({ text }) => /import\s*\{[^}]*\bz\b[^}]*\}\s*from\s*'zod'/.test(text)).map(({ file }) => file);
    expect(named, "use `import * as z from 'zod'`").toEqual([]);
  });

  it('the contracts build each schema through schema(), so a handler keeps only the schemas it uses', () => {
    for (const file of ['contracts/api.ts', 'contracts/events.ts']) {
      const text = sources.find((s) => s.file === file)!.text;
      expect(text).toMatch(/\/\* @__NO_SIDE_EFFECTS__ \*\/ function schema</);
      expect(text.match(/^(export )?const \w+ = z\b.*$/gm) ?? [], `${file}: wrap top-level schemas in schema(() => …)`).toEqual([]);
    }
  });

  it('the SDKs used only on some paths (IVS, Secrets Manager) are loaded on first use, not at init', () => {
    const eager = sources
      .filter(({ file }) => !/^adapters\/(ivs|secrets)-sdk\.ts$/.test(file))
      .filter(({ text }) => /^import\s+(?!type\b)[^;]*from\s*'@aws-sdk\/client-(ivs|secrets-manager)'/m.test(text))
      .map(({ file }) => file);
    expect(eager, 'import the SDK through adapters/ivs-sdk.ts or secrets-sdk.ts with import()').toEqual([]);
  });
});
