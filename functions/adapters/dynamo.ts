import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../shared/powertools.js';

/**
 * One document client per execution environment. The endpoint comes from the standard SDK
 * settings (AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local in tests and offline).
 */
export const dynamoClient = tracer.captureAWSv3Client(new DynamoDBClient({}));
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
