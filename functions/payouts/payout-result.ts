import { PayoutPath, PayoutResultBody } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { logger } from '../shared/powertools.js';
import { payoutDeps } from './deps.js';
import { recordBankResult } from './service.js';

const deps = payoutDeps();

/** POST /payouts/{payoutId}/result: a province admin records the bank's answer for one line of a batch. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { payoutId } = parsePath(PayoutPath, event);
  const { succeeded, reason } = parseBody(PayoutResultBody, event);
  const payout = await recordBankResult(deps, operator, payoutId, succeeded, reason);
  logger.info('bank result recorded', { payoutId, succeeded, by: operator.subject });
  return json(200, payout);
});
