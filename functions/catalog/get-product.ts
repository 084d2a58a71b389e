import { ProductPath } from '../contracts/api.js';
import { admitStorefront, httpHandler, json, parsePath } from '../shared/http.js';
import { catalogDeps } from './deps.js';
import { getProduct } from './service.js';

const deps = catalogDeps();

export const handler = httpHandler(async (event) => {
  await admitStorefront(event);
  const { productId } = parsePath(ProductPath, event);
  return json(200, await getProduct(deps, productId));
});
