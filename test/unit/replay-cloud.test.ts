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
});
