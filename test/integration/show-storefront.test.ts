/** Storefront reads, the spotlight and the ingest settings, with IVS played by the stand-in (test/support/ivs.ts). */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { showStore } from '../../functions/adapters/show-store.js';
import { logger } from '../../functions/shared/powertools.js';
import { handler as getIngest } from '../../functions/shows/get-ingest.js';
import { handler as getShow } from '../../functions/shows/get-show.js';
import { handler as listShows } from '../../functions/shows/list-shows.js';
import { handler as spotlight } from '../../functions/shows/spotlight.js';
import { testChannel } from '../support/env.js';
import { goLive, product, scheduledShow, seller, useOwnTables } from '../support/fixtures.js';
import { apiEvent, invoke, lambdaContext } from '../support/http.js';
import { ivs } from '../support/ivs.js';

// the live show is on the channel these tests name; the others take channels of their own
const CHANNEL_ID = 'chengbu-main';
const CHANNEL = testChannel(CHANNEL_ID);
afterEach(() => ivs().clearCalls());

let liveId: string;
let upcomingId: string;
let orangeId: string;
let teaOilId: string;

beforeAll(async () => {
  await useOwnTables();
  const { sellerId } = await seller();
  orangeId = (await product(sellerId, 120, 3990, 'Navel oranges 5 kg')).productId;
  teaOilId = (await product(sellerId, 30, 8800, 'Tea oil 1 L')).productId;
  liveId = (await scheduledShow([{ productId: orangeId, showPriceFen: 2990 }, { productId: teaOilId, showPriceFen: 6800 }], { channel: CHANNEL_ID })).showId;
  await goLive(liveId);
  upcomingId = (await scheduledShow([{ productId: orangeId, showPriceFen: 3500 }])).showId;
});

