import { powertoolsHandler } from '../shared/handler.js';
import { logger } from '../shared/powertools.js';
import { reconciliationDeps } from './deps.js';
import { reconcileYesterday } from './service.js';

const deps = reconciliationDeps();

/** Scheduled hourly: yesterday's WeChat Pay bills against the books, once they exist (from 10:00 China time). */
export const handler = powertoolsHandler(async () => {
  const result = await reconcileYesterday(deps);
  logger.info('daily reconciliation', result);
  return result;
});
