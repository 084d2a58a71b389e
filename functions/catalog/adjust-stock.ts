import { AdjustStockBody, ProductPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { logger } from '../shared/powertools.js';
import { catalogDeps } from './deps.js';
import { adjustStock } from './service.js';

const deps = catalogDeps();

/** POST /products/{productId}/stock: units added or removed with a reason (never below zero), recorded. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { productId } = parsePath(ProductPath, event);
  const body = parseBody(AdjustStockBody, event);
  const result = await adjustStock(deps, operator, productId, body);
  logger.info('stock changed', { productId, deltaUnits: body.deltaUnits, by: operator.subject });
  return json(200, result);
});
