/**
 * npm run ivs -- live <channelId> | offline <channelId>
 * Acts as the county's encoder against the running local province: the IVS stand-in emits the
 * aws.ivs events IVS would (Stream Start; Stream End and Session Ended).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lambda.js';

const [action, channelId] = process.argv.slice(2);
if (!['live', 'offline'].includes(action ?? '') || !channelId) {
  console.error('usage: npm run ivs -- live <channelId> | offline <channelId>');
  process.exit(2);
}
const statePath = join(ROOT, '.local', 'province.json');
const url = process.env.LOCAL_PROVINCE_URL ?? (existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')).url : 'http://127.0.0.1:3000');
try {
  const res = await fetch(`${url}/_local/ivs/${encodeURIComponent(channelId)}/${action}`, { method: 'POST' });
  const body = (await res.json()) as { streamId?: string };
  if (!res.ok) {
    console.error(`${res.status}: ${JSON.stringify(body)}`);
    process.exit(1);
  }
  console.log(action === 'live' ? `${channelId} is live (stream ${body.streamId})` : `${channelId} is offline${body.streamId ? ` (stream ${body.streamId} ended)` : ' (it was not live)'}`);
} catch {
  console.error(`No local province answers at ${url}. Start one with: npm start`);
  process.exit(1);
}
