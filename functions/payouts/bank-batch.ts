import { BankBatchQuery } from '../contracts/api.js';
import { httpHandler, operatorOf, validate } from '../shared/http.js';
import { logger } from '../shared/powertools.js';
import { payoutDeps } from './deps.js';
import { bankBatchCsv } from './service.js';

const deps = payoutDeps();

/** GET /payouts/bank-batch.csv?date=: the day's bank batch (accounts in full: never cached, never logged). */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { date } = validate(BankBatchQuery, event.queryStringParameters ?? {}, 'query');
  const batch = await bankBatchCsv(deps, operator, date);
  logger.info('bank batch downloaded', { date, lines: batch.lines, totalFen: batch.totalFen, by: operator.subject });
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="bank-batch-${date}.csv"`, 'cache-control': 'no-store' },
    body: batch.csv,
  };
});
