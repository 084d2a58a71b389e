import * as z from 'zod';
import { channelDirectory, type Channels } from '../domain/channel.js';
import { setting } from './env.js';

const Channel = z.object({
  channelId: z.string(),
  countyId: z.string(),
  arn: z.string(),
  playbackUrl: z.string(),
  ingestEndpoint: z.string(),
  streamKeyArn: z.string(),
});

let cached: Channels | undefined;

/**
 * The province's IVS channels (and so its counties), from the CHANNELS setting the wiring gives
 * the function: a function learns its province from its environment only.
 */
export function provinceChannels(): Channels {
  cached ??= channelDirectory(z.array(Channel).parse(JSON.parse(setting('CHANNELS'))));
  return cached;
}
