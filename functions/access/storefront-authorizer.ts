import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { accessStore } from '../adapters/access-store.js';
import { parseStorefrontKey, secretMatches } from '../domain/storefront-key.js';
import { powertoolsHandler } from '../shared/handler.js';
import { logger } from '../shared/powertools.js';

type Result = APIGatewaySimpleAuthorizerWithContextResult<{ storefrontId: string; rateLimitPerSecond: number }>;

/**
 * The HTTP API's Lambda authorizer for storefront routes (simple responses, cached by key).
 * Never logs the key.
 */
export const handler = powertoolsHandler(async (event: APIGatewayRequestAuthorizerEventV2): Promise<Result> => {
  const presented = parseStorefrontKey(event.headers?.['x-api-key']);
  const denied: Result = { isAuthorized: false, context: { storefrontId: '', rateLimitPerSecond: 0 } };
  if (!presented) return denied;
  const storefront = await accessStore.getStorefront(presented.storefrontId);
  if (!storefront || storefront.status !== 'ACTIVE' || !secretMatches(presented.secret, storefront.keyHash)) {
    logger.info('storefront key refused', { storefrontId: presented.storefrontId });
    return denied;
  }
  return { isAuthorized: true, context: { storefrontId: storefront.storefrontId, rateLimitPerSecond: storefront.rateLimitPerSecond } };
});
