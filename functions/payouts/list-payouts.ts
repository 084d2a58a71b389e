import { ShowPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parsePath } from '../shared/http.js';
import { payoutDeps } from './deps.js';
import { listPayouts } from './service.js';

const deps = payoutDeps();

/** GET /shows/{showId}/payouts: the county's operators see each seller's payout (payees masked). */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { showId } = parsePath(ShowPath, event);
  return json(200, await listPayouts(deps, operator, showId));
});
