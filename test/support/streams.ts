/** Reads the real DynamoDB Local stream of a table and hands records over in the Lambda event shape. */
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { inject } from 'vitest';
import { dynamoClient } from '../../functions/adapters/dynamo.js';

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
      for (const r of page.Records ?? []) {
        records.push({
          eventID: r.eventID,
          eventName: r.eventName as DynamoDBRecord['eventName'],
          eventSource: 'aws:dynamodb',
          awsRegion: r.awsRegion,
          dynamodb: lambdaShape(JSON.parse(JSON.stringify(r.dynamodb))),
        });
      }
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
  }
  streams.destroy();
  return records;
}

/**
 * The SDK's streams client turns an empty map attribute `{"M":{}}` into `{}` when it
 * deserializes; Lambda delivers the wire form. Put the wire form back.
 */
function lambdaShape(dynamodb: Record<string, any>): Record<string, any> {
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
