import { CreateSellerBody } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody } from '../shared/http.js';
import { catalogDeps } from './deps.js';
import { createSeller } from './service.js';

const deps = catalogDeps();

export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const body = parseBody(CreateSellerBody, event);
  return json(201, await createSeller(deps, operator, body));
});