describe('storefront reads', () => {
  it('GET /shows?status=live and ?status=upcoming list from the sparse index, with playback URLs', async () => {
    const live = await invoke(listShows, { queryStringParameters: { status: 'live' } });
    expect(live.status).toBe(200);
    expect(live.body.shows.map((s: any) => s.showId)).toEqual([liveId]);
    expect(live.body.shows[0]).toMatchObject({ status: 'LIVE', playbackUrl: CHANNEL.playbackUrl, countyId: 'chengbu' });
    const upcoming = await invoke(listShows, { queryStringParameters: { status: 'upcoming' } });
    expect(upcoming.body.shows.map((s: any) => s.showId)).toEqual([upcomingId]);
    const bad = await invoke(listShows, { queryStringParameters: { status: 'ended' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.status' });
  });

  it('pages with a cursor', async () => {
    const first = await invoke(listShows, { queryStringParameters: { status: 'upcoming', limit: '1' } });
    expect(first.body.shows).toHaveLength(1);
    const extra = (await scheduledShow([])).showId;
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await invoke(listShows, { queryStringParameters: { status: 'upcoming', limit: '1', ...(cursor ? { cursor } : {}) } });
      all.push(...page.body.shows.map((s: any) => s.showId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all.sort()).toEqual([upcomingId, extra].sort());
    const forged = await invoke(listShows, { queryStringParameters: { cursor: 'bm90LWEtY3Vyc29y' } });
    expect(forged.status).toBe(400);
  });

  it('GET /shows/{id}: lineup with show prices and stock, spotlight, viewer count cached across calls', async () => {
    ivs().setViewers(CHANNEL_ID, 4321);
    const res = await invoke(getShow, { pathParameters: { showId: liveId } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      showId: liveId, status: 'LIVE', playbackUrl: CHANNEL.playbackUrl, viewerCount: 4321,
      lineup: [
        { productId: orangeId, name: 'Navel oranges 5 kg', showPriceFen: 2990, listPriceFen: 3990, stock: 120 },
        { productId: teaOilId, name: 'Tea oil 1 L', showPriceFen: 6800, stock: 30 },
      ],
    });
    for (let i = 0; i < 5; i++) await invoke(getShow, { pathParameters: { showId: liveId } });
    expect(ivs().calls('ListStreams')).toHaveLength(1);
    const upcoming = await invoke(getShow, { pathParameters: { showId: upcomingId } });
    expect(upcoming.body.viewerCount).toBeNull();
    expect((await invoke(getShow, { pathParameters: { showId: 'missing' } })).status).toBe(404);
  });
});

describe('spotlight', () => {
  it('sends versioned timed metadata to the channel and records the spotlight', async () => {
    const res = await invoke(spotlight, { method: 'POST', pathParameters: { showId: liveId }, body: { productId: teaOilId } });
    expect(res.status).toBe(200);
    expect(res.body.spotlight).toMatchObject({ productId: teaOilId, showPriceFen: 6800, seq: 1 });
    const sent = ivs().metadataCalls()[0]!;
    expect(sent.channelArn).toBe(CHANNEL.arn);
    expect(JSON.parse(sent.metadata!)).toEqual({ v: 1, type: 'spotlight', showId: liveId, productId: teaOilId, showPriceFen: 6800, seq: 1 });
    expect(Buffer.byteLength(sent.metadata!)).toBeLessThanOrEqual(1024);
    expect((await showStore.getShow(liveId))!.spotlight).toMatchObject({ productId: teaOilId, seq: 1 });
    const next = await invoke(spotlight, { method: 'POST', pathParameters: { showId: liveId }, body: { productId: orangeId } });
    expect(next.body.spotlight.seq).toBe(2);
    const shown = await invoke(getShow, { pathParameters: { showId: liveId } });
    expect(shown.body.spotlight).toMatchObject({ productId: orangeId, seq: 2 });
  });

  it('409 SHOW_NOT_BROADCASTING when IVS says the channel is offline; nothing recorded', async () => {
    // the encoder drops: the show is still LIVE (within its grace period), the channel offline
    await ivs().goOffline(CHANNEL_ID);
    const before = (await showStore.getShow(liveId))!.spotlight;
    const res = await invoke(spotlight, { method: 'POST', pathParameters: { showId: liveId }, body: { productId: teaOilId } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SHOW_NOT_BROADCASTING');
    expect((await showStore.getShow(liveId))!.spotlight).toEqual(before);
    // and reconnects, within the grace period: the same show goes on
    await ivs().goLive(CHANNEL_ID);
  });

  it('refuses products outside the lineup and shows that are not live, without calling IVS', async () => {
    const outside = await invoke(spotlight, { method: 'POST', pathParameters: { showId: liveId }, body: { productId: 'not-in-lineup' } });
    expect(outside.status).toBe(422);
    expect(outside.body.error).toMatchObject({ code: 'NOT_IN_LINEUP', field: 'productId' });
    const notLive = await invoke(spotlight, { method: 'POST', pathParameters: { showId: upcomingId }, body: { productId: orangeId } });
    expect(notLive.body.error.code).toBe('SHOW_NOT_LIVE');
    expect(ivs().calls('PutMetadata')).toHaveLength(0);
  });
});

describe('GET /channels/{channelId}/ingest', () => {
  it('reads the stream key from IVS at request time, never caches or logs it', async () => {
    const secret = ivs().streamKey(CHANNEL_ID); // the channel's key in the stand-in, which answers GetStreamKey on its ARN only
    const logged: unknown[] = [];
    const spies = (['info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logged.push(args)));
    const res = await invoke(getIngest, { pathParameters: { channelId: CHANNEL_ID } });
    spies.forEach((s) => s.mockRestore());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      channelId: 'chengbu-main', countyId: 'chengbu', ingestEndpoint: CHANNEL.ingestEndpoint,
      ingestServer: `rtmps://${CHANNEL.ingestEndpoint}:443/app/`, streamKey: secret,
    });
    expect(JSON.stringify(logged)).not.toContain(secret);
    const raw = await getIngest(apiEvent({ pathParameters: { channelId: 'chengbu-main' } }), lambdaContext());
    expect((raw.headers as Record<string, string>)['cache-control']).toBe('no-store');
    expect(ivs().calls('GetStreamKey')).toHaveLength(2);
    expect((await invoke(getIngest, { pathParameters: { channelId: 'nowhere' } })).status).toBe(404);
  });
});
