/**
 * An Amazon IVS stand-in: an HTTP endpoint speaking the IVS REST-JSON API (PutMetadata, GetStream,
 * StopStream, GetStreamKey, GetChannel, ListStreams) so `@aws-sdk/client-ivs` works unchanged,
 * with IVS's documented errors (ChannelNotBroadcasting 404, ThrottlingException 429 beyond 5
 * PutMetadata/s per channel and beyond 5 GetStream or ListStreams calls/s per account,
 * ResourceNotFoundException 404, ValidationException 400). ListStreams pages (maxResults ≤ 100). It plays
 * the encoder too: going live or offline emits `aws.ivs` "IVS Stream State Change" events in the
 * documented shape onto the default bus.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChannelResources } from '../province/wiring.js';
import { envelopeTime, type BusEnvelope } from './event-bus.js';

export interface LocalChannel extends ChannelResources {
  channelId: string;
  countyId: string;
  name: string;
  type: string;
  latencyMode: string;
  streamKey: string;
}

interface LiveStream { streamId: string; startTime: Date; viewerCount: number }

export interface SentMetadata { channelId: string; metadata: string; at: string }

const STREAM_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** IVS stream ids: "st-" and 23 letters or digits (26 characters). */
export function newStreamId(): string {
  return 'st-' + [...randomBytes(23)].map((b) => STREAM_ID_CHARS[b % STREAM_ID_CHARS.length]).join('');
}

export function localChannelResources(region: string, account: string, channelId: string, apiBase: string): ChannelResources {
  return {
    arn: `arn:aws:ivs:${region}:${account}:channel/${channelId}`,
    playbackUrl: `${apiBase}/_local/playback/${channelId}.m3u8`,
    ingestEndpoint: `${channelId}.ingest.local`,
    streamKeyArn: `arn:aws:ivs:${region}:${account}:stream-key/${channelId}`,
  };
}

export class IvsStandIn {
  readonly metadata: SentMetadata[] = [];
  private readonly live = new Map<string, LiveStream>();
  private readonly putTimes = new Map<string, number[]>();
  /** Account-wide call times of the rate-limited read operations (GetStream, ListStreams: 5 TPS each, not adjustable). */
  private readonly readTimes = new Map<string, number[]>();
  /** Calls refused with ThrottlingException, by operation (for tests and /_local/state). */
  readonly throttled: Record<string, number> = {};

  constructor(
    private readonly channels: LocalChannel[],
    private readonly emit: (event: Pick<BusEnvelope, 'source' | 'detail-type' | 'detail' | 'resources' | 'time'>) => void,
  ) {}

  channel(channelId: string): LocalChannel | undefined {
    return this.channels.find((c) => c.channelId === channelId);
  }

  isLive(channelId: string): boolean {
    return this.live.has(channelId);
  }

  /** The encoder connects: a new stream id, then Stream Start. */
  goLive(channelId: string): { streamId: string } {
    const channel = this.require(channelId);
    const existing = this.live.get(channelId);
    if (existing) return { streamId: existing.streamId };
    const stream = { streamId: newStreamId(), startTime: new Date(), viewerCount: 0 };
    this.live.set(channelId, stream);
    this.stateChange(channel, 'Stream Start', stream.streamId);
    return { streamId: stream.streamId };
  }

  /** The encoder disconnects: Stream End, then Session Ended. */
  goOffline(channelId: string): { streamId?: string } {
    const channel = this.require(channelId);
    const stream = this.live.get(channelId);
    if (!stream) return {};
    this.live.delete(channelId);
    this.stateChange(channel, 'Stream End', stream.streamId);
    this.stateChange(channel, 'Session Ended', stream.streamId);
    return { streamId: stream.streamId };
  }

  setViewers(channelId: string, viewerCount: number): void {
    const stream = this.live.get(channelId);
    if (stream) stream.viewerCount = viewerCount;
  }

  private require(channelId: string): LocalChannel {
    const channel = this.channel(channelId);
    if (!channel) throw new Error(`no channel ${channelId} in this province (channels: ${this.channels.map((c) => c.channelId).join(', ')})`);
    return channel;
  }

  private stateChange(channel: LocalChannel, eventName: string, streamId: string): void {
    this.emit({
      source: 'aws.ivs',
      'detail-type': 'IVS Stream State Change',
      time: envelopeTime(new Date()),
      resources: [channel.arn],
      detail: { event_name: eventName, channel_name: channel.name, stream_id: streamId },
    });
  }

  private byArn(arn: unknown): LocalChannel | undefined {
    return this.channels.find((c) => c.arn === arn);
  }

