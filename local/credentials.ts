/** Credentials to try the local province with: operator tokens from the local identity provider and a storefront key issued through the API. */
import { randomUUID } from 'node:crypto';
import type { Province } from '../province/config/index.js';
import type { LocalIdentityProvider } from './auth.js';

/** What the local province issues at start for trying it out (also written to <stateDir>/credentials.json). */
export interface LocalCredentials {
  /** Operator ID tokens (Authorization: Bearer …): one per county, and a province admin. */
  operators: Record<string, string>;
  /** A storefront and its API key (x-api-key). */
  storefront: { storefrontId: string; apiKey: string };
  issuer: string;
  audience: string;
}

const TOKEN_SECONDS = 30 * 24 * 3600;

/**
 * Operator tokens (30 days): a province admin and one operator per county, issued afresh at each
 * start; a storefront issued through the API by the admin, unless one was issued on this data
 * before (`--data`: the same key keeps working across restarts, and sees its orders).
 */
export async function issueLocalCredentials(idp: LocalIdentityProvider, province: Province, url: string, kept?: LocalCredentials['storefront']): Promise<LocalCredentials> {
  const operators: Record<string, string> = {
    admin: idp.issue({ sub: randomUUID(), email: 'admin@province.local', 'cognito:groups': ['province-admin'] }, TOKEN_SECONDS),
  };
  for (const county of province.counties) {
    operators[county.id] = idp.issue({ sub: randomUUID(), email: `operator@${county.id}.local`, 'custom:county': county.id }, TOKEN_SECONDS);
  }
  const issued: LocalCredentials['storefront'] = kept ?? await fetch(`${url}/storefronts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${operators.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Local demo storefront', rateLimitPerSecond: 1000 }),
  }).then((r) => r.json() as Promise<{ storefrontId: string; apiKey: string }>);
  return { operators, storefront: { storefrontId: issued.storefrontId, apiKey: issued.apiKey }, issuer: idp.issuer, audience: idp.audience };
}
