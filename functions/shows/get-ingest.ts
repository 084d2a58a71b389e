import { ivsBroadcasting } from '../adapters/ivs.js';
import { ChannelPath } from '../contracts/api.js';
import { DomainError } from '../domain/errors.js';
import { channelById } from '../shared/channels.js';
import { requireCounty } from '../domain/access.js';
import { httpHandler, json, operatorOf, parsePath } from '../shared/http.js';

const ivs = ivsBroadcasting();

/**
 * Ingest server and stream key for a county's encoder (OBS, a phone app). The key is read from
 * IVS at request time, never stored, logged or cached, and the answer is marked no-store.
 */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { channelId } = parsePath(ChannelPath, event);
  const channel = channelById(channelId);
  const notFound = () => new DomainError('NOT_FOUND', `channel ${channelId} does not exist in this province`, 'channelId');
  if (!channel) throw notFound();
  requireCounty(operator, channel.countyId, notFound);
  const streamKey = await ivs.getStreamKey(channel.streamKeyArn);
  return json(
    200,
    {
      channelId: channel.channelId,
      countyId: channel.countyId,
      ingestEndpoint: channel.ingestEndpoint,
      ingestServer: `rtmps://${channel.ingestEndpoint}:443/app/`,
      streamKey,
    },
    { 'cache-control': 'no-store' },
  );
});
