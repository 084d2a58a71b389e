/** The runtime configuration the province serves beside the console (`/console/config.json`). */
export interface ConsoleConfig {
  provinceId: string;
  /** The API's base URL; "" is the console's own origin. */
  apiUrl: string;
  /** The OIDC issuer (the Cognito user pool, or the local identity provider). */
  authority: string;
  clientId: string;
  counties: { id: string; name: string; channels: { id: string; name?: string }[] }[];
  logoutUrl?: string;
}

export class ConfigError extends Error {}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!response.ok) throw new ConfigError(`config.json: HTTP ${response.status}`);
  const raw = (await response.json()) as Partial<ConsoleConfig>;
  const str = (v: unknown): v is string => typeof v === 'string';
  if (!str(raw.provinceId) || !str(raw.authority) || !raw.authority || !str(raw.clientId) || !raw.clientId || !Array.isArray(raw.counties)) {
    throw new ConfigError('config.json: provinceId, authority, clientId and counties are required');
  }
  for (const c of raw.counties) {
    if (!c || !str(c.id) || !str(c.name) || !Array.isArray(c.channels)) throw new ConfigError('config.json: each county needs id, name and channels');
  }
  return {
    provinceId: raw.provinceId,
    apiUrl: str(raw.apiUrl) ? raw.apiUrl.replace(/\/+$/, '') : '',
    authority: raw.authority,
    clientId: raw.clientId,
    counties: raw.counties,
    ...(str(raw.logoutUrl) && raw.logoutUrl ? { logoutUrl: raw.logoutUrl } : {}),
  };
}