  /** The IVS API: POST /<Operation> with a JSON body. */
  handleHttp(req: IncomingMessage, res: ServerResponse, body: string): void {
    const error = (status: number, type: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
      res.end(JSON.stringify({ exceptionMessage: message }));
    };
    const ok = (status: number, payload?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    let input: Record<string, unknown>;
    try {
      input = body ? JSON.parse(body) : {};
    } catch {
      return error(400, 'ValidationException', 'The input fails to satisfy the constraints specified by an Amazon Web Services service.');
    }
    const operation = (req.url ?? '').replace(/^\//, '').split('?')[0];
    const channelFor = (field: string) => {
      const value = input[field];
      if (typeof value !== 'string' || !/^arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel\/[a-zA-Z0-9-]+$/.test(value)) {
        error(400, 'ValidationException', `${field}: the input fails to satisfy the constraints specified by an Amazon Web Services service.`);
        return undefined;
      }
      const channel = this.byArn(value);
      if (!channel) error(404, 'ResourceNotFoundException', 'Request references a resource which does not exist.');
      return channel;
    };
    const overRate = (op: string, tps: number) => {
      const now = performance.now(); // a real-time API rate, whatever the province clock
      const recent = (this.readTimes.get(op) ?? []).filter((t) => now - t < 1000);
      if (recent.length >= tps) {
        this.throttled[op] = (this.throttled[op] ?? 0) + 1;
        error(429, 'ThrottlingException', 'Request was denied due to request throttling.');
        return true;
      }
      this.readTimes.set(op, [...recent, now]);
      return false;
    };
    switch (operation) {
      case 'PutMetadata': {
        const channel = channelFor('channelArn');
        if (!channel) return;
        const metadata = input.metadata;
        if (typeof metadata !== 'string' || metadata.length < 1 || Buffer.byteLength(metadata) > 1024) {
          return error(400, 'ValidationException', 'metadata: 1 byte to 1 KB.');
        }
        if (!this.live.has(channel.channelId)) return error(404, 'ChannelNotBroadcasting', 'The stream is offline for the given channel ARN.');
        const now = performance.now(); // a real-time API rate, whatever the province clock
        const recent = (this.putTimes.get(channel.channelId) ?? []).filter((t) => now - t < 1000);
        if (recent.length >= 5) return error(429, 'ThrottlingException', 'Request was denied due to request throttling.');
        this.putTimes.set(channel.channelId, [...recent, now]);
        this.metadata.push({ channelId: channel.channelId, metadata, at: new Date().toISOString() });
        return ok(204);
      }
      case 'GetStream': {
        if (overRate('GetStream', 5)) return;
        const channel = channelFor('channelArn');
        if (!channel) return;
        const stream = this.live.get(channel.channelId);
        if (!stream) return error(404, 'ChannelNotBroadcasting', 'The stream is offline for the given channel ARN.');
        return ok(200, {
          stream: {
            channelArn: channel.arn, streamId: stream.streamId, playbackUrl: channel.playbackUrl,
            startTime: stream.startTime.toISOString(), state: 'LIVE', health: 'HEALTHY', viewerCount: stream.viewerCount,
          },
        });
      }
      case 'StopStream': {
        const channel = channelFor('channelArn');
        if (!channel) return;
        if (!this.live.has(channel.channelId)) return error(404, 'ChannelNotBroadcasting', 'The stream is offline for the given channel ARN.');
        this.goOffline(channel.channelId);
        return ok(200, {});
      }
      case 'GetStreamKey': {
        const channel = this.channels.find((c) => c.streamKeyArn === input.arn);
        if (!channel) return error(404, 'ResourceNotFoundException', 'Request references a resource which does not exist.');
        return ok(200, { streamKey: { arn: channel.streamKeyArn, channelArn: channel.arn, value: channel.streamKey, tags: {} } });
      }
      case 'GetChannel': {
        const channel = channelFor('arn');
        if (!channel) return;
        return ok(200, {
          channel: {
            arn: channel.arn, name: channel.name, latencyMode: channel.latencyMode, type: channel.type, authorized: false,
            ingestEndpoint: channel.ingestEndpoint, playbackUrl: channel.playbackUrl, recordingConfigurationArn: '', tags: {},
            insecureIngest: false, preset: '',
          },
        });
      }
      case 'ListStreams': {
        if (overRate('ListStreams', 5)) return;
        const maxResults = input.maxResults === undefined ? 100 : Number(input.maxResults);
        if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) return error(400, 'ValidationException', 'maxResults: 1 to 100.');
        const start = typeof input.nextToken === 'string' && /^\d+$/.test(input.nextToken) ? Number(input.nextToken) : 0;
        const all = [...this.live].sort(([a], [b]) => a.localeCompare(b));
        const page = all.slice(start, start + maxResults);
        return ok(200, {
          streams: page.map(([channelId, s]) => ({
            channelArn: this.channel(channelId)!.arn, streamId: s.streamId, state: 'LIVE', health: 'HEALTHY', viewerCount: s.viewerCount, startTime: s.startTime.toISOString(),
          })),
          ...(start + maxResults < all.length ? { nextToken: String(start + maxResults) } : {}),
        });
      }
      default:
        return error(404, 'UnknownOperationException', `the local IVS stand-in does not implement ${operation}`);
    }
  }
}
