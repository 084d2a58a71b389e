import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * One document client per execution environment. The endpoint comes from the standard SDK
 * settings (AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local in tests and offline).
 */
export const dynamoClient = new DynamoDBClient({});
export const ddb = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});

/** A Query, page after page (each page ≤ 1 MB): callers keep only what they need of each. */
export async function* queryPages(input: QueryCommandInput): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** BatchGetItem (≤100 keys a call), retrying unprocessed keys with backoff. */
export async function batchGet(table: string, keys: Record<string, unknown>[], consistent = false): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchGetItem: keys still unprocessed after retries');
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const out: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: consistent } } }));
      items.push(...(out.Responses?.[table] ?? []));
      pending = out.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return items;
}

/** The cancellation reason of each item of a cancelled transaction, or undefined for any other error. */
export function cancellationCodes(error: unknown): string[] | undefined {
  return error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None') : undefined;
}

/** A list cursor is the query's start key as base64url JSON: opaque to callers. */
export const cursorOf = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

/** The start key in a cursor, if it is one this API could have given out: only `attributes`, each a short string. */
export function startKeyOf(cursor: string, attributes: readonly string[]): Record<string, string> | undefined {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!key || typeof key !== 'object' || Array.isArray(key)) return undefined;
    const entries = Object.entries(key);
    if (entries.length === 0 || !entries.every(([k, v]) => attributes.includes(k) && typeof v === 'string' && v.length > 0 && v.length <= 1024)) return undefined;
    return key as Record<string, string>;
  } catch {
    return undefined;
  }
}

/** A list kept in a sparse index: its partition attribute and value, and the attribute it is ordered by. */
export interface IndexList { index: string; partition: string; value: string; order: string }

/**
 * One page of a list kept in an index (optionally only the items whose order attribute starts with
 * `prefix`; newest first with `descending`), from a cursor that must be of this very list.
 */
export function listPage(table: string, list: IndexList, page: { limit: number; cursor?: string | undefined; prefix?: string | undefined; descending?: boolean }, attributes: readonly string[]) {
  const { prefix } = page;
  return queryPage(
    {
      TableName: table,
      IndexName: list.index,
      KeyConditionExpression: prefix === undefined ? '#list = :list' : '#list = :list AND begins_with(#order, :prefix)',
      ExpressionAttributeNames: { '#list': list.partition, ...(prefix === undefined ? {} : { '#order': list.order }) },
      ExpressionAttributeValues: { ':list': list.value, ...(prefix === undefined ? {} : { ':prefix': prefix }) },
      ...(page.descending ? { ScanIndexForward: false } : {}),
      Limit: page.limit,
    },
    page.cursor,
    attributes,
    (key) => key[list.partition] === list.value && (prefix === undefined || String(key[list.order]).startsWith(prefix)),
  );
}

/**
 * One page of a Query from a cursor. `belongs` says whether a decoded start key is of this very
 * query (its partition, its prefix): a cursor of another list, or of another county's, is refused.
 */
export async function queryPage(
  input: QueryCommandInput,
  cursor: string | undefined,
  attributes: readonly string[],
  belongs: (key: Record<string, string>) => boolean,
): Promise<{ items: Record<string, unknown>[]; cursor?: string } | 'invalid-cursor'> {
  const startKey = cursor === undefined ? undefined : startKeyOf(cursor, attributes);
  if (cursor !== undefined && (!startKey || !belongs(startKey))) return 'invalid-cursor';
  try {
    const page = await ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    return { items: page.Items ?? [], cursor: cursorOf(page.LastEvaluatedKey) };
  } catch (error) {
    if (startKey && (error as Error).name === 'ValidationException') return 'invalid-cursor';
    throw error;
  }
}
