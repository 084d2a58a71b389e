/**
 * Report periods, in China time (UTC+8 all year): a calendar month (`2026-11`) or an ISO week
 * (`2026-W48`, Monday to Sunday, week 1 holding the year's first Thursday). Pure functions on
 * instants and keys; the browser's own zone plays no part.
 */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY = 24 * 60 * 60 * 1000;

export type PeriodKind = 'month' | 'week';

export type Period =
  | { kind: 'month'; year: number; month: number } // month 1–12
  | { kind: 'week'; year: number; week: number }; // ISO week-numbering year, week 1–53

const p2 = (n: number) => String(n).padStart(2, '0');

/** The China wall-clock date of an instant: `{ year, month (1–12), day }`. */
export function chinaDate(instant: string | number | Date): { year: number; month: number; day: number } {
  const t = new Date(instant).getTime();
  if (Number.isNaN(t)) throw new RangeError(`not an instant: ${String(instant)}`);
  const wall = new Date(t + CHINA_OFFSET_MS);
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** Monday = 0 … Sunday = 6 of a calendar date. */
function weekday(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

/** The ISO week of a calendar date: `2026-12-31` → `{ year: 2026, week: 53 }`, `2027-01-01` → 2026-W53. */
export function isoWeekOfDate(year: number, month: number, day: number): { year: number; week: number } {
  const thursday = Date.UTC(year, month - 1, day) + (3 - weekday(year, month, day)) * DAY;
  const weekYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(weekYear, 0, 1)) / (7 * DAY));
  return { year: weekYear, week };
}

/** How many ISO weeks a week-numbering year has (52 or 53): the week of its 28 December. */
export function weeksInYear(year: number): number {
  return isoWeekOfDate(year, 12, 28).week;
}

/** The UTC date (midnight, epoch ms) of the Monday that starts an ISO week. */
function mondayOf(year: number, week: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - weekday(year, 1, 4) * DAY + (week - 1) * 7 * DAY;
}

export function periodKey(p: Period): string {
  return p.kind === 'month' ? `${p.year}-${p2(p.month)}` : `${p.year}-W${p2(p.week)}`;
}

/** `2026-11` or `2026-W48` (also `2026-w48`, `2026-W1`) → the period; null when it is neither. */
export function parsePeriod(key: string): Period | null {
  const m = /^(\d{4})-(\d{1,2})$/.exec(key.trim());
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? { kind: 'month', year, month } : null;
  }
  const w = /^(\d{4})-[Ww](\d{1,2})$/.exec(key.trim());
  if (w) {
    const year = Number(w[1]);
    const week = Number(w[2]);
    return week >= 1 && week <= weeksInYear(year) ? { kind: 'week', year, week } : null;
  }
  return null;
}

/** The month key of an instant in China time: `2026-11-30T16:00:00Z` → `2026-12`. */
export function monthOf(instant: string | number | Date): string {
  const d = chinaDate(instant);
  return `${d.year}-${p2(d.month)}`;
}

/** The ISO week key of an instant in China time: `2026-12-31T12:00:00+08:00` → `2026-W53`. */
export function isoWeekOf(instant: string | number | Date): string {
  const d = chinaDate(instant);
  const w = isoWeekOfDate(d.year, d.month, d.day);
  return periodKey({ kind: 'week', ...w });
}

/** The period of the given kind holding an instant (China time). */
export function periodOf(kind: PeriodKind, instant: string | number | Date): string {
  return kind === 'month' ? monthOf(instant) : isoWeekOf(instant);
}

/** The period `delta` months or weeks after (before, when negative) `key`. */
export function shiftPeriod(key: string, delta: number): string {
  const p = parsePeriod(key);
  if (!p) throw new RangeError(`not a period: ${key}`);
  if (p.kind === 'month') {
    const index = p.year * 12 + (p.month - 1) + delta;
    return periodKey({ kind: 'month', year: Math.floor(index / 12), month: (index % 12 + 12) % 12 + 1 });
  }
  // A day in the week (its Thursday), moved by whole weeks.
  const thursday = mondayOf(p.year, p.week) + 3 * DAY + delta * 7 * DAY;
  const d = new Date(thursday);
  return periodKey({ kind: 'week', ...isoWeekOfDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) });
}

/**
 * The instants a period covers in China time: `from` (inclusive) and `to` (exclusive), ISO in
 * UTC; `2026-11` → 2026-10-31T16:00:00.000Z … 2026-11-30T16:00:00.000Z.
 */
export function periodRange(key: string): { from: string; to: string } {
  const p = parsePeriod(key);
  if (!p) throw new RangeError(`not a period: ${key}`);
  const start = p.kind === 'month' ? Date.UTC(p.year, p.month - 1, 1) : mondayOf(p.year, p.week);
  const end = p.kind === 'month' ? Date.UTC(p.year, p.month, 1) : start + 7 * DAY;
  return { from: new Date(start - CHINA_OFFSET_MS).toISOString(), to: new Date(end - CHINA_OFFSET_MS).toISOString() };
}

/** The ISO weeks that overlap a month (4 to 6), in order: `2026-11` → 2026-W44 … 2026-W49. */
export function weeksOfMonth(monthKey: string): string[] {
  const p = parsePeriod(monthKey);
  if (!p || p.kind !== 'month') throw new RangeError(`not a month: ${monthKey}`);
  const lastDay = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  const first = periodKey({ kind: 'week', ...isoWeekOfDate(p.year, p.month, 1) });
  const last = periodKey({ kind: 'week', ...isoWeekOfDate(p.year, p.month, lastDay) });
  const out = [first];
  while (out[out.length - 1] !== last) out.push(shiftPeriod(out[out.length - 1]!, 1));
  return out;
}

/** The Monday and Sunday (China calendar dates, `YYYY-MM-DD`) of an ISO week key. */
export function weekDates(weekKey: string): { monday: string; sunday: string } {
  const p = parsePeriod(weekKey);
  if (!p || p.kind !== 'week') throw new RangeError(`not a week: ${weekKey}`);
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  const monday = mondayOf(p.year, p.week);
  return { monday: iso(monday), sunday: iso(monday + 6 * DAY) };
}
