import { reportStore } from '../adapters/report-store.js';
import { settlementStore } from '../adapters/settlement-store.js';
import { showStore } from '../adapters/show-store.js';
import type { ReportsDeps } from './ports.js';

/** The production wiring of the reports: its own table, the settlements (a key query per show) and the show's times. */
export const reportsDeps = (): ReportsDeps => ({
  reports: reportStore,
  settlements: settlementStore,
  shows: showStore,
  now: () => new Date(),
});
