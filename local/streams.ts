/**
 * DynamoDB Local streams → the relay function, as Lambda's event source mapping would do it:
 * batches in the Lambda event shape, retry from the first reported failure, bisecting not needed
 * locally (the relay reports partial failures).
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The SDK's streams client turns an empty map attribute `{"M":{}}` into `{}` when it
 * deserializes; Lambda delivers the wire form. Put the wire form back.
 */
export function lambdaShape(dynamodb: Record<string, any>): Record<string, any> {
  const fix = (value: any): any => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if (Object.keys(value).length === 0) return { M: {} };
      if (value.M) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, fix(v)])) };
      if (value.L) return { L: value.L.map(fix) };
    }
    return value;
  };
  for (const image of ['NewImage', 'OldImage', 'Keys']) {
    if (dynamodb[image]) dynamodb[image] = Object.fromEntries(Object.entries(dynamodb[image]).map(([k, v]) => [k, fix(v)]));
  }
  return dynamodb;
}

export function toLambdaRecord(r: _Record, streamArn: string): DynamoDBRecord {
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: lambdaShape(JSON.parse(JSON.stringify(r.dynamodb))),
  };
}

/** What Lambda adds to a batch's event when the event source has a tumbling window. */
function windowOf(shardId: string, batch: DynamoDBRecord[], seconds: number) {
  const start = Math.floor(Date.now() / (seconds * 1000)) * seconds * 1000;
  return {
    shardId,
    eventSourceARN: batch[0]?.eventSourceARN,
    window: { start: new Date(start).toISOString(), end: new Date(start + seconds * 1000).toISOString() },
    state: {},
    isFinalInvokeForWindow: false,
    isWindowTerminatedEarly: false,
  };
}

export interface StreamPoller {
  /** Reads completed since start, and records read but not yet accepted by the consumer. */
  status(): { reads: number; pending: number };
  stop(): Promise<void>;
}

