import { accessStore } from '../adapters/access-store.js';
import { CreateStorefrontBody } from '../contracts/api.js';
import { requireProvinceAdmin } from '../domain/access.js';
import { issueStorefrontKey } from '../domain/storefront-key.js';
import { httpHandler, json, operatorOf, parseBody } from '../shared/http.js';

/** POST /storefronts (province admin): the key is in this answer and nowhere else, ever. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  requireProvinceAdmin(operator);
  const body = parseBody(CreateStorefrontBody, event);
  const { storefrontId, apiKey, keyHash } = issueStorefrontKey();
  const createdAt = new Date().toISOString();
  await accessStore.putStorefront({ storefrontId, name: body.name, keyHash, rateLimitPerSecond: body.rateLimitPerSecond, status: 'ACTIVE', createdAt, createdBy: operator.subject });
  return json(201, { storefrontId, name: body.name, rateLimitPerSecond: body.rateLimitPerSecond, apiKey, createdAt, note: 'Store this key now: it is shown once and cannot be read again.' }, { 'cache-control': 'no-store' });
});
