/**
 * The README's table of the last benchmark run, regenerated from bench/results/latest.json (the
 * lines between the `bench:results` markers). `npm run bench` calls it after each run;
 * `npm run bench:readme` runs it alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Result { name: string; value: number; unit: string; baseline: number | null; ratio: number | null; note?: string }
interface Meta { commit: string | null; dirty: boolean | null; date: string; groups: string; machine: { os: string; cpuModel: string; cpus: number; totalMemoryGb: number; node: string } }
interface Carried { meta: Meta | null; names: string[] }

/** The issue's targets: the figure must be at most (≤) or at least (≥) the bound. */
export const TARGETS: Record<string, { op: '≤' | '≥' | '='; bound: number }> = {
  'flash-sale.ratio': { op: '≥', bound: 0.7 },
  'flash-sale.oversold': { op: '=', bound: 0 },
  'settlement.ratio': { op: '≤', bound: 1.2 },
  'settlement.ratio-10k': { op: '≤', bound: 1.2 },
  'settlement.rss-ratio-100k': { op: '≤', bound: 1.15 },
  'settlement.rss-ratio-10k': { op: '≤', bound: 1.15 },
  'cold-start.max-init-ratio': { op: '≤', bound: 1.4 },
  'cold-start.max-bundle-kb': { op: '≤', bound: 700 },
  'cost.wcu-per-order': { op: '≤', bound: 8 },
  'console.initial-js-gzip-kb': { op: '≤', bound: 200 },
};

const met = (r: Result) => {
  const t = TARGETS[r.name];
  if (!t) return '';
  const ok = t.op === '≤' ? r.value <= t.bound : t.op === '≥' ? r.value >= t.bound : r.value === t.bound;
  return ok ? 'met' : '**missed**';
};
const cell = (text: string) => text.replaceAll('|', '\\|');
const short = (commit: string | null | undefined, dirty: boolean | null | undefined) => (commit ? `${commit.slice(0, 7)}${dirty ? '+' : ''}` : 'unknown');

export function resultsTable(latest: { meta: Meta & { carried?: Carried[] }; results: Result[] }): string {
  const runOf = new Map<string, Meta | null>();
  for (const c of latest.meta.carried ?? []) for (const n of c.names) runOf.set(n, c.meta);
  const rows = latest.results
    .filter((r) => !r.name.startsWith('cold-start.init-ms.'))
    .map((r) => {
      const run = runOf.has(r.name) ? runOf.get(r.name) : latest.meta;
      const target = TARGETS[r.name] ? `${TARGETS[r.name]!.op} ${TARGETS[r.name]!.bound}` : '';
      const base = r.baseline === null ? '' : `${r.baseline}`;
      return `| \`${r.name}\` | ${r.value} ${r.unit} | ${base} | ${target} | ${met(r)} | ${run ? `${short(run.commit, run.dirty)}, ${run.date.slice(0, 10)}` : 'before records'} | ${cell(r.note ?? '')} |`;
    });
  const m = latest.meta.machine;
  return [
    `Generated from \`bench/results/latest.json\` by \`npm run bench:readme\` (a \`+\` after a commit: the tree had uncommitted changes). Machine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemoryGb} GiB, ${m.os}, Node ${m.node}.`,
    '',
    '| name | value | baseline | target | | run | how |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function updateReadme(root: string): void {
  const latest = JSON.parse(readFileSync(join(root, 'bench', 'results', 'latest.json'), 'utf8'));
  if (Array.isArray(latest)) throw new Error('latest.json has no run record: run npm run bench first');
  const file = join(root, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const start = '<!-- bench:results -->';
  const end = '<!-- /bench:results -->';
  const [a, b] = [readme.indexOf(start), readme.indexOf(end)];
  if (a < 0 || b < a) throw new Error(`README.md has no ${start} … ${end} section`);
  writeFileSync(file, `${readme.slice(0, a + start.length)}\n${resultsTable(latest)}\n${readme.slice(b)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) updateReadme(join(import.meta.dirname, '..'));
