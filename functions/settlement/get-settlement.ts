import { settlementStore } from '../adapters/settlement-store.js';
import { ShowPath } from '../contracts/api.js';
import { DomainError } from '../domain/errors.js';
import { requireCounty } from '../domain/access.js';
import { httpHandler, json, operatorOf, parsePath } from '../shared/http.js';
import { settlementCsv, settlementView } from './views.js';

/** GET /shows/{showId}/settlement (JSON) and /settlement.csv (the statement for Excel). */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { showId } = parsePath(ShowPath, event);
  const record = await settlementStore.record(showId);
  const notFound = () => new DomainError('NOT_FOUND', `show ${showId} has no settlement (yet)`, 'showId');
  if (!record.settlement) throw notFound();
  requireCounty(operator, record.settlement.countyId, notFound);
  if (!event.rawPath.endsWith('.csv')) return json(200, settlementView(record));
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="settlement-${showId}.csv"`,
    },
    body: settlementCsv(record),
  };
});
