/** A list cursor the API did not give out is a 400 naming it, never a 500. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handler as listShows } from '../../functions/shows/list-shows.js';
import { invoke } from '../support/http.js';

const list = (cursor: string, status = 'live') => invoke(listShows, { queryStringParameters: { status, cursor } });
const b64 = (json: string) => Buffer.from(json).toString('base64url');

describe('GET /shows cursors', () => {
  it('refuses forged cursors (null, a number, other keys, another listing) with 400 query.cursor', async () => {
    for (const forged of ['bnVsbA', b64('42'), b64('[]'), b64('{}'), b64('{"pk":{"S":"x"}}'), b64('{"pk":"SHOW#x","sk":"SHOW","listing":"UPCOMING","scheduledStart":"2026"}'), b64('{"evil":"x"}')]) {
      const res = await list(forged);
      expect(res.status, forged).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'query.cursor' });
    }
  });

  it('any base64url text as a cursor: a 200 page or a 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 120 }), async (text) => {
        const res = await list(b64(text));
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 40 },
    );
  });
});
