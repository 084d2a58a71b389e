/**
 * Report periods in China time (UTC+08:00, no daylight saving): calendar months (`2026-11`) and
 * ISO 8601 weeks (`2026-W48`: weeks start Monday 00:00 +08:00; week 1 is the week with the year's
 * first Thursday, so the ISO week-numbering year can differ from the calendar year at its ends).
 * Pure: instants in, keys and [from, to) ranges out.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export type PeriodKind = 'month' | 'week';
export interface Period {
  kind: PeriodKind;
  key: string;
  /** First instant of the period (inclusive). */
  from: Date;
  /** First instant after it (exclusive). */
  to: Date;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The China-time calendar date of an instant, as a UTC-midnight timestamp (date arithmetic only). */
function chinaDay(instant: Date): number {
  const t = instant.getTime() + CHINA_OFFSET_MS;
  return t - (((t % DAY_MS) + DAY_MS) % DAY_MS);
}

/** Monday = 1 … Sunday = 7 of a UTC-midnight day. */
const isoWeekday = (day: number) => ((new Date(day).getUTCDay() + 6) % 7) + 1;

/** The ISO week-numbering year and week of a calendar day. */
function isoWeekOfDay(day: number): { year: number; week: number } {
  const thursday = day + (4 - isoWeekday(day)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  return { year, week: Math.floor((thursday - jan1) / DAY_MS / 7) + 1 };
}

/** The Monday (UTC-midnight day) of week 1 of an ISO week-numbering year. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - (isoWeekday(jan4) - 1) * DAY_MS;
}

/** 52 or 53: the weeks of an ISO week-numbering year. */
export function weeksInIsoYear(year: number): number {
  return isoWeekOfDay(Date.UTC(year, 11, 28)).week;
}

export function monthKeyOf(instant: Date): string {
  const d = new Date(chinaDay(instant));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}`;
}

export function weekKeyOf(instant: Date): string {
  const { year, week } = isoWeekOfDay(chinaDay(instant));
  return `${pad(year, 4)}-W${pad(week)}`;
}

/** The week and the month an instant falls in (China time). */
export function periodsOf(instant: Date): { week: string; month: string } {
  return { week: weekKeyOf(instant), month: monthKeyOf(instant) };
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const WEEK = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** A period key read back: undefined when it is neither a month (`2026-11`) nor an existing ISO week (`2026-W48`). */
export function parsePeriod(key: string): Period | undefined {
  const month = MONTH.exec(key);
  if (month) {
    const year = Number(month[1]);
    const m = Number(month[2]) - 1;
    if (year < 2000 || year > 2999) return undefined;
    return { kind: 'month', key, from: new Date(Date.UTC(year, m, 1) - CHINA_OFFSET_MS), to: new Date(Date.UTC(year, m + 1, 1) - CHINA_OFFSET_MS) };
  }
  const week = WEEK.exec(key);
  if (week) {
    const year = Number(week[1]);
    const w = Number(week[2]);
    if (year < 2000 || year > 2999 || w > weeksInIsoYear(year)) return undefined;
    const monday = week1Monday(year) + (w - 1) * 7 * DAY_MS;
    return { kind: 'week', key, from: new Date(monday - CHINA_OFFSET_MS), to: new Date(monday + 7 * DAY_MS - CHINA_OFFSET_MS) };
  }
  return undefined;
}
