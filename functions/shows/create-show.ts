import { randomUUID } from 'node:crypto';
import { catalogStore } from '../adapters/catalog-store.js';
import { showStore } from '../adapters/show-store.js';
import { CreateShowBody } from '../contracts/api.js';
import { requireCountyToCreate } from '../domain/access.js';
import { httpHandler, json, operatorOf, parseBody } from '../shared/http.js';
import { channels } from '../shared/channels.js';
import { province } from '../shared/province.js';
import { createShow } from './service.js';
import { operatorShowView } from './views.js';

export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const body = parseBody(CreateShowBody, event);
  requireCountyToCreate(operator, body.countyId, 'countyId');
  const show = await createShow(
    { shows: showStore, catalog: catalogStore, now: () => new Date(), newId: randomUUID },
    province(),
    channels(),
    body,
  );
  return json(201, operatorShowView(show));
});
