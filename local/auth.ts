/**
 * The local province's stand-ins for the API's two authorizers, checking what the cloud checks:
 * - operators: RS256 JWTs from a local identity provider with a JWKS endpoint, verified for
 *   signature, issuer, audience and expiry like the HTTP API JWT authorizer does with Cognito;
 * - storefronts: the real API-key authorizer function, its answers cached per key like the
 *   HTTP API caches a Lambda authorizer's.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign, verify } from 'node:crypto';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class LocalIdentityProvider {
  private readonly kid = randomUUID();
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(readonly issuer: string, readonly audience: string) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  jwks(): { keys: object[] } {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  /** An ID token as Cognito would issue it for an operator. */
  issue(claims: Record<string, unknown>, lifetimeSeconds: number): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'RS256', kid: this.kid, typ: 'JWT' }));
    const payload = b64url(JSON.stringify({ iss: this.issuer, aud: this.audience, token_use: 'id', iat: now, exp: now + lifetimeSeconds, ...claims }));
    return `${header}.${payload}.${b64url(sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey))}`;
  }

  /**
   * The claims of a valid token, in the shape the HTTP API passes them to the function (string
   * values, arrays as "[a b]"), or undefined (the API answers 401).
   */
  verify(authorization: string | undefined): Record<string, string> | undefined {
    const token = authorization?.replace(/^Bearer\s+/i, '');
    const parts = token?.split('.');
    if (!parts || parts.length !== 3) return undefined;
    try {
      const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      if (header.alg !== 'RS256' || header.kid !== this.kid) return undefined;
      const key = createPublicKey({ key: this.jwks().keys[0] as never, format: 'jwk' });
      if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2]!, 'base64url'))) return undefined;
      const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
      const now = Date.now() / 1000;
      if (claims.iss !== this.issuer || claims.aud !== this.audience || typeof claims.exp !== 'number' || claims.exp <= now) return undefined;
      if (typeof claims.nbf === 'number' && claims.nbf > now) return undefined;
      return Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]));
    } catch {
      return undefined;
    }
  }
}

/** Lambda-authorizer results cached per identity, for `ttlMs` of real time. */
export class AuthorizerCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  constructor(private readonly ttlMs: number) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > performance.now()) return hit.value;
    const value = await load();
    this.entries.set(key, { value, until: performance.now() + this.ttlMs });
    return value;
  }
}
