import { BankReturnsBody } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody } from '../shared/http.js';
import { logger } from '../shared/powertools.js';
import { payoutDeps } from './deps.js';
import { importBankReturns } from './service.js';

const deps = payoutDeps();

/** POST /payouts/bank-returns: a province admin imports the bank's return file for a batch. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { file } = parseBody(BankReturnsBody, event);
  const imported = await importBankReturns(deps, operator, file);
  logger.info('bank return file imported', { lines: imported.lines, succeeded: imported.succeeded, failed: imported.failed, already: imported.already, refused: imported.refused, by: operator.subject });
  return json(200, imported);
});
