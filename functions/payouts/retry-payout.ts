import { EmptyBody, PayoutPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { payoutDeps } from './deps.js';
import { retryPayout } from './service.js';

const deps = payoutDeps();

/** POST /payouts/{payoutId}/retry: an operator of the county submits a FAILED payout again, under its one id. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { payoutId } = parsePath(PayoutPath, event);
  parseBody(EmptyBody, event);
  return json(200, await retryPayout(deps, operator, payoutId));
});
