import { ListCountyShowsQuery, ShowPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parsePath, validate } from '../shared/http.js';
import { showDeps } from './deps.js';
import { listCountyShows, operatorShow } from './service.js';
import { operatorShowView, showSummary } from './views.js';

const deps = showDeps();

/**
 * GET /county-shows?countyId=&status=: a county's shows of every status (or one), newest first, for
 * its operators; GET /county-shows/{showId}: one of them with its lineup.
 */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  if (event.pathParameters?.showId !== undefined) {
    const { showId } = parsePath(ShowPath, event);
    return json(200, operatorShowView(await operatorShow(deps, operator, showId)));
  }
  const query = validate(ListCountyShowsQuery, event.queryStringParameters ?? {}, 'query');
  const { countyId, page } = await listCountyShows(deps, operator, query);
  return json(200, {
    countyId,
    shows: page.shows.map((s) => ({ ...showSummary(s, undefined), lineupSize: s.lineup.length })),
    ...(page.cursor ? { nextCursor: page.cursor } : {}),
  });
});
