import type { IvsClient } from '@aws-sdk/client-ivs';
import type { Broadcasting, LiveStream } from '../shows/ports.js';

/** The IVS SDK, loaded on the first IVS call (see ivs-sdk.ts): no show function pays for it at cold start. */
let loading: Promise<typeof import('./ivs-sdk.js')> | undefined;
const ivsSdk = () => (loading ??= import('./ivs-sdk.js'));

export interface RetryPolicy { attempts: number; baseDelayMs: number; sleep: (ms: number) => Promise<void> }
const defaultRetry: RetryPolicy = { attempts: 5, baseDelayMs: 100, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/**
 * IVS through the real SDK. PutMetadata is limited to 5 TPS per channel: ThrottlingException is
 * retried with exponential backoff and full jitter (that client's own retries are off so the
 * policy is this one, visible and tested). The other calls go through a client with the SDK's
 * standard retries. Clients not given are made on the first call.
 */
export function ivsBroadcasting(given?: IvsClient, retry: RetryPolicy = defaultRetry, givenApi?: IvsClient): Broadcasting {
  let clients: { client: IvsClient; api: IvsClient } | undefined;
  /** The SDK and the two clients, made on the first call. */
  async function ivs() {
    const sdk = await ivsSdk();
    clients ??= { client: given ?? new sdk.IvsClient({ maxAttempts: 1 }), api: givenApi ?? new sdk.IvsClient({}) };
    return { sdk, ...clients };
  }

  async function withBackoff<T>(call: () => Promise<T>): Promise<T> {
    const { ThrottlingException } = await ivsSdk();
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
      const { sdk, client } = await ivs();
      try {
        await withBackoff(() => client.send(new sdk.PutMetadataCommand({ channelArn, metadata })));
        return true;
      } catch (error) {
        if (error instanceof sdk.ChannelNotBroadcasting) return false;
        throw error;
      }
    },

    async liveStreams() {
      const { sdk, api } = await ivs();
      const live = new Map<string, LiveStream>();
      let nextToken: string | undefined;
      try {
        do {
          const page = await api.send(new sdk.ListStreamsCommand({ maxResults: 100, nextToken }));
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
        if (error instanceof sdk.ThrottlingException || (error as { $retryable?: unknown }).$retryable || (error as { $fault?: string }).$fault === 'server') return 'unknown';
        throw error;
      }
    },

    async stopStream(channelArn) {
      const { sdk, api } = await ivs();
      try {
        await api.send(new sdk.StopStreamCommand({ channelArn }));
      } catch (error) {
        if (!(error instanceof sdk.ChannelNotBroadcasting)) throw error;
      }
    },

    async getStreamKey(streamKeyArn) {
      const { sdk, api } = await ivs();
      const { streamKey } = await api.send(new sdk.GetStreamKeyCommand({ arn: streamKeyArn }));
      if (!streamKey?.value) throw new Error('IVS returned no stream key value');
      return streamKey.value;
    },
  };
}
