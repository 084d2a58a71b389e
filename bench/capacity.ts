/**
 * Capacity as the DynamoDB service bills it, measured from the requests the code makes.
 * Single-item writes and reads: DynamoDB Local's ConsumedCapacity (it includes index writes).
 * Transactions: DynamoDB Local's figure is not per item (two small puts report 2), so each item
 * is priced here by the documented rule: 2 × ceil(larger of the item's size before and after /
 * 1 KB) for the base table (a ConditionCheck too), plus the index writes the change causes (not
 * doubled), read from the item before and after the transaction.
 */
import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { type TableDecl, tables } from '../province/wiring.js';

/** DynamoDB item size: attribute names and values, as documented (numbers approximated). */
export function itemBytes(item: Record<string, AttributeValue>): number {
  const value = (v: AttributeValue): number => {
    if (v.S !== undefined) return Buffer.byteLength(v.S);
    if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
    if (v.B !== undefined) return (v.B as Uint8Array).length ?? String(v.B).length;
    if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
    if (v.L !== undefined) return 3 + v.L.reduce((n, x) => n + 1 + value(x), 0);
    if (v.M !== undefined) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + value(x), 0);
    if (v.SS) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
    return 0;
  };
  return Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + value(v), 0);
}

const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/**
 * The writes an item's change costs in the table's indexes, as documented: an entry added costs
 * its projected size, one removed 1, a key changed both, and (ALL projection) an entry whose
 * item changed without a key change its size; a keys-only entry whose keys stay costs nothing.
 */
function indexWrites(tableName: string, was: Record<string, AttributeValue> | undefined, now: Record<string, AttributeValue> | undefined): number {
  let total = 0;
  for (const index of declFor(tableName)?.indexes ?? []) {
    const keyAttrs = [index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : [])];
    const key = (item: Record<string, AttributeValue> | undefined) => (item && keyAttrs.every((a) => item[a]) ? JSON.stringify(keyAttrs.map((a) => item[a])) : undefined);
    const entry = (item: Record<string, AttributeValue>) => (index.projection === 'KEYS_ONLY' ? 1 : units(itemBytes(item)));
    const [k0, k1] = [key(was), key(now)];
    if (k0 === undefined && k1 !== undefined) total += entry(now!);
    else if (k0 !== undefined && k1 === undefined) total += 1;
    else if (k0 !== undefined && k1 !== undefined && k0 !== k1) total += 1 + entry(now!);
    else if (k0 !== undefined && index.projection !== 'KEYS_ONLY' && JSON.stringify(was) !== JSON.stringify(now)) total += entry(now!);
  }
  return total;
}

/** The key of an item of one of the wiring's tables. */
function keyOf(tableName: string, item: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const decl = declFor(tableName);
  const names = [decl?.partitionKey.name ?? 'pk', ...(decl?.sortKey ? [decl.sortKey.name] : [])];
  return Object.fromEntries(names.map((n) => [n, item[n]!]));
}

function declFor(tableName: string): TableDecl | undefined {
  const name = (Object.keys(tables) as (keyof typeof tables)[]).find((t) => tableName === process.env[tables[t].env]);
  return name ? tables[name] : undefined;
}

export interface Meter { wcu: number; rcu: number; byCommand: Record<string, number> }

/** Meters `client` until `stop()`. */
export function meterCapacity(client: DynamoDBClient, endpoint: string): Meter & { stop(): void } {
  const meter: Meter = { wcu: 0, rcu: 0, byCommand: {} };
  const peek = new DynamoDBClient({ endpoint, region: process.env.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const add = (command: string, write: boolean, u: number) => {
    if (write) meter.wcu += u;
    else meter.rcu += u;
    meter.byCommand[command] = (meter.byCommand[command] ?? 0) + u;
  };
  client.middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      const command: string = (context.commandName ?? '').replace(/Command$/, '');
      const text = (body: unknown) => (typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array));
      if (command === 'TransactWriteItems') {
        const body = JSON.parse(text(args.request.body));
        const get = async (op: { TableName: string; Key: Record<string, AttributeValue> }) => (await peek.send(new GetItemCommand({ TableName: op.TableName, Key: op.Key, ConsistentRead: true }))).Item;
        const ops = (body.TransactItems as Record<string, any>[]).map((item) => Object.entries(item)[0]!);
        // each item as it was, to price updates by the larger of before and after, and their index writes
        const before = await Promise.all(ops.map(([kind, op]) => (kind === 'Put' ? get({ TableName: op.TableName, Key: keyOf(op.TableName, op.Item) }) : get(op))));
        const result = await next(args);
        let total = 0;
        for (const [i, [kind, op]] of ops.entries()) {
          const was = before[i];
          const now = kind === 'Put' ? op.Item : kind === 'Update' ? await get(op) : kind === 'Delete' ? undefined : was;
          total += 2 * units(Math.max(was ? itemBytes(was) : 0, now ? itemBytes(now) : 0));
          if (kind !== 'ConditionCheck') total += indexWrites(op.TableName, was, now);
        }
        add(command, true, total);
        return result;
      }
      if (args.request?.body) {
        const body = JSON.parse(text(args.request.body));
        body.ReturnConsumedCapacity = 'INDEXES';
        args.request.body = JSON.stringify(body);
        if (args.request.headers) args.request.headers['content-length'] = String(Buffer.byteLength(args.request.body));
      }
      const result = await next(args);
      const consumed = [result.output?.ConsumedCapacity ?? []].flat() as { CapacityUnits?: number }[];
      const write = /^(Put|Update|Delete|BatchWrite)/.test(command);
      add(command, write, consumed.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0));
      return result;
    },
    { step: 'build', name: 'benchCapacityMeter', priority: 'low' },
  );
  return Object.assign(meter, {
    stop() {
      client.middlewareStack.remove('benchCapacityMeter');
      peek.destroy();
    },
  });
}
