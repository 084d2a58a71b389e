import { CreateProductBody } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody } from '../shared/http.js';
import { catalogDeps } from './deps.js';
import { createProduct } from './service.js';

const deps = catalogDeps();

export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const body = parseBody(CreateProductBody, event);
  return json(201, await createProduct(deps, operator, body));
});
