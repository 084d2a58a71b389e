import { ShowPath } from '../contracts/api.js';
import { admitStorefront, httpHandler, json, parsePath } from '../shared/http.js';
import { showDeps } from './deps.js';
import { showReader } from './service.js';
import { showDetail } from './views.js';

const readShow = showReader(showDeps());

export const handler = httpHandler(async (event) => {
  await admitStorefront(event);
  const { showId } = parsePath(ShowPath, event);
  const { show, channel, products, viewerCount } = await readShow(showId);
  return json(200, showDetail(show, channel, products, viewerCount));
});
