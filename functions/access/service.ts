/** Access use cases: issuing storefront keys, and checking a presented key. */
import { type Operator, requireProvinceAdmin } from '../domain/access.js';
import { issueStorefrontKey, parseStorefrontKey, secretMatches } from '../domain/storefront-key.js';
import type { AccessStore, Storefront } from './ports.js';

export interface AccessDeps {
  access: AccessStore;
  now: () => Date;
}

/** A province admin issues a storefront key; the key is in this answer and nowhere else, ever. */
export async function issueStorefront(deps: AccessDeps, operator: Operator, input: { name: string; rateLimitPerSecond: number }) {
  requireProvinceAdmin(operator);
  const { storefrontId, apiKey, keyHash } = issueStorefrontKey();
  const createdAt = deps.now().toISOString();
  await deps.access.putStorefront({ storefrontId, name: input.name, keyHash, rateLimitPerSecond: input.rateLimitPerSecond, status: 'ACTIVE', createdAt, createdBy: operator.subject });
  return { storefrontId, name: input.name, rateLimitPerSecond: input.rateLimitPerSecond, apiKey, createdAt, note: 'Store this key now: it is shown once and cannot be read again.' };
}

export type KeyCheck = { admitted: Pick<Storefront, 'storefrontId' | 'rateLimitPerSecond'> } | { refused: 'not-a-key' | 'unknown-or-revoked'; storefrontId?: string };

/** Is this an active storefront's key? Compared by hash, in constant time. */
export async function checkStorefrontKey(deps: Pick<AccessDeps, 'access'>, apiKey: string | undefined): Promise<KeyCheck> {
  const presented = parseStorefrontKey(apiKey);
  if (!presented) return { refused: 'not-a-key' };
  const storefront = await deps.access.getStorefront(presented.storefrontId);
  if (!storefront || storefront.status !== 'ACTIVE' || !secretMatches(presented.secret, storefront.keyHash)) {
    return { refused: 'unknown-or-revoked', storefrontId: presented.storefrontId };
  }
  return { admitted: { storefrontId: storefront.storefrontId, rateLimitPerSecond: storefront.rateLimitPerSecond } };
}
