/**
 * Any way of stopping `npm start` leaves nothing behind: no npm, node or Java process, and the
 * port answers no more. (SIGKILL of node itself: orphans.test.ts, DynamoDB Local's watchdog.)
 */
import { describe, expect, it } from 'vitest';
import { startProvinceProcess } from '../support/province-process.js';
import { eventually } from '../support/eventually.js';
import { alive, childrenOf, descendants } from '../support/processes.js';


const answers = async (url: string) => {
  try {
    await fetch(`${url}/_local/state`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
};

/** npm start, its process tree (npm → node → java), and the province's node process. */
async function npmStart() {
  const province = await startProvinceProcess(['--no-seed'], 'stopping', { via: 'npm' });
  const tree = [province.child.pid!, ...descendants(province.child.pid!)];
  const node = childrenOf(province.child.pid!)[0]!;
  expect(tree.length).toBeGreaterThanOrEqual(3); // npm, node, java (and DynamoDB Local's watchdog)
  expect(await answers(province.url)).toBe(true);
  return { province, tree, node };
}

async function expectAllGone(tree: number[], url: string) {
  await eventually(() => expect(tree.filter(alive)).toEqual([]), { timeoutMs: 20_000, intervalMs: 100 });
  expect(await answers(url)).toBe(false);
}

describe('stopping npm start', () => {
  it('SIGTERM to npm (what `kill $!` in a script does) stops node and DynamoDB Local and frees the port', async () => {
    const { province, tree } = await npmStart();
    process.kill(province.child.pid!, 'SIGTERM');
    await expectAllGone(tree, province.url);
  }, 90_000);

  it('SIGTERM to the node process stops it all', async () => {
    const { province, tree, node } = await npmStart();
    process.kill(node, 'SIGTERM');
    await expectAllGone(tree, province.url);
    expect(province.output()).toContain('SIGTERM: stopping the local province');
  }, 90_000);

  it('SIGKILL of npm: the province notices it is orphaned and stops', async () => {
    const { province, tree } = await npmStart();
    process.kill(province.child.pid!, 'SIGKILL');
    await expectAllGone(tree, province.url);
  }, 90_000);
});
