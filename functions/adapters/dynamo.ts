import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../shared/powertools.js';

/**
 * One document client per execution environment. The endpoint comes from the standard SDK
 * settings (AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local in tests and offline).
 */
export const dynamoClient = tracer.captureAWSv3Client(new DynamoDBClient({}));
export const ddb = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});

/** Strips the storage keys off an item. */
export function fromItem<T>(item: Record<string, unknown>, ...storageKeys: string[]): T {
  const copy: Record<string, unknown> = { ...item };
  for (const k of ['pk', 'sk', ...storageKeys]) delete copy[k];
  return copy as T;
}

/** A Query, page after page (each page ≤ 1 MB): callers keep only what they need of each. */
export async function* queryPages(input: QueryCommandInput): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
