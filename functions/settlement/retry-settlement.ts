import { EmptyBody, ShowPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parseBody, parsePath } from '../shared/http.js';
import { settlementDeps } from './deps.js';
import { rerunSettlement } from './service.js';

const deps = settlementDeps();

/** An operator re-runs a FAILED settlement; the settlement sweep picks it up within a minute. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { showId } = parsePath(ShowPath, event);
  parseBody(EmptyBody, event);
  const settlement = await rerunSettlement(deps, operator, showId);
  return json(202, { showId, status: settlement.status, dueAt: settlement.dueAt });
});
