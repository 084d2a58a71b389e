import {
  ChannelNotBroadcasting,
  GetStreamCommand,
  GetStreamKeyCommand,
  IvsClient,
  PutMetadataCommand,
  StopStreamCommand,
  ThrottlingException,
} from '@aws-sdk/client-ivs';
import type { Broadcasting } from '../shows/ports.js';
import { tracer } from '../shared/powertools.js';

export interface RetryPolicy { attempts: number; baseDelayMs: number; sleep: (ms: number) => Promise<void> }
const defaultRetry: RetryPolicy = { attempts: 5, baseDelayMs: 100, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/**
 * IVS through the real SDK. PutMetadata is limited to 5 TPS per channel: ThrottlingException is
 * retried with exponential backoff and full jitter (the SDK's own retries are off so the policy
 * is this one, visible and tested).
 */
export function ivsBroadcasting(
  client: IvsClient = tracer.captureAWSv3Client(new IvsClient({ maxAttempts: 1 })),
  retry: RetryPolicy = defaultRetry,
): Broadcasting {
  async function withBackoff<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof ThrottlingException) || attempt >= retry.attempts) throw error;
        await retry.sleep(Math.random() * retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  return {
    async putMetadata(channelArn, metadata) {
      try {
        await withBackoff(() => client.send(new PutMetadataCommand({ channelArn, metadata })));
        return true;
      } catch (error) {
        if (error instanceof ChannelNotBroadcasting) return false;
        throw error;
      }
    },

    async getStream(channelArn) {
      try {
        const { stream } = await client.send(new GetStreamCommand({ channelArn }));
        if (!stream?.streamId || stream.state === 'OFFLINE') return undefined;
        return {
          streamId: stream.streamId,
          startTime: (stream.startTime ?? new Date()).toISOString(),
          viewerCount: stream.viewerCount ?? -1,
          health: stream.health,
        };
      } catch (error) {
        if (error instanceof ChannelNotBroadcasting) return undefined;
        throw error;
      }
    },

    async stopStream(channelArn) {
      try {
        await client.send(new StopStreamCommand({ channelArn }));
      } catch (error) {
        if (!(error instanceof ChannelNotBroadcasting)) throw error;
      }
    },

    async getStreamKey(streamKeyArn) {
      const { streamKey } = await client.send(new GetStreamKeyCommand({ arn: streamKeyArn }));
      if (!streamKey?.value) throw new Error('IVS returned no stream key value');
      return streamKey.value;
    },
  };
}
