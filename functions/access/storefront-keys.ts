import { EmptyBody, StorefrontKeyPath, StorefrontPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { accessDeps } from './deps.js';
import { addStorefrontKey, listStorefrontKeys, revokeStorefrontKey } from './service.js';

const deps = accessDeps();

/** A province admin rotates a storefront's keys: list them, issue a second one, revoke one. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const noStore = { 'cache-control': 'no-store' };
  switch (event.requestContext.http.method) {
    case 'POST': {
      const { storefrontId } = parsePath(StorefrontPath, event);
      parseBody(EmptyBody, event);
      return json(201, await addStorefrontKey(deps, operator, storefrontId), noStore);
    }
    case 'DELETE': {
      const { storefrontId, keyId } = parsePath(StorefrontKeyPath, event);
      return json(200, await revokeStorefrontKey(deps, operator, storefrontId, keyId));
    }
    default: {
      const { storefrontId } = parsePath(StorefrontPath, event);
      return json(200, await listStorefrontKeys(deps, operator, storefrontId));
    }
  }
});
