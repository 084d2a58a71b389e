import { CreateShowBody } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody } from '../shared/http.js';
import { showDeps } from './deps.js';
import { createShow } from './service.js';
import { operatorShowView } from './views.js';

const deps = showDeps();

export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const body = parseBody(CreateShowBody, event);
  return json(201, operatorShowView(await createShow(deps, operator, body)));
});
