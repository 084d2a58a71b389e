import { showStore } from '../adapters/show-store.js';
import { ListShowsQuery } from '../contracts/api.js';
import { DomainError } from '../domain/errors.js';
import { channelById } from '../shared/channels.js';
import { httpHandler, json, storefrontOf, validate } from '../shared/http.js';
import { showSummary } from './views.js';

export const handler = httpHandler(async (event) => {
  storefrontOf(event);
  const query = validate(ListShowsQuery, event.queryStringParameters ?? {}, 'query');
  let page;
  try {
    page = await showStore.listed(query.status === 'live' ? 'LIVE' : 'UPCOMING', query.limit, query.cursor);
  } catch (error) {
    if (query.cursor && (error instanceof SyntaxError || (error as Error).name === 'ValidationException')) {
      throw new DomainError('VALIDATION_FAILED', 'query.cursor: is not a cursor this API gave out', 'query.cursor');
    }
    throw error;
  }
  return json(200, {
    shows: page.shows.map((s) => showSummary(s, channelById(s.channelId))),
    ...(page.cursor ? { nextCursor: page.cursor } : {}),
  });
});
