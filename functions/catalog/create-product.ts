import { randomUUID } from 'node:crypto';
import { catalogStore } from '../adapters/catalog-store.js';
import { CreateProductBody } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody } from '../shared/http.js';
import { createProduct } from './service.js';

export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const body = parseBody(CreateProductBody, event);
  const product = await createProduct({ catalog: catalogStore, now: () => new Date(), newId: randomUUID }, operator, body);
  return json(201, product);
});
