/** DynamoDB Local dies with the process that started it, even when that process is killed outright (kill -9). */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { alive, childrenOf, descendants } from '../support/processes.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('DynamoDB Local', () => {
  it('is gone within seconds of its parent being killed with SIGKILL', async () => {
    const script = `import { startDynamoDbLocal } from ${JSON.stringify(join(ROOT, 'local', 'dynamodb-local.ts'))}; startDynamoDbLocal().then(() => console.log('DYNAMODB-LOCAL-UP')); setInterval(() => {}, 1000);`;
    const parent = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['--eval', script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    let output = '';
    parent.stdout!.on('data', (d) => (output += String(d)));
    parent.stderr!.on('data', (d) => (output += String(d)));
    await eventually(() => expect(output).toContain('DYNAMODB-LOCAL-UP'), { timeoutMs: 30_000, intervalMs: 100 });
    // the Java process: a descendant of the parent running DynamoDBLocal.jar
    const java = execFileSync('pgrep', ['-f', 'DynamoDBLocal.jar'], { encoding: 'utf8' }).trim().split('\n').map(Number).filter((pid) => isDescendant(pid, parent.pid!));
    expect(java).toHaveLength(1);
    // tsx runs the script in a node child: kill that one outright, as kill -9 of node would
    const node = childrenOf(parent.pid!).find((pid) => isDescendant(java[0]!, pid))!;
    process.kill(node, 'SIGKILL');
    await eventually(() => expect(alive(java[0]!)).toBe(false), { timeoutMs: 10_000, intervalMs: 100 });
    if (parent.exitCode === null) parent.kill('SIGKILL');
  }, 60_000);
});

const isDescendant = (pid: number, ancestor: number) => descendants(ancestor).includes(pid);
