/**
 * Storefront API keys: `sfk_<storefrontId>_<secret>`. Only a hash of the secret is kept; a key is
 * checked by hashing what was presented and comparing in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY = /^sfk_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

export function issueStorefrontKey(): { storefrontId: string; apiKey: string; keyHash: string } {
  const storefrontId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { storefrontId, apiKey: `sfk_${storefrontId}_${secret}`, keyHash: hashSecret(secret) };
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** The storefront a key claims to be, and its secret; undefined for anything that is not a key. */
export function parseStorefrontKey(apiKey: string | undefined): { storefrontId: string; secret: string } | undefined {
  const m = apiKey ? KEY.exec(apiKey) : null;
  return m ? { storefrontId: m[1]!, secret: m[2]! } : undefined;
}

export function secretMatches(secret: string, keyHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(keyHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
