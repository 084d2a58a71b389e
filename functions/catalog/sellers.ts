import { EditSellerBody, ListSellersQuery, SellerPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath, validate } from '../shared/http.js';
import { catalogDeps } from './deps.js';
import { editSeller, getSeller, listSellers } from './service.js';

const deps = catalogDeps();

/** GET /sellers?countyId= (a county's sellers), GET /sellers/{sellerId}, PATCH /sellers/{sellerId} (from the version read). Payees masked. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  if (!event.pathParameters?.sellerId) {
    const query = validate(ListSellersQuery, event.queryStringParameters ?? {}, 'query');
    const { countyId, items, cursor } = await listSellers(deps, operator, query);
    return json(200, { countyId, sellers: items, ...(cursor ? { nextCursor: cursor } : {}) });
  }
  const { sellerId } = parsePath(SellerPath, event);
  if (event.requestContext.http.method === 'PATCH') {
    const { version, ...edit } = parseBody(EditSellerBody, event);
    return json(200, await editSeller(deps, operator, sellerId, version, edit));
  }
  return json(200, await getSeller(deps, operator, sellerId));
});
