import { EditProductBody, ListProductsQuery, PageQuery, ProductPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath, validate } from '../shared/http.js';
import { catalogDeps } from './deps.js';
import { editProduct, listProducts, productStockChanges } from './service.js';

const deps = catalogDeps();

/**
 * For operators: GET /products?countyId=&sellerId= (a county's products), GET
 * /products/{productId}/stock-changes (the product with its version and stock record), PATCH
 * /products/{productId} (name, unit, price, from the version read).
 */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  if (!event.pathParameters?.productId) {
    const query = validate(ListProductsQuery, event.queryStringParameters ?? {}, 'query');
    const { countyId, items, cursor } = await listProducts(deps, operator, query);
    return json(200, { countyId, products: items, ...(cursor ? { nextCursor: cursor } : {}) });
  }
  const { productId } = parsePath(ProductPath, event);
  if (event.requestContext.http.method === 'PATCH') {
    const { version, ...edit } = parseBody(EditProductBody, event);
    return json(200, await editProduct(deps, operator, productId, version, edit));
  }
  const query = validate(PageQuery, event.queryStringParameters ?? {}, 'query');
  const { product, items, cursor } = await productStockChanges(deps, operator, productId, query);
  return json(200, { product, changes: items, ...(cursor ? { nextCursor: cursor } : {}) });
});
