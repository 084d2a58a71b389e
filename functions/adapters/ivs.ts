import {
  ChannelNotBroadcasting,
  GetStreamKeyCommand,
  IvsClient,
  ListStreamsCommand,
  PutMetadataCommand,
  StopStreamCommand,
  ThrottlingException,
} from '@aws-sdk/client-ivs';
import type { Broadcasting, LiveStream } from '../shows/ports.js';
import { tracer } from '../shared/powertools.js';

export interface RetryPolicy { attempts: number; baseDelayMs: number; sleep: (ms: number) => Promise<void> }
const defaultRetry: RetryPolicy = { attempts: 5, baseDelayMs: 100, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/**
 * IVS through the real SDK. PutMetadata is limited to 5 TPS per channel: ThrottlingException is
 * retried with exponential backoff and full jitter (that client's own retries are off so the
 * policy is this one, visible and tested). The other calls go through a client with the SDK's
 * standard retries.
 */
export function ivsBroadcasting(
  client: IvsClient = tracer.captureAWSv3Client(new IvsClient({ maxAttempts: 1 })),
  retry: RetryPolicy = defaultRetry,
  api: IvsClient = tracer.captureAWSv3Client(new IvsClient({})),
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

    async liveStreams() {
      const live = new Map<string, LiveStream>();
      let nextToken: string | undefined;
      try {
        do {
          const page = await api.send(new ListStreamsCommand({ maxResults: 100, nextToken }));
          for (const stream of page.streams ?? []) {
            if (!stream.channelArn || !stream.streamId || stream.state === 'OFFLINE') continue;
            live.set(stream.channelArn, {
              streamId: stream.streamId,
              startTime: (stream.startTime ?? new Date()).toISOString(),
              viewerCount: stream.viewerCount ?? -1,
              health: stream.health,
            });
          }
          nextToken = page.nextToken;
        } while (nextToken);
        return live;
      } catch (error) {
        // throttled (5 TPS per account, not adjustable) or failing after the SDK's own retries: no conclusion this time
        if (error instanceof ThrottlingException || (error as { $retryable?: unknown }).$retryable || (error as { $fault?: string }).$fault === 'server') return 'unknown';
        throw error;
      }
    },

    async stopStream(channelArn) {
      try {
        await api.send(new StopStreamCommand({ channelArn }));
      } catch (error) {
        if (!(error instanceof ChannelNotBroadcasting)) throw error;
      }
    },

    async getStreamKey(streamKeyArn) {
      const { streamKey } = await api.send(new GetStreamKeyCommand({ arn: streamKeyArn }));
      if (!streamKey?.value) throw new Error('IVS returned no stream key value');
      return streamKey.value;
    },
  };
}
