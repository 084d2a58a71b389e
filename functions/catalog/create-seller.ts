import { randomUUID } from 'node:crypto';
import { catalogStore } from '../adapters/catalog-store.js';
import { CreateSellerBody } from '../contracts/api.js';
import { httpHandler, json, parseBody } from '../shared/http.js';
import { province } from '../shared/province.js';
import { createSeller } from './service.js';

export const handler = httpHandler(async (event) => {
  const body = parseBody(CreateSellerBody, event);
  const countyIds = new Set(province().counties.map((c) => c.id));
  const seller = await createSeller({ catalog: catalogStore, now: () => new Date(), newId: randomUUID, countyIds }, body);
  return json(201, seller);
});