/** Polls a table's stream and hands each batch to `consume` until it accepts it. */
export function pollStream(options: {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
  batchSize: number;
  consume: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  /**
   * The consumer's tumbling window (seconds), if it has one: as Lambda does then, each batch names
   * its shard (`shardId`) and carries the window's `state`. Batches never mix shards either way.
   */
  tumblingWindowSeconds?: number;
  /** Said once when reading the stream starts failing (e.g. DynamoDB Local died), not on every retry. */
  onError: (error: unknown) => void;
  /** Said once when it works again. */
  onRecovered?: () => void;
  intervalMs?: number;
  /** The longest wait between attempts while failing (default 5 s). */
  maxBackoffMs?: number;
  /**
   * As Lambda's S3 on-failure destination does: a batch the consumer still fails after
   * `afterAttempts` tries is written whole (records included) to `dir`, and the stream moves on.
   * `npm run replay` hands such batches to the consumer again.
   */
  failedBatches?: { dir: string; afterAttempts: number };
  onFailedBatch?: (file: string, records: number) => void;
  /**
   * Where the read positions are kept across restarts (with `--data`): per shard, the last record
   * the consumer accepted (or that was kept aside). A restart reads on from there, as an event
   * source mapping does: nothing republished but the batch that was under way.
   */
  checkpoint?: { load(): Record<string, string>; save(positions: Record<string, string>): void };
}): StreamPoller {
  const { endpoint, region, credentials } = options;
  // the poll loop is the retry policy (with its backoff): no SDK retries on top
  const streams = new DynamoDBStreamsClient({ endpoint, region, credentials, maxAttempts: 1 });
  const dynamo = new DynamoDBClient({ endpoint, region, credentials, maxAttempts: 1 });
  /** Per shard, the last record the consumer accepted. */
  const committed: Record<string, string> = options.checkpoint?.load() ?? {};
  /** Per shard, the last sequence number taken into `pending` (fresh iterators each poll: robust on DynamoDB Local). */
  const positions = new Map<string, string | undefined>(Object.entries(committed));
  let running = true;
  let streamArn: string | undefined;
  const pending: { shardId: string; record: DynamoDBRecord }[] = [];
  /** Takes the first `count` pending records off, as done: the checkpoint moves past them. */
  const commit = (count: number) => {
    for (const { shardId, record } of pending.splice(0, count)) committed[shardId] = record.dynamodb!.SequenceNumber!;
    if (count > 0) options.checkpoint?.save(committed);
  };

  const tick = async () => {
    streamArn ??= (await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }))).Table?.LatestStreamArn;
    if (!streamArn) return;
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      const after = positions.get(shardId);
      let iterator = (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const records = page.Records ?? [];
        if (records.length === 0) break;
        pending.push(...records.map((r) => ({ shardId, record: toLambdaRecord(r, streamArn!) })));
        positions.set(shardId, records[records.length - 1]!.dynamodb!.SequenceNumber);
        iterator = page.NextShardIterator;
      }
    }
    while (pending.length > 0 && running) {
      // a batch holds one shard's records, as an event source mapping's does
      const shardId = pending[0]!.shardId;
      const sameShard = pending.findIndex((p) => p.shardId !== shardId);
      const batch = pending.slice(0, Math.min(options.batchSize, sameShard === -1 ? pending.length : sameShard)).map((p) => p.record);
      let failure: string | undefined;
      try {
        const response = await options.consume({ Records: batch, ...(options.tumblingWindowSeconds !== undefined ? windowOf(shardId, batch, options.tumblingWindowSeconds) : {}) });
        failure = response?.batchItemFailures?.[0]?.itemIdentifier;
      } catch (error) {
        failure = batch[0]!.dynamodb!.SequenceNumber; // the whole batch failed
        if (!options.failedBatches) throw error;
      }
      if (failure === undefined) {
        commit(batch.length);
        attempts = 0;
        continue;
      }
      const at = Math.max(0, batch.findIndex((r) => r.dynamodb?.SequenceNumber === failure));
      commit(at); // checkpoint before the failed record, retry from it
      attempts = at > 0 ? 1 : attempts + 1;
      if (options.failedBatches && attempts >= options.failedBatches.afterAttempts) {
        keepFailedBatch(options.failedBatches.dir, batch.slice(at), attempts);
        commit(batch.length - at);
        attempts = 0;
        continue;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  let attempts = 0;
  const keepFailedBatch = (dir: string, records: DynamoDBRecord[], tries: number) => {
    mkdirSync(dir, { recursive: true });
    const first = records[0]!.dynamodb!.SequenceNumber!;
    const file = join(dir, `${options.tableName}-${first}.json`);
    // the shape of Lambda's S3 on-failure record for a stream batch, with the invocation payload
    writeFileSync(file, JSON.stringify({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: tries },
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: { shardId: 'local', startSequenceNumber: first, endSequenceNumber: records.at(-1)!.dynamodb!.SequenceNumber, batchSize: records.length, streamArn: records[0]!.eventSourceARN },
      payload: { Records: records },
    }, null, 2));
    options.onFailedBatch?.(file, records.length);
  };

  const interval = options.intervalMs ?? 200;
  let failures = 0;
  let reads = 0;
  const loop = (async () => {
    while (running) {
      try {
        await tick();
        reads++;
        if (failures > 0) options.onRecovered?.();
        failures = 0;
      } catch (error) {
        if (failures === 0) options.onError(error);
        failures++;
      }
      // while failing, wait longer and longer (up to maxBackoffMs): a dead DynamoDB Local is not hammered
      const wait = failures === 0 ? interval : Math.min(options.maxBackoffMs ?? 5_000, interval * 2 ** failures);
      await new Promise((r) => setTimeout(r, wait));
    }
  })();

  return {
    status: () => ({ reads, pending: pending.length }),
    async stop() {
      running = false;
      await loop;
      streams.destroy();
      dynamo.destroy();
    },
  };
}
