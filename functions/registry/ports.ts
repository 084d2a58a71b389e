/** The registry context: the province's channels, written at deploy. */
import type { Channel } from '../domain/channel.js';

export interface RegistryStore {
  /** Writes (or rewrites) a channel, recording which registration wrote it. */
  put(channel: Channel, registeredBy: string): Promise<void>;
  /** Removes a channel if `registeredBy` is still the registration that wrote it; false if another owns it now. */
  remove(channelId: string, registeredBy: string): Promise<boolean>;
}
