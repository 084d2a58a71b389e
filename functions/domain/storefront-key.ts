/**
 * Storefront API keys: `sfk_<storefrontId>_<keyId>_<secret>`. A storefront may hold two active
 * keys at once, so it can rotate without downtime. Only a hash of the secret is kept; a key is
 * checked by hashing what was presented and comparing in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY = /^sfk_([a-f0-9]{16})_([a-f0-9]{8})_([A-Za-z0-9_-]{43})$/;

/** At most this many active keys per storefront: the one in use and its replacement. */
export const MAX_ACTIVE_KEYS = 2;

export const newStorefrontId = () => randomBytes(8).toString('hex');

export function issueStorefrontKey(storefrontId: string): { keyId: string; apiKey: string; keyHash: string } {
  const keyId = randomBytes(4).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, apiKey: `sfk_${storefrontId}_${keyId}_${secret}`, keyHash: hashSecret(secret) };
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** The storefront and key a key claims to be, and its secret; undefined for anything that is not a key. */
export function parseStorefrontKey(apiKey: string | undefined): { storefrontId: string; keyId: string; secret: string } | undefined {
  const m = apiKey ? KEY.exec(apiKey) : null;
  return m ? { storefrontId: m[1]!, keyId: m[2]!, secret: m[3]! } : undefined;
}

export function secretMatches(secret: string, keyHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(keyHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
