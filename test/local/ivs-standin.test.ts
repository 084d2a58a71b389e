/** The IVS stand-in through the real @aws-sdk/client-ivs and the project's IVS adapter. */
import { GetChannelCommand, GetStreamCommand, IvsClient, ListStreamsCommand, PutMetadataCommand, ThrottlingException } from '@aws-sdk/client-ivs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ivsBroadcasting } from '../../functions/adapters/ivs.js';
import { loadProvince } from '../../province/config/index.js';
import { rules } from '../../province/wiring.js';
import { matchesEventPattern } from '../../local/event-pattern.js';
import { IvsStandIn, type LocalChannel, localChannelResources } from '../../local/ivs.js';

const province = loadProvince('hunan');
const channel: LocalChannel = {
  channelId: 'chengbu-main', countyId: 'chengbu', name: 'hunan-chengbu-main', type: 'STANDARD', latencyMode: 'LOW', streamKey: 'sk_ap-northeast-1_local',
  ...localChannelResources(province.region, '000000000000', 'chengbu-main', 'http://127.0.0.1:3000'),
};
const emitted: any[] = [];
const ivs = new IvsStandIn([channel], (e) => emitted.push(e));
let server: Server;
let client: IvsClient;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    ivs.handleHttp(req, res, body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = new IvsClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: province.region, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
});
afterAll(() => server.close());

const extraServers: Server[] = [];
afterAll(() => extraServers.forEach((s) => s.close()));
/** Another stand-in on a port of its own (its rate windows start fresh). */
async function standIn(instance: IvsStandIn) {
  const s = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    instance.handleHttp(req, res, body);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  extraServers.push(s);
  return { client: new IvsClient({ endpoint: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, region: province.region, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }) };
}

describe('IVS stand-in', () => {
  it('offline channel: ChannelNotBroadcasting, as the SDK and the adapter understand it', async () => {
    const adapter = ivsBroadcasting(client, { attempts: 1, baseDelayMs: 1, sleep: async () => undefined }, client);
    await expect(adapter.liveStreams()).resolves.toEqual(new Map());
    await expect(adapter.putMetadata(channel.arn, '{"v":1}')).resolves.toBe(false);
    await expect(adapter.stopStream(channel.arn)).resolves.toBeUndefined();
  });

  it('the encoder goes live: Stream Start in the documented shape, matched by the stack rule; ListStreams answers', async () => {
    const { streamId } = ivs.goLive('chengbu-main');
    expect(streamId).toMatch(/^st-[a-zA-Z0-9]{23}$/);
    const start = emitted.at(-1);
    const sample = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ivs-events', 'stream-state-change-stream-start.json'), 'utf8'));
    expect(Object.keys(start.detail).sort()).toEqual(Object.keys(sample.detail).sort());
    expect(start).toMatchObject({ source: 'aws.ivs', 'detail-type': 'IVS Stream State Change', resources: [channel.arn], detail: { event_name: 'Stream Start', stream_id: streamId } });
    const pattern = rules.find((r) => r.id === 'IvsStreamStateChange')!.pattern(province, {
      table: () => '', bus: '', channel: (id) => localChannelResources(province.region, '000000000000', id, 'http://127.0.0.1:3000'),
      ivsChannelArnPrefix: `arn:aws:ivs:${province.region}:000000000000:channel/`, paymentSecretArn: '',
    });
    expect(matchesEventPattern(pattern, { ...sample, ...start, version: '0', id: 'x', account: '0', region: province.region })).toBe(true);

    const adapter = ivsBroadcasting(client, undefined, client);
    ivs.setViewers('chengbu-main', 321);
    const live = await adapter.liveStreams();
    expect(live !== 'unknown' && live.get(channel.arn)).toMatchObject({ streamId, viewerCount: 321, health: 'HEALTHY' });
    await expect(adapter.getStreamKey(channel.streamKeyArn)).resolves.toBe('sk_ap-northeast-1_local');
    const { channel: described } = await client.send(new GetChannelCommand({ arn: channel.arn }));
    expect(described).toMatchObject({ arn: channel.arn, latencyMode: 'LOW', type: 'STANDARD', playbackUrl: channel.playbackUrl });
  });

  it('PutMetadata: recorded, 1 KB at most, and throttled past 5 per second per channel', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 7 }, (_, i) => client.send(new PutMetadataCommand({ channelArn: channel.arn, metadata: JSON.stringify({ v: 1, seq: i }) }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.every((r) => r.reason instanceof ThrottlingException)).toBe(true);
    expect(ivs.metadata).toHaveLength(5);
    await expect(client.send(new PutMetadataCommand({ channelArn: channel.arn, metadata: 'x'.repeat(1025) }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('GetStream and ListStreams: 5 calls a second per account, then ThrottlingException, which the adapter reads as "unknown"', async () => {
    const { client } = await standIn(new IvsStandIn([channel], () => undefined));
    const burst = await Promise.allSettled(Array.from({ length: 8 }, () => client.send(new ListStreamsCommand({}))));
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(burst.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof ThrottlingException)).toBe(true);
    await expect(ivsBroadcasting(client, undefined, client).liveStreams()).resolves.toBe('unknown');
    const gets = await Promise.allSettled(Array.from({ length: 6 }, () => client.send(new GetStreamCommand({ channelArn: channel.arn }))));
    expect(gets.filter((r) => r.status === 'rejected' && (r as PromiseRejectedResult).reason instanceof ThrottlingException)).toHaveLength(1);
  });

  it('ListStreams pages through many live channels (100 at most a page)', async () => {
    const many: LocalChannel[] = Array.from({ length: 230 }, (_, i) => ({ ...channel, channelId: `c-${i}`, name: `c-${i}`, ...localChannelResources(province.region, '000000000000', `c-${i}`, 'http://127.0.0.1:3000') }));
    const big = new IvsStandIn(many, () => undefined);
    many.forEach((c) => big.goLive(c.channelId));
    const { client } = await standIn(big);
    const live = await ivsBroadcasting(client, undefined, client).liveStreams();
    expect(live !== 'unknown' && live.size).toBe(230);
  });

  it('the encoder goes offline: Stream End then Session Ended; StopStream of a live channel does the same', async () => {
    ivs.goOffline('chengbu-main');
    expect(emitted.slice(-2).map((e) => e.detail.event_name)).toEqual(['Stream End', 'Session Ended']);
    ivs.goLive('chengbu-main');
    await ivsBroadcasting(client, undefined, client).stopStream(channel.arn);
    expect(ivs.isLive('chengbu-main')).toBe(false);
    expect(emitted.at(-2).detail.event_name).toBe('Stream End');
  });
});
