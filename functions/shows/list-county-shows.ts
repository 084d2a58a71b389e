import { ListCountyShowsQuery } from '../contracts/api.js';
import { httpHandler, json, operatorOf, validate } from '../shared/http.js';
import { showDeps } from './deps.js';
import { listCountyShows } from './service.js';
import { showSummary } from './views.js';

const deps = showDeps();

/** GET /county-shows?countyId=&status=: a county's shows of every status (or one), newest first, for its operators. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const query = validate(ListCountyShowsQuery, event.queryStringParameters ?? {}, 'query');
  const { countyId, page } = await listCountyShows(deps, operator, query);
  return json(200, {
    countyId,
    shows: page.shows.map((s) => ({ ...showSummary(s, undefined), lineupSize: s.lineup.length })),
    ...(page.cursor ? { nextCursor: page.cursor } : {}),
  });
});
