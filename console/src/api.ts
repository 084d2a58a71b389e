/**
 * The API client: typed from docs/openapi.json (openapi-typescript's `paths`), called through
 * openapi-fetch. Every call carries the operator's ID token; a 401 forgets the user and signs in
 * again. Failures become an `ApiFailure` the pages translate (code → message, field → input).
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../clients/typescript/src/schema.js';

export type { components, paths };
export type Schemas = components['schemas'];
export type Seller = Schemas['Seller'];
export type Product = Schemas['Product'];
export type StockChange = Schemas['StockChange'];
export type OperatorShow = Schemas['OperatorShow'];
export type CountyShow = Schemas['CountyShowList']['shows'][number];
export type ShowStatus = CountyShow['status'];
export type Storefront = Schemas['StorefrontList']['storefronts'][number];
export type StorefrontKey = Schemas['StorefrontKeys']['keys'][number];
export type LineupItem = NonNullable<paths['/shows/{showId}/lineup']['put']['requestBody']>['content']['application/json']['lineup'][number];
export type CreateShowBody = NonNullable<paths['/shows']['post']['requestBody']>['content']['application/json'];
export type ErrorCode = Schemas['Error']['error']['code'];

/** `NETWORK`: no answer (offline, DNS, CORS); `HTTP`: an answer without the API's error shape. */
export type FailureCode = ErrorCode | 'NETWORK' | 'HTTP';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: FailureCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
  /** Worth trying again as it is: no answer, a server error, throttling. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

export interface ApiOptions {
  baseUrl: string;
  token: () => Promise<string | null>;
  onUnauthorized: () => void;
}

export function createApi({ baseUrl, token, onUnauthorized }: ApiOptions) {
  const client = createClient<paths>({ baseUrl: baseUrl || (globalThis as { location?: { origin: string } }).location!.origin });
  const auth: Middleware = {
    async onRequest({ request }) {
      const t = await token();
      if (t) request.headers.set('Authorization', `Bearer ${t}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized();
      return response;
    },
  };
  client.use(auth);
  return client;
}

export type Api = ReturnType<typeof createApi>;

/** The data of an openapi-fetch call, or an ApiFailure thrown. */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (e) {
    throw new ApiFailure(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = error as { error?: { code?: string; message?: string; field?: string }; message?: string } | undefined;
  if (body?.error?.code) throw new ApiFailure(response.status, body.error.code as ErrorCode, body.error.message ?? '', body.error.field);
  const code: FailureCode = response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : response.status === 429 ? 'RATE_LIMITED' : 'HTTP';
  throw new ApiFailure(response.status, code, body?.message ?? response.statusText);
}

/** A read that answers null for 404 (no settlement yet, no payouts yet, no report for the period). */
export async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 404) return null;
    throw error;
  }
}
