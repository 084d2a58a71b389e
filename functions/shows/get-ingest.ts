import { ChannelPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parsePath } from '../shared/http.js';
import { showDeps } from './deps.js';
import { channelIngest } from './service.js';

const deps = showDeps();

/** A county channel's ingest server and stream key; the answer is marked no-store. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { channelId } = parsePath(ChannelPath, event);
  return json(200, await channelIngest(deps, operator, channelId), { 'cache-control': 'no-store' });
});
