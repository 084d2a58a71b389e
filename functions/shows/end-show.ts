import { EmptyBody, ShowPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { showDeps } from './deps.js';
import { endShow } from './lifecycle.js';
import { operatorShowView } from './views.js';

const deps = showDeps();

export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { showId } = parsePath(ShowPath, event);
  parseBody(EmptyBody, event);
  return json(200, operatorShowView(await endShow(deps, operator, showId)));
});
