/**
 * `npm run replay -- --province <id>`: the deployed province's kept batches go back to its relay.
 * S3, Lambda and CloudFormation have no local form here: mocked at the SDK boundary.
 */
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { replayCloud } from '../../scripts/replay.js';

/** An S3 object body, as the SDK hands it over (a stream with transformToString). */
const body = (json: unknown) => ({ transformToString: async () => JSON.stringify(json) });
const kept = (seq: string) => ({ requestContext: { condition: 'RetryAttemptsExhausted' }, payload: { Records: [{ eventID: seq, dynamodb: { SequenceNumber: seq } }] } });

describe('replaying a deployed province', () => {
  it('invokes the relay with each kept batch and deletes a batch only once the relay accepted all of it', async () => {
    const cfn = mockClient(CloudFormationClient);
    const s3 = mockClient(S3Client);
    const lambda = mockClient(LambdaClient);
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'CountyLive-hunan', CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE', Outputs: [{ OutputKey: 'FailedStreamBatchesBucket', OutputValue: 'failed-batches' }] }] });
    cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [{ LogicalResourceId: 'PublishDomainEventsFnA1B2', PhysicalResourceId: 'CountyLive-hunan-relay', ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }] });
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'a' }, { Key: 'b' }] });
    s3.on(GetObjectCommand, { Key: 'a' }).resolves({ Body: body(kept('1')) as never });
    s3.on(GetObjectCommand, { Key: 'b' }).resolves({ Body: body(kept('2')) as never });
    s3.on(DeleteObjectCommand).resolves({});
    lambda
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 200, Payload: Buffer.from(JSON.stringify({ batchItemFailures: [] })) as never })
      .resolvesOnce({ StatusCode: 200, Payload: Buffer.from(JSON.stringify({ batchItemFailures: [{ itemIdentifier: '2' }] })) as never });

    const result = await replayCloud('CountyLive-hunan', { cfn: new CloudFormationClient({}), s3: new S3Client({}), lambda: new LambdaClient({}) });
    expect(result).toEqual({ replayed: 1, failed: 1 });
    const invocations = lambda.commandCalls(InvokeCommand).map((c) => ({ fn: c.args[0].input.FunctionName, payload: JSON.parse(Buffer.from(c.args[0].input.Payload as Uint8Array).toString()) }));
    expect(invocations).toEqual([
      { fn: 'CountyLive-hunan-relay', payload: kept('1').payload },
      { fn: 'CountyLive-hunan-relay', payload: kept('2').payload },
    ]);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key)).toEqual(['a']); // b stays for the next replay
  });

  it("hands a live-figures batch back to the live-figures consumer (the function its record names), the relay's to the relay", async () => {
    const cfn = mockClient(CloudFormationClient);
    const s3 = mockClient(S3Client);
    const lambda = mockClient(LambdaClient);
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'CountyLive-hunan', CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE', Outputs: [{ OutputKey: 'FailedStreamBatchesBucket', OutputValue: 'failed-batches' }] }] });
    const fn = (logical: string, physical: string) => ({ LogicalResourceId: logical, PhysicalResourceId: physical, ResourceType: 'AWS::Lambda::Function', ResourceStatus: 'CREATE_COMPLETE' as const, LastUpdatedTimestamp: new Date() });
    cfn.on(ListStackResourcesCommand).resolvesOnce({ StackResourceSummaries: [fn('PublishDomainEventsFnA1B2', 'hunan-relay')], NextToken: 'p2' }).resolvesOnce({ StackResourceSummaries: [fn('MaintainLiveFiguresFnC3D4', 'hunan-figures'), fn('ReserveOrderFnE5', 'hunan-reserve')] });
    const figures = { ...kept('7'), requestContext: { condition: 'RetryAttemptsExhausted', functionArn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:hunan-figures' }, payload: { ...kept('7').payload, shardId: 'shardId-0001', state: {} } };
    const stranger = { ...kept('8'), requestContext: { functionArn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:hunan-reserve' } };
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'f' }, { Key: 'r' }, { Key: 's' }] });
    s3.on(GetObjectCommand, { Key: 'f' }).resolves({ Body: body(figures) as never });
    s3.on(GetObjectCommand, { Key: 'r' }).resolves({ Body: body(kept('9')) as never });
    s3.on(GetObjectCommand, { Key: 's' }).resolves({ Body: body(stranger) as never });
    s3.on(DeleteObjectCommand).resolves({});
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: Buffer.from(JSON.stringify({ batchItemFailures: [] })) as never });

    expect(await replayCloud('CountyLive-hunan', { cfn: new CloudFormationClient({}), s3: new S3Client({}), lambda: new LambdaClient({}) })).toEqual({ replayed: 3, failed: 0 });
    const calls = lambda.commandCalls(InvokeCommand).map((c) => ({ fn: c.args[0].input.FunctionName, payload: JSON.parse(Buffer.from(c.args[0].input.Payload as Uint8Array).toString()) }));
    // the figures' batch keeps its shard (the tumbling window's), and only stream consumers are ever invoked
    expect(calls).toEqual([
      { fn: 'hunan-figures', payload: figures.payload },
      { fn: 'hunan-relay', payload: kept('9').payload },
      { fn: 'hunan-relay', payload: kept('8').payload },
    ]);
  });
});
