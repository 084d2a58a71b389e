import { createHash } from 'node:crypto';

export type Item = Record<string, unknown>;

/** Copies an item without its storage attributes (keys, index attributes): what is left is the entity. */
export function strip<T>(item: Item, storageAttributes: readonly string[]): T {
  const copy: Item = { ...item };
  for (const k of storageAttributes) delete copy[k];
  return copy as T;
}

/** A stable number for an id, to spread items over index partitions. */
export const hashOf = (id: string) => createHash('sha256').update(id).digest().readUInt32BE(0);

export const pad2 = (n: number) => String(n).padStart(2, '0');
