import { randomUUID } from 'node:crypto';
import { catalogStore } from '../adapters/catalog-store.js';
import { CreateSellerBody } from '../contracts/api.js';
import { requireCountyToCreate } from '../domain/access.js';
import { httpHandler, json, operatorOf, parseBody } from '../shared/http.js';
import { province } from '../shared/province.js';
import { createSeller } from './service.js';

export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const body = parseBody(CreateSellerBody, event);
  requireCountyToCreate(operator, body.countyId, 'countyId');
  const countyIds = new Set(province().counties.map((c) => c.id));
  const seller = await createSeller({ catalog: catalogStore, now: () => new Date(), newId: randomUUID, countyIds }, body);
  return json(201, seller);
});
