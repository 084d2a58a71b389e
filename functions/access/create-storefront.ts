import { CreateStorefrontBody } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody } from '../shared/http.js';
import { accessDeps } from './deps.js';
import { issueStorefront } from './service.js';

const deps = accessDeps();

/** POST /storefronts (province admin): the key is in this answer and nowhere else, ever. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const body = parseBody(CreateStorefrontBody, event);
  return json(201, await issueStorefront(deps, operator, body), { 'cache-control': 'no-store' });
});
