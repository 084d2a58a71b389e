import { ShowPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parsePath } from '../shared/http.js';
import { liveFiguresDeps } from './deps.js';
import { liveFiguresReader } from './live.js';

const read = liveFiguresReader(liveFiguresDeps());

/** GET /shows/{showId}/live: the show's live figures for its operators (two reads, no query over its orders). */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { showId } = parsePath(ShowPath, event);
  return json(200, await read(operator, showId));
});
