import { EmptyBody, ReconciliationPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { logger } from '../shared/powertools.js';
import { reconciliationDeps } from './deps.js';
import { getReconciliation, runReconciliation } from './service.js';

const deps = reconciliationDeps();

/** GET /reconciliation/{date}: the day's result; POST: reconcile it now (province admins). */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { date } = parsePath(ReconciliationPath, event);
  if (event.requestContext.http.method === 'POST') {
    parseBody(EmptyBody, event);
    const result = await runReconciliation(deps, operator, date);
    logger.info('reconciled on request', { date, status: result.reconciliation.status, mismatches: result.mismatches.length, by: operator.subject });
    return json(200, result);
  }
  return json(200, await getReconciliation(deps, operator, date));
});
