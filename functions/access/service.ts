/** Access use cases: storefronts and their keys (issue, rotate, revoke), and checking a presented key. */
import { type Operator, requireProvinceAdmin } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { issueStorefrontKey, MAX_ACTIVE_KEYS, newStorefrontId, parseStorefrontKey, secretMatches } from '../domain/storefront-key.js';
import type { AccessStore, Storefront, StorefrontKey } from './ports.js';

export interface AccessDeps {
  access: AccessStore;
  now: () => Date;
}

const NOTE = 'Store this key now: it is shown once and cannot be read again.';
const keyView = ({ keyId, status, createdAt, revokedAt }: StorefrontKey) => ({ keyId, status, createdAt, ...(revokedAt ? { revokedAt } : {}) });

/** A province admin issues a storefront and its first key; the key is in this answer and nowhere else, ever. */
export async function issueStorefront(deps: AccessDeps, operator: Operator, input: { name: string; rateLimitPerSecond: number; merchantOfRecord?: boolean }) {
  requireProvinceAdmin(operator);
  const storefrontId = newStorefrontId();
  const { keyId, apiKey, keyHash } = issueStorefrontKey(storefrontId);
  const createdAt = deps.now().toISOString();
  const merchantOfRecord = input.merchantOfRecord ?? false;
  const storefront: Storefront = { storefrontId, name: input.name, rateLimitPerSecond: input.rateLimitPerSecond, merchantOfRecord, status: 'ACTIVE', activeKeys: 1, createdAt, createdBy: operator.subject };
  await deps.access.putStorefront(storefront, { storefrontId, keyId, keyHash, status: 'ACTIVE', createdAt, createdBy: operator.subject });
  return { storefrontId, name: input.name, rateLimitPerSecond: input.rateLimitPerSecond, merchantOfRecord, keyId, apiKey, createdAt, note: NOTE };
}

const storefrontNotFound = (storefrontId: string) => new DomainError('NOT_FOUND', `storefront ${storefrontId} does not exist`, 'storefrontId');

/** A second key, to rotate: the storefront switches to it, then the old one is revoked. */
export async function addStorefrontKey(deps: AccessDeps, operator: Operator, storefrontId: string) {
  requireProvinceAdmin(operator);
  const { keyId, apiKey, keyHash } = issueStorefrontKey(storefrontId);
  const createdAt = deps.now().toISOString();
  const added = await deps.access.addKey({ storefrontId, keyId, keyHash, status: 'ACTIVE', createdAt, createdBy: operator.subject }, MAX_ACTIVE_KEYS);
  if (added === 'no-storefront') throw storefrontNotFound(storefrontId);
  if (added === 'limit') {
    throw new DomainError('KEY_LIMIT_REACHED', `storefront ${storefrontId} already has ${MAX_ACTIVE_KEYS} active keys: revoke one first`, 'storefrontId');
  }
  return { storefrontId, keyId, apiKey, createdAt, note: NOTE };
}

/** Revokes a key: the API refuses it within the authorizer's cache time (60 s). Revoking again answers the same. */
export async function revokeStorefrontKey(deps: AccessDeps, operator: Operator, storefrontId: string, keyId: string) {
  requireProvinceAdmin(operator);
  const outcome = await deps.access.revokeKey(storefrontId, keyId, deps.now().toISOString(), operator.subject);
  if (outcome === 'not-found') throw new DomainError('NOT_FOUND', `storefront ${storefrontId} has no key ${keyId}`, 'keyId');
  const key = (await deps.access.keys(storefrontId)).find((k) => k.keyId === keyId)!;
  return { storefrontId, ...keyView(key) };
}

/** A storefront's keys: ids, status and dates (never a hash). */
export async function listStorefrontKeys(deps: AccessDeps, operator: Operator, storefrontId: string) {
  requireProvinceAdmin(operator);
  const storefront = await deps.access.getStorefront(storefrontId);
  if (!storefront) throw storefrontNotFound(storefrontId);
  const keys = (await deps.access.keys(storefrontId)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId));
  return { storefrontId, keys: keys.map(keyView) };
}

export type KeyCheck = { admitted: { storefrontId: string; rateLimitPerSecond: number; merchantOfRecord: boolean } } | { refused: 'not-a-key' | 'unknown-or-revoked'; storefrontId?: string };

/** Is this an active key of an active storefront? Compared by hash, in constant time. */
export async function checkStorefrontKey(deps: Pick<AccessDeps, 'access'>, apiKey: string | undefined): Promise<KeyCheck> {
  const presented = parseStorefrontKey(apiKey);
  if (!presented) return { refused: 'not-a-key' };
  const { storefront, key } = await deps.access.credentials(presented.storefrontId, presented.keyId);
  if (!storefront || storefront.status !== 'ACTIVE' || !key || key.status !== 'ACTIVE' || !secretMatches(presented.secret, key.keyHash)) {
    return { refused: 'unknown-or-revoked', storefrontId: presented.storefrontId };
  }
  return { admitted: { storefrontId: storefront.storefrontId, rateLimitPerSecond: storefront.rateLimitPerSecond, merchantOfRecord: storefront.merchantOfRecord === true } };
}

/** The province's storefronts (a province admin): what each is, never a key. */
export async function listStorefronts(deps: Pick<AccessDeps, 'access'>, operator: Operator, query: { limit: number; cursor?: string }) {
  requireProvinceAdmin(operator);
  const page = await deps.access.storefronts(query.limit, query.cursor);
  if (page === 'invalid-cursor') throw new DomainError('VALIDATION_FAILED', 'query.cursor: is not a cursor this API gave out for this list', 'query.cursor');
  return {
    storefronts: page.items.map(({ storefrontId, name, rateLimitPerSecond, merchantOfRecord, status, activeKeys, createdAt }) => ({
      storefrontId, name, rateLimitPerSecond, merchantOfRecord: merchantOfRecord === true, status, activeKeys, createdAt,
    })),
    ...(page.cursor ? { nextCursor: page.cursor } : {}),
  };
}
