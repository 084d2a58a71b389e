/** The channels table's layout: the province's channel registry, one item per channel in one partition. */
import type { Channel } from '../../domain/channel.js';
import { type Item, strip } from './item.js';

const PARTITION = 'CHANNELS';

export const channelsTable = {
  partition: PARTITION,
  channelKey: (channelId: string) => ({ pk: PARTITION, sk: channelId }),
  /** `registeredBy`: the registration (a channel stack's custom resource, or the local province) that wrote it. */
  channelItem: (channel: Channel, registeredBy: string): Item => ({ ...channelsTable.channelKey(channel.channelId), ...channel, registeredBy }),
  toChannel: (item: Item) => strip<Channel>(item, ['pk', 'sk', 'registeredBy']),
};
