/**
 * Registering a channel stack's channels: CloudFormation creates, updates and deletes the
 * registration with the stack, so the registry always holds the channels the province deployed.
 */
import type { Channel } from '../domain/channel.js';
import type { RegistryStore } from './ports.js';

export type RegistrationChange =
  | { kind: 'Create' | 'Update'; registration: string; channels: Channel[]; previous?: Channel[] }
  | { kind: 'Delete'; registration: string; channels: Channel[] };

export async function applyRegistration(store: RegistryStore, change: RegistrationChange): Promise<{ written: number; removed: number }> {
  const keep = change.kind === 'Delete' ? [] : change.channels;
  const gone = (change.kind === 'Delete' ? change.channels : (change.previous ?? [])).filter((old) => !keep.some((c) => c.channelId === old.channelId));
  await inBatches(keep, (channel) => store.put(channel, change.registration));
  const removed = (await inBatches(gone, (channel) => store.remove(channel.channelId, change.registration))).filter(Boolean).length;
  return { written: keep.length, removed };
}

/** A stack's channels, a few writes at a time. */
async function inBatches<T, R>(items: readonly T[], write: (item: T) => Promise<R>, size = 16): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(write))));
  return results;
}
