import * as z from 'zod';
import { setting } from './env.js';

const Channel = z.object({
  channelId: z.string(),
  countyId: z.string(),
  arn: z.string(),
  playbackUrl: z.string(),
  ingestEndpoint: z.string(),
  streamKeyArn: z.string(),
});
export type Channel = z.infer<typeof Channel>;

let cached: Channel[] | undefined;

/** The province's IVS channels, from the CHANNELS setting the wiring gives the function. */
export function channels(): Channel[] {
  cached ??= z.array(Channel).parse(JSON.parse(setting('CHANNELS')));
  return cached;
}

export const channelById = (channelId: string) => channels().find((c) => c.channelId === channelId);
export const channelByArn = (arn: string) => channels().find((c) => c.arn === arn);
