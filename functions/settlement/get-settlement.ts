import { ShowPath } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parsePath } from '../shared/http.js';
import { settlementDeps } from './deps.js';
import { getSettlement } from './service.js';
import { settlementCsv, settlementView } from './views.js';

const deps = settlementDeps();

/** GET /shows/{showId}/settlement (JSON) and /settlement.csv (the statement for Excel). */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { showId } = parsePath(ShowPath, event);
  const settlement = await getSettlement(deps, operator, showId);
  if (!event.rawPath.endsWith('.csv')) return json(200, settlementView(settlement));
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="settlement-${showId}.csv"`,
    },
    body: settlementCsv(settlement),
  };
});
