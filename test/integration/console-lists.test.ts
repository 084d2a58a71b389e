/**
 * The console's lists of shows (every status, newest first, for a county's operators) and of
 * storefronts (province admins): page by page, under the operator rules. Real handlers, DynamoDB Local.
 */
import { describe, expect, it } from 'vitest';
import { handler as createStorefront } from '../../functions/access/create-storefront.js';
import { handler as listStorefronts } from '../../functions/access/list-storefronts.js';
import { handler as createShow } from '../../functions/shows/create-show.js';
import { handler as endShow } from '../../functions/shows/end-show.js';
import { handler as listCountyShows } from '../../functions/shows/list-county-shows.js';
import { freshChannel } from '../support/fixtures.js';
import { allPages, invoke, operatorAuth } from '../support/http.js';

const chengbu = operatorAuth('chengbu');
const xinhuang = operatorAuth('xinhuang');
const admin = operatorAuth();

const shows = (query: Record<string, string>, authorizer = chengbu) => invoke(listCountyShows, { method: 'GET', path: '/county-shows', queryStringParameters: query, authorizer });


describe("a county's shows for its operators", () => {
  it('every status, newest scheduledStart first, page by page; one status; refused to another county; a province admin names the county', async () => {
    const channel = freshChannel();
    // far ahead and a day apart, so that they are the newest of the county whatever other tests schedule
    const base = Date.UTC(2098, 0, 1) + Math.floor(Math.random() * 1000) * 7 * 86_400_000;
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await invoke(createShow, {
        method: 'POST', authorizer: chengbu,
        body: { countyId: 'chengbu', channel, title: `Console night ${i}`, scheduledStart: new Date(base + i * 86_400_000).toISOString(), lineup: [] },
      });
      expect(res.status).toBe(201);
      created.push(res.body.showId);
    }
    const cancelled = await invoke(endShow, { method: 'POST', pathParameters: { showId: created[1]! }, authorizer: chengbu });
    expect(cancelled.body.status).toBe('CANCELLED');

    const all = await allPages((q) => shows(q), 'shows', 2);
    expect(all.pages).toBeGreaterThan(2);
    const starts = all.items.map((s) => s.scheduledStart);
    expect(starts).toEqual([...starts].sort().reverse()); // newest first, across pages
    expect(new Set(all.items.map((s) => s.showId)).size).toBe(all.items.length);
    const mine = all.items.filter((s) => created.includes(s.showId));
    expect(mine.map((s) => s.showId)).toEqual([...created].reverse());
    expect(mine.map((s) => s.status)).toEqual(['SCHEDULED', 'SCHEDULED', 'SCHEDULED', 'CANCELLED', 'SCHEDULED']);
    expect(all.items.every((s) => s.countyId === 'chengbu')).toBe(true);

    const onlyCancelled = await allPages((q) => shows(q), 'shows', 1, { status: 'CANCELLED' });
    expect(onlyCancelled.items.every((s) => s.status === 'CANCELLED')).toBe(true);
    expect(onlyCancelled.items.map((s) => s.showId)).toContain(created[1]);
    const scheduled = await shows({ status: 'SCHEDULED', limit: '4' });
    expect(scheduled.body.shows.map((s: any) => s.showId)).toEqual([created[4], created[3], created[2], created[0]]);

    const refused = await shows({ countyId: 'chengbu' }, xinhuang);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', field: 'query.countyId' });
    expect((await allPages((q) => shows(q, xinhuang), 'shows', 100)).items.some((s) => created.includes(s.showId))).toBe(false);
    expect((await shows({}, admin)).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.countyId' });
    expect((await shows({ countyId: 'chengbu', limit: '5' }, admin)).body.shows.map((s: any) => s.showId)).toEqual([...created].reverse());

    // a cursor of the all-status list is not one of the one-status list, nor of another county's
    const first = await shows({ limit: '1' });
    expect((await shows({ status: 'SCHEDULED', cursor: first.body.nextCursor })).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.cursor' });
    expect((await shows({ countyId: 'xinhuang', cursor: first.body.nextCursor }, admin)).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.cursor' });
    expect((await shows({ status: 'OVER' })).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.status' });
    expect((await shows({ limit: '0' })).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.limit' });

    // one show with its lineup, any status, for its county's operators (and province admins) only
    const one = (showId: string, authorizer = chengbu) => invoke(listCountyShows, { method: 'GET', path: `/county-shows/${showId}`, pathParameters: { showId }, authorizer });
    expect((await one(created[1]!)).body).toMatchObject({ showId: created[1], status: 'CANCELLED', title: 'Console night 1', lineup: [] });
    expect((await one(created[2]!, admin)).body.showId).toBe(created[2]);
    expect((await one(created[2]!, xinhuang)).status).toBe(404);
    expect((await one('no-such-show')).status).toBe(404);
  });
});

describe("the province's storefronts", () => {
  it('province admins list them page by page, never a key; a county operator is refused', async () => {
    const issued: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await invoke(createStorefront, { method: 'POST', authorizer: admin, body: { name: `Console shop ${i}` } });
      expect(res.status).toBe(201);
      issued.push(res.body.storefrontId);
    }
    const list = (q: Record<string, string>) => invoke(listStorefronts, { method: 'GET', path: '/storefronts', queryStringParameters: q, authorizer: admin });
    const all = await allPages(list, 'storefronts', 2);
    expect(all.pages).toBeGreaterThan(1);
    const ids = all.items.map((s) => s.storefrontId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of issued) expect(ids).toContain(id);
    const shop = all.items.find((s) => s.storefrontId === issued[0]);
    expect(shop).toMatchObject({ name: 'Console shop 0', status: 'ACTIVE', activeKeys: 1, merchantOfRecord: false });
    expect(JSON.stringify(all.items)).not.toMatch(/sfk_|keyHash/);

    const refused = await invoke(listStorefronts, { method: 'GET', path: '/storefronts', authorizer: chengbu });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await list({ cursor: 'eyJwayI6MX0' })).body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.cursor' });
  });
});
