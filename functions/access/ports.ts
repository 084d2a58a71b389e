/** The access context: storefronts and their keys. */
export interface Storefront {
  storefrontId: string;
  name: string;
  /** SHA-256 (hex) of the key's secret part; the key itself is shown once and never stored. */
  keyHash: string;
  rateLimitPerSecond: number;
  status: 'ACTIVE' | 'REVOKED';
  createdAt: string;
  createdBy: string;
}

export interface AccessStore {
  putStorefront(storefront: Storefront): Promise<void>;
  getStorefront(storefrontId: string): Promise<Storefront | undefined>;
}
