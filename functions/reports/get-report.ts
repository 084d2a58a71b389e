import { CountyPath, ReportQuery } from '../contracts/api.js';
import { httpHandler, json, operatorOf, parsePath, validate } from '../shared/http.js';
import { reportsDeps } from './deps.js';
import { countyReport, provinceReport } from './service.js';
import { reportCsv, reportView } from './views.js';

const deps = reportsDeps();

/** GET /reports/counties/{countyId}[.csv]?period= and GET /reports/province[.csv]?period=. */
export const handler = httpHandler(async (event) => {
  const operator = operatorOf(event);
  const { period } = validate(ReportQuery, event.queryStringParameters ?? {}, 'query');
  const report = event.pathParameters?.countyId !== undefined
    ? await countyReport(deps, operator, parsePath(CountyPath, event).countyId, period)
    : await provinceReport(deps, operator, period);
  if (!event.rawPath.endsWith('.csv')) return json(200, reportView(report));
  const name = report.scope.kind === 'county' ? `report-${report.scope.countyId}-${period}.csv` : `report-province-${period}.csv`;
  return { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` }, body: reportCsv(report) };
});
