import { ListShowsQuery } from '../contracts/api.js';
import { admitStorefront, httpHandler, json, validate } from '../shared/http.js';
import { showDeps } from './deps.js';
import { listShows } from './service.js';
import { showSummary } from './views.js';

const deps = showDeps();

export const handler = httpHandler(async (event) => {
  await admitStorefront(event);
  const query = validate(ListShowsQuery, event.queryStringParameters ?? {}, 'query');
  const { page, channelOf } = await listShows(deps, query);
  return json(200, {
    shows: page.shows.map((s) => showSummary(s, channelOf(s))),
    ...(page.cursor ? { nextCursor: page.cursor } : {}),
  });
});
