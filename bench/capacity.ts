/**
 * Capacity as the DynamoDB service bills it, measured from the requests the code makes.
 * Single-item writes and reads: DynamoDB Local's ConsumedCapacity (it includes index writes).
 * Transactions: DynamoDB Local's figure is not per item (two small puts report 2), so each item
 * is priced here by the documented rule: 2 × ceil(item size / 1 KB) for the base table, plus the
 * index writes a Put causes (not doubled).
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
        let total = 0;
        for (const item of body.TransactItems as Record<string, any>[]) {
          const [kind, op] = Object.entries(item)[0]!;
          if (kind === 'Put') {
            total += 2 * units(itemBytes(op.Item));
            for (const index of declFor(op.TableName)?.indexes ?? []) {
              if (op.Item[index.partitionKey.name] && (!index.sortKey || op.Item[index.sortKey.name])) {
                total += index.projection === 'KEYS_ONLY' ? 1 : units(itemBytes(op.Item));
              }
            }
          } else {
            const { Item } = await peek.send(new GetItemCommand({ TableName: op.TableName, Key: op.Key }));
            total += 2 * units(Item ? itemBytes(Item) : 0);
          }
        }
        const result = await next(args);
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
