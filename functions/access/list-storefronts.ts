import { PageQuery } from '../contracts/api.js';
import { httpHandler, json, operatorOf, validate } from '../shared/http.js';
import { accessDeps } from './deps.js';
import { listStorefronts } from './service.js';

const deps = accessDeps();

/** GET /storefronts (province admin): the province's storefronts, in the order they were issued. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const query = validate(PageQuery, event.queryStringParameters ?? {}, 'query');
  return json(200, await listStorefronts(deps, operator, query));
});
