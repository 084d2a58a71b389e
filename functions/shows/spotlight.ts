import { ShowPath, SpotlightBody } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { showDeps } from './deps.js';
import { spotlight } from './lifecycle.js';

const deps = showDeps();

export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { showId } = parsePath(ShowPath, event);
  const { productId } = parseBody(SpotlightBody, event);
  const show = await spotlight(deps, operator, showId, productId);
  return json(200, { showId: show.showId, spotlight: show.spotlight });
});
