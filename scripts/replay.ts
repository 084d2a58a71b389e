/**
 * npm run replay — hands each stream consumer (the outbox relay, the live figures') the batches it
 * kept failing, so no change is lost.
 *   npm run replay                                  the local province (.local/failed-batches)
 *   npm run replay -- --province hunan              a deployed province: the objects of its
 *                                                   FailedStreamBatches bucket, through its relay
 * A batch is removed once the relay accepts all of it. Events are deduplicated by their
 * consumers on detail.eventId, so a batch replayed twice does no harm.
 */
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { payloadOf } from '../local/replay.js';
import { loadProvince } from '../province/config/index.js';

export interface CloudReplayClients { cfn: CloudFormationClient; s3: S3Client; lambda: LambdaClient }

/** Replays every kept batch of a deployed province through its relay function. */
export async function replayCloud(stackName: string, clients: CloudReplayClients, say: (line: string) => void = () => undefined) {
  const { Stacks } = await clients.cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  const bucket = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'FailedStreamBatchesBucket')?.OutputValue;
  if (!bucket) throw new Error(`stack ${stackName} has no FailedStreamBatchesBucket output`);
  // the stream consumers: the outbox relay and the live figures' (a kept batch names the function that failed it)
  let relay: string | undefined;
  const consumers = new Set<string>();
  let next: string | undefined;
  do {
    const page = await clients.cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: next }));
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.ResourceType !== 'AWS::Lambda::Function' || !r.PhysicalResourceId) continue;
      if (r.LogicalResourceId?.startsWith('PublishDomainEventsFn')) relay = r.PhysicalResourceId;
      if (r.LogicalResourceId?.startsWith('PublishDomainEventsFn') || r.LogicalResourceId?.startsWith('MaintainLiveFiguresFn')) consumers.add(r.PhysicalResourceId);
    }
    next = page.NextToken;
  } while (next);
  if (!relay) throw new Error(`stack ${stackName} has no outbox relay function`);
  const consumerOf = (record: { requestContext?: { functionArn?: string } }) => {
    const name = /:function:([^:]+)/.exec(record.requestContext?.functionArn ?? '')?.[1];
    return name && consumers.has(name) ? name : relay!;
  };

  let replayed = 0;
  let failed = 0;
  let token: string | undefined;
  do {
    const list = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of list.Contents ?? []) {
      const body = await (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }))).Body!.transformToString();
      const record = JSON.parse(body);
      const answer = await clients.lambda.send(new InvokeCommand({ FunctionName: consumerOf(record), Payload: Buffer.from(JSON.stringify(payloadOf(record))) }));
      const result = answer.Payload ? JSON.parse(Buffer.from(answer.Payload).toString('utf8') || '{}') : {};
      if (answer.FunctionError || (result.batchItemFailures ?? []).length > 0) {
        failed++;
        say(`not yet: ${object.Key} (${answer.FunctionError ?? 'part of the batch refused'})`);
        continue;
      }
      await clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key! }));
      replayed++;
      say(`replayed ${object.Key}`);
    }
    token = list.NextContinuationToken;
  } while (token);
  return { replayed, failed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { province: { type: 'string' }, url: { type: 'string' } } });
  try {
    if (values.province) {
      const province = loadProvince(values.province);
      const clients = { cfn: new CloudFormationClient({ region: province.region }), s3: new S3Client({ region: province.region }), lambda: new LambdaClient({ region: province.region }) };
      const result = await replayCloud(`CountyLive-${province.id}`, clients, (line) => console.log(line));
      console.log(JSON.stringify(result));
      process.exit(result.failed > 0 ? 1 : 0);
    }
    const statePath = join(import.meta.dirname, '..', '.local', 'province.json');
    const url = values.url ?? (existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')).url : 'http://127.0.0.1:3000');
    const res = await fetch(`${url}/_local/replay`, { method: 'POST' });
    const result = (await res.json()) as { replayed: number; failed: number; remaining: string[] };
    console.log(JSON.stringify(result));
    process.exit(result.failed > 0 ? 1 : 0);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
