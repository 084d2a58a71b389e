/**
 * The province's channel registry (the channels table), read once per function instance and
 * kept for a few minutes: a channel added at deploy reaches every function within that time.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Channel, channelDirectory, type ChannelRegistry } from '../domain/channel.js';
import type { RegistryStore } from '../registry/ports.js';
import { tableName } from '../shared/env.js';
import { channelsTable } from './codecs/channels.js';
import { ddb, queryPages } from './dynamo.js';

export const REGISTRY_CACHE_MS = 5 * 60_000;

export function channelRegistry(cacheMs = REGISTRY_CACHE_MS, now = () => performance.now()): ChannelRegistry {
  let cached: { channels: Promise<readonly Channel[]>; at: number } | undefined;
  const load = async (): Promise<readonly Channel[]> => {
    const channels: Channel[] = [];
    for await (const items of queryPages({
      TableName: tableName('channels'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': channelsTable.partition },
    })) {
      channels.push(...items.map(channelsTable.toChannel));
    }
    return channels;
  };
  return channelDirectory(() => {
    if (!cached || now() - cached.at > cacheMs) {
      const channels = load();
      cached = { channels, at: now() };
      channels.catch(() => (cached = undefined)); // a failed read is not kept
    }
    return cached.channels;
  });
}

export const registryStore: RegistryStore = {
  async put(channel, registeredBy) {
    await ddb.send(new PutCommand({ TableName: tableName('channels'), Item: channelsTable.channelItem(channel, registeredBy) }));
  },
  async remove(channelId, registeredBy) {
    try {
      await ddb.send(
        new DeleteCommand({
          TableName: tableName('channels'),
          Key: channelsTable.channelKey(channelId),
          ConditionExpression: 'registeredBy = :me',
          ExpressionAttributeValues: { ':me': registeredBy },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false; // registered since by another stack: keep it
      throw error;
    }
  },
};
