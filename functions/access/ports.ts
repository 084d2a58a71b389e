/** The access context: storefronts and their keys. */
export interface Storefront {
  storefrontId: string;
  name: string;
  rateLimitPerSecond: number;
  /** It collects its buyers' money itself (and answers for it): it may report payments. Otherwise its buyers pay the province through the payment provider. */
  merchantOfRecord?: boolean;
  status: 'ACTIVE' | 'REVOKED';
  /** Keys not revoked. */
  activeKeys: number;
  createdAt: string;
  createdBy: string;
}

export interface StorefrontKey {
  storefrontId: string;
  keyId: string;
  /** SHA-256 (hex) of the key's secret part; the key itself is shown once and never stored. */
  keyHash: string;
  status: 'ACTIVE' | 'REVOKED';
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

export interface AccessStore {
  /** A new storefront with its first key, together. */
  putStorefront(storefront: Storefront, key: StorefrontKey): Promise<void>;
  getStorefront(storefrontId: string): Promise<Storefront | undefined>;
  /** The storefront and one of its keys (what the authorizer checks), in one read. */
  credentials(storefrontId: string, keyId: string): Promise<{ storefront?: Storefront; key?: StorefrontKey }>;
  /** Adds a key while the storefront has fewer than `maxActive` active keys. */
  addKey(key: StorefrontKey, maxActive: number): Promise<'added' | 'limit' | 'no-storefront'>;
  /** ACTIVE → REVOKED; 'already' when it was revoked before. */
  revokeKey(storefrontId: string, keyId: string, at: string, by: string): Promise<'revoked' | 'already' | 'not-found'>;
  keys(storefrontId: string): Promise<StorefrontKey[]>;
  /** The province's storefronts in the order they were issued, a page at a time; a cursor this store did not give out is refused. */
  storefronts(limit: number, cursor?: string): Promise<{ items: Storefront[]; cursor?: string } | 'invalid-cursor'>;
}
