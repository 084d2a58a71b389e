import { PendingRefundsQuery } from '../contracts/api.js';
import { httpHandler, json, operatorOf, validate } from '../shared/http.js';
import { settlementDeps } from './deps.js';
import { pendingRefunds } from './service.js';

const deps = settlementDeps();

/** GET /refunds?countyId=: refunds asked after settlement, waiting for the county's decision. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { countyId } = validate(PendingRefundsQuery, event.queryStringParameters ?? {}, 'query');
  return json(200, await pendingRefunds(deps, operator, countyId));
});
