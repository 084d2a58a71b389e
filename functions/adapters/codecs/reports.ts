/**
 * The reports table's layout: one item per county (or the province) and period, and beside it one
 * marker per event applied to it. The only code that knows these keys.
 */
import type { Report } from '../../domain/report.js';
import type { ReportScope } from '../../reports/ports.js';
import { type Item, strip } from './item.js';

const partition = (scope: ReportScope, period: string) => (scope.kind === 'county' ? `REPORT#COUNTY#${scope.countyId}#${period}` : `REPORT#PROVINCE#${period}`);

export const reportsTable = {
  reportKey: (scope: ReportScope, period: string) => ({ pk: partition(scope, period), sk: 'REPORT' }),
  /** An event applied to a report: kept beside it, written in the same transaction (never updated). */
  appliedKey: (scope: ReportScope, period: string, eventId: string) => ({ pk: partition(scope, period), sk: `APPLIED#${eventId}` }),
  reportItem: (scope: ReportScope, period: string, report: Report, version: number): Item => ({ ...reportsTable.reportKey(scope, period), ...report, version }),
  appliedItem: (scope: ReportScope, period: string, eventId: string, at: string): Item => ({ ...reportsTable.appliedKey(scope, period, eventId), eventId, at }),
  toReport: (item: Item): { report: Report; version: number } => {
    const { version, ...report } = strip<Report & { version: number }>(item, ['pk', 'sk']);
    return { report: { ...report, updatedAt: report.updatedAt ?? null }, version: Number(version) };
  },
  /** Which report an item is (from its partition key). */
  isReport: (item: Item) => item.sk === 'REPORT',
};
