import { PayeeBody, SellerPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { logger } from '../shared/powertools.js';
import { catalogDeps } from './deps.js';
import { setPayee } from './service.js';

const deps = catalogDeps();

/** PUT /sellers/{sellerId}/payee: the details are written apart and answered masked; never logged. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { sellerId } = parsePath(SellerPath, event);
  const payee = parseBody(PayeeBody, event);
  const seller = await setPayee(deps, operator, sellerId, payee);
  logger.info('payee set', { sellerId, kind: payee.kind, by: operator.subject });
  return json(200, seller);
});
