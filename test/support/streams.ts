/** Reads the real DynamoDB Local stream of a table and hands records over in the Lambda event shape. */
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { inject } from 'vitest';
import { dynamoClient } from '../../functions/adapters/dynamo.js';
import { toLambdaRecord } from '../../local/streams.js';

export async function streamRecords(tableName: string): Promise<DynamoDBRecord[]> {
  const streams = new DynamoDBStreamsClient({ endpoint: inject('dynamoEndpoint') });
  const { Table } = await dynamoClient.send(new DescribeTableCommand({ TableName: tableName }));
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table!.LatestStreamArn! }));
  const records: DynamoDBRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({ StreamArn: Table!.LatestStreamArn!, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []).map((r) => toLambdaRecord(r, Table!.LatestStreamArn!)));
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
  }
  streams.destroy();
  return records;
}


/** The domain events these stream records stand for, each checked against its JSON Schema. */
export async function domainEvents(records: DynamoDBRecord[]) {
  const { eventForChange } = await import('../../functions/events/relay.js');
  const { entityChange } = await import('../../functions/adapters/table-changes.js');
  const { expectValidEvent } = await import('./contract.js');
  const events = records.map((r) => eventForChange(entityChange(r))).filter((e) => e !== undefined);
  events.forEach(expectValidEvent);
  return events;
}
