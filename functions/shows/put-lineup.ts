import { PutLineupBody, ShowPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { showDeps } from './deps.js';
import { replaceLineup } from './service.js';
import { operatorShowView } from './views.js';

const deps = showDeps();

export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { showId } = parsePath(ShowPath, event);
  const { lineup } = parseBody(PutLineupBody, event);
  return json(200, operatorShowView(await replaceLineup(deps, operator, showId, lineup)));
});
