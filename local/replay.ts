/**
 * Failed stream batches, handed to the outbox relay again. Offline they are files (local/streams.ts
 * writes them as Lambda's S3 on-failure destination writes objects); in the cloud they are the
 * objects of the province's FailedStreamBatches bucket (scripts/replay.ts).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/** The invocation payload of an on-failure record (Lambda writes it as an object, or as a JSON string). */
export function payloadOf(record: { payload?: unknown }): DynamoDBStreamEvent {
  const payload = typeof record.payload === 'string' ? JSON.parse(record.payload) : record.payload;
  if (!payload || !Array.isArray((payload as DynamoDBStreamEvent).Records)) throw new Error('not an on-failure record with its payload');
  return payload as DynamoDBStreamEvent;
}

/** A batch is replayed when the relay accepts all of it; the record is then removed. Events are deduplicated downstream on detail.eventId. */
export async function replayFailedBatches(dir: string, relay: (payload: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>) {
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  let replayed = 0;
  let failed = 0;
  for (const file of files) {
    const path = join(dir, file);
    try {
      const answer = await relay(payloadOf(JSON.parse(readFileSync(path, 'utf8'))));
      if (answer && answer.batchItemFailures.length > 0) throw new Error('the relay refused part of the batch');
      rmSync(path);
      replayed++;
    } catch {
      failed++;
    }
  }
  return { replayed, failed, remaining: readdirSync(dir, { withFileTypes: false }).filter((f) => String(f).endsWith('.json')).map(String).sort() };
}
