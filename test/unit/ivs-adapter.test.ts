import {
  ChannelNotBroadcasting,
  GetStreamKeyCommand,
  IvsClient,
  ListStreamsCommand,
  PutMetadataCommand,
  StopStreamCommand,
  ThrottlingException,
} from '@aws-sdk/client-ivs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ivsBroadcasting } from '../../functions/adapters/ivs.js';

const ivs = mockClient(IvsClient);
afterEach(() => ivs.reset());

const ARN = 'arn:aws:ivs:ap-northeast-1:123456789012:channel/abcdEFGH1234';
const throttled = () => new ThrottlingException({ message: 'Request was denied due to request throttling.', $metadata: { httpStatusCode: 429 } });
const offline = () => new ChannelNotBroadcasting({ message: 'The stream is offline for the given channel ARN.', $metadata: { httpStatusCode: 404 } });

function adapter() {
  const sleeps: number[] = [];
  const broadcasting = ivsBroadcasting(new IvsClient({ region: 'ap-northeast-1' }), {
    attempts: 5,
    baseDelayMs: 100,
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { broadcasting, sleeps };
}

describe('IVS adapter (aws-sdk-client-mock on the real command types)', () => {
  it('PutMetadata retries ThrottlingException with growing backoff, then succeeds', async () => {
    ivs.on(PutMetadataCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    const { broadcasting, sleeps } = adapter();
    await expect(broadcasting.putMetadata(ARN, '{"v":1}')).resolves.toBe(true);
    expect(ivs.commandCalls(PutMetadataCommand)).toHaveLength(4);
    expect(ivs.commandCalls(PutMetadataCommand)[0]!.args[0].input).toEqual({ channelArn: ARN, metadata: '{"v":1}' });
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, i) => expect(ms).toBeLessThanOrEqual(100 * 2 ** i));
  });

  it('PutMetadata gives up after the last attempt and surfaces the throttling', async () => {
    ivs.on(PutMetadataCommand).rejects(throttled());
    const { broadcasting } = adapter();
    await expect(broadcasting.putMetadata(ARN, 'x')).rejects.toBeInstanceOf(ThrottlingException);
    expect(ivs.commandCalls(PutMetadataCommand)).toHaveLength(5);
  });

  it('ChannelNotBroadcasting: PutMetadata answers false, an offline channel is not listed, StopStream is fine', async () => {
    ivs.on(PutMetadataCommand).rejects(offline()).on(ListStreamsCommand).resolves({ streams: [] }).on(StopStreamCommand).rejects(offline());
    const { broadcasting } = adapter();
    await expect(broadcasting.putMetadata(ARN, 'x')).resolves.toBe(false);
    expect(ivs.commandCalls(PutMetadataCommand)).toHaveLength(1); // not retried
    await expect(broadcasting.liveStreams()).resolves.toEqual(new Map());
    await expect(broadcasting.stopStream(ARN)).resolves.toBeUndefined();
  });

  it('ListStreams maps the live streams by channel ARN', async () => {
    ivs.on(ListStreamsCommand).resolves({
      streams: [{ channelArn: ARN, streamId: 'st-1A2b3c4D5e6F78ghij9Klmn', state: 'LIVE', health: 'HEALTHY', viewerCount: 1234, startTime: new Date('2026-12-01T12:00:00Z') }],
    });
    const { broadcasting } = adapter();
    await expect(broadcasting.liveStreams()).resolves.toEqual(new Map([[ARN, {
      streamId: 'st-1A2b3c4D5e6F78ghij9Klmn', startTime: '2026-12-01T12:00:00.000Z', viewerCount: 1234, health: 'HEALTHY',
    }]]));
  });

  it('other IVS errors are not swallowed', async () => {
    ivs.on(StopStreamCommand).rejects(new Error('StreamUnavailable'));
    const { broadcasting } = adapter();
    await expect(broadcasting.stopStream(ARN)).rejects.toThrow('StreamUnavailable');
  });

  it('GetStreamKey returns the value', async () => {
    ivs.on(GetStreamKeyCommand, { arn: 'arn:key' }).resolves({ streamKey: { arn: 'arn:key', value: 'sk_ap-northeast-1_secret' } });
    const { broadcasting } = adapter();
    await expect(broadcasting.getStreamKey('arn:key')).resolves.toBe('sk_ap-northeast-1_secret');
  });
});
