import { randomUUID } from 'node:crypto';
import { catalogStore } from '../adapters/catalog-store.js';
import { showStore } from '../adapters/show-store.js';
import { PutLineupBody, ShowPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { replaceLineup } from './service.js';
import { operatorShowView } from './views.js';

export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { showId } = parsePath(ShowPath, event);
  const { lineup } = parseBody(PutLineupBody, event);
  const show = await replaceLineup({ shows: showStore, catalog: catalogStore, now: () => new Date(), newId: randomUUID }, operator, showId, lineup);
  return json(200, operatorShowView(show));
});
