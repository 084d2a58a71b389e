/** The reports context: period reports per county and for the province, kept from settlement events. */
import type { Report } from '../domain/report.js';
import type { SettlementWithStatements } from '../settlement/ports.js';

export type ReportScope = { kind: 'county'; countyId: string } | { kind: 'province' };

/** One report item to write: its scope and period, the version it was read at (0: absent), and what it becomes. */
export interface ReportWrite {
  scope: ReportScope;
  period: string;
  readVersion: number;
  report: Report;
}

export interface StoredReport { report: Report; version: number }

export interface ReportStore {
  /** Some report items at once (BatchGetItem, strongly consistent); absent ones are missing from the map, keyed `reportId(scope, period)`. */
  read(items: { scope: ReportScope; period: string }[]): Promise<Map<string, StoredReport>>;
  /** One report item (GetItem). */
  get(scope: ReportScope, period: string): Promise<StoredReport | undefined>;
  /**
   * Writes the reports and an applied marker for `eventId` beside each, in one transaction:
   * 'already-applied' when the event was applied to them before (nothing written), 'conflict'
   * when a report changed since it was read (read again and retry).
   */
  apply(eventId: string, writes: ReportWrite[]): Promise<'applied' | 'already-applied' | 'conflict'>;
}

/** A show's settlement, statements and adjustments (one key query). */
export interface SettlementRecords {
  getWithStatements(showId: string): Promise<SettlementWithStatements>;
}

/** When a show was live. */
export interface ShowTimes {
  getShow(showId: string): Promise<{ startedAt?: string; endedAt?: string } | undefined>;
}

export interface ReportsDeps {
  reports: ReportStore;
  settlements: SettlementRecords;
  shows: ShowTimes;
  now: () => Date;
}

/** The one name of a report item within the context (not a storage key). */
export const reportId = (scope: ReportScope, period: string) => (scope.kind === 'county' ? `county:${scope.countyId}:${period}` : `province:${period}`);
