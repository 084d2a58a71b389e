import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { powertoolsHandler } from '../shared/handler.js';
import { logger } from '../shared/powertools.js';
import { accessDeps } from './deps.js';
import { checkStorefrontKey } from './service.js';

type Result = APIGatewaySimpleAuthorizerWithContextResult<{ storefrontId: string; rateLimitPerSecond: number; merchantOfRecord: boolean }>;

const deps = accessDeps();

/**
 * The HTTP API's Lambda authorizer for storefront routes (simple responses, cached by key).
 * Never logs the key.
 */
export const handler = powertoolsHandler(async (event: APIGatewayRequestAuthorizerEventV2): Promise<Result> => {
  const check = await checkStorefrontKey(deps, event.headers?.['x-api-key']);
  if ('admitted' in check) return { isAuthorized: true, context: check.admitted };
  if (check.storefrontId) logger.info('storefront key refused', { storefrontId: check.storefrontId });
  return { isAuthorized: false, context: { storefrontId: '', rateLimitPerSecond: 0, merchantOfRecord: false } };
});
