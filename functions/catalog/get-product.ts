import { catalogStore } from '../adapters/catalog-store.js';
import { ProductPath } from '../contracts/api.js';
import { httpHandler, json, parsePath, storefrontOf } from '../shared/http.js';
import { getProduct } from './service.js';

export const handler = httpHandler(async (event) => {
  storefrontOf(event);
  const { productId } = parsePath(ProductPath, event);
  return json(200, await getProduct({ catalog: catalogStore }, productId));
});
