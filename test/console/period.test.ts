import { describe, expect, it } from 'vitest';
import { chinaDate, isoWeekOf, isoWeekOfDate, monthOf, parsePeriod, periodOf, periodRange, shiftPeriod, weekDates, weeksInYear, weeksOfMonth } from '../../console/src/period.js';

describe('console periods: ISO weeks in China time', () => {
  it('numbers weeks across year boundaries', () => {
    expect(isoWeekOf('2026-12-31T12:00:00+08:00')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-01T12:00:00+08:00')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-03T23:59:59+08:00')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04T00:00:00+08:00')).toBe('2027-W01');
    expect(isoWeekOfDate(2024, 12, 30)).toEqual({ year: 2025, week: 1 });
    expect(isoWeekOfDate(2021, 1, 3)).toEqual({ year: 2020, week: 53 });
    expect(isoWeekOfDate(2026, 1, 1)).toEqual({ year: 2026, week: 1 });
    expect(isoWeekOfDate(2026, 11, 29)).toEqual({ year: 2026, week: 48 });
  });

  it('counts 52 or 53 weeks a year', () => {
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2027)).toBe(52);
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
  });

  it('reads the week of an instant at +08:00, not in UTC', () => {
    // Sunday 2027-01-03 16:00 UTC is Monday 00:00 in China: already 2027-W01.
    expect(isoWeekOf('2027-01-03T16:00:00.000Z')).toBe('2027-W01');
    expect(isoWeekOf('2027-01-03T15:59:59.999Z')).toBe('2026-W53');
  });
});

describe('console periods: months in China time', () => {
  it('gives the month of an instant at +08:00', () => {
    expect(monthOf('2026-11-30T15:59:59.999Z')).toBe('2026-11');
    expect(monthOf('2026-11-30T16:00:00.000Z')).toBe('2026-12');
    expect(monthOf('2026-12-31T16:00:00.000Z')).toBe('2027-01');
    expect(chinaDate('2026-02-28T20:00:00Z')).toEqual({ year: 2026, month: 3, day: 1 });
    expect(periodOf('month', Date.parse('2026-11-29T18:58:00Z'))).toBe('2026-11');
    expect(periodOf('week', Date.parse('2026-11-29T18:58:00Z'))).toBe('2026-W49');
  });

  it('covers a period from its first China midnight to the next', () => {
    expect(periodRange('2026-11')).toEqual({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' });
    expect(periodRange('2026-12')).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
    expect(periodRange('2027-W01')).toEqual({ from: '2027-01-03T16:00:00.000Z', to: '2027-01-10T16:00:00.000Z' });
    expect(weekDates('2026-W53')).toEqual({ monday: '2026-12-28', sunday: '2027-01-03' });
  });
});

describe('console periods: keys, steps and the weeks of a month', () => {
  it('parses month and week keys and refuses others', () => {
    expect(parsePeriod('2026-11')).toEqual({ kind: 'month', year: 2026, month: 11 });
    expect(parsePeriod('2026-W48')).toEqual({ kind: 'week', year: 2026, week: 48 });
    expect(parsePeriod('2026-W53')).not.toBeNull();
    expect(parsePeriod('2027-W53')).toBeNull();
    expect(parsePeriod('2026-13')).toBeNull();
    expect(parsePeriod('2026-W00')).toBeNull();
    expect(parsePeriod('November')).toBeNull();
  });

  it('steps months and weeks across years', () => {
    expect(shiftPeriod('2026-12', 1)).toBe('2027-01');
    expect(shiftPeriod('2027-01', -1)).toBe('2026-12');
    expect(shiftPeriod('2026-11', -23)).toBe('2024-12');
    expect(shiftPeriod('2026-W53', 1)).toBe('2027-W01');
    expect(shiftPeriod('2027-W01', -1)).toBe('2026-W53');
    expect(shiftPeriod('2027-W52', 1)).toBe('2028-W01');
    expect(shiftPeriod('2026-W48', -3)).toBe('2026-W45');
  });

  it('lists the 4 to 6 ISO weeks overlapping a month', () => {
    expect(weeksOfMonth('2026-11')).toEqual(['2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48', '2026-W49']);
    expect(weeksOfMonth('2027-02')).toEqual(['2027-W05', '2027-W06', '2027-W07', '2027-W08']);
    expect(weeksOfMonth('2027-01')).toEqual(['2026-W53', '2027-W01', '2027-W02', '2027-W03', '2027-W04']);
    expect(weeksOfMonth('2026-12')[4]).toBe('2026-W53');
    for (let m = 0; m < 48; m++) {
      const n = weeksOfMonth(shiftPeriod('2026-01', m)).length;
      expect(n).toBeGreaterThanOrEqual(4);
      expect(n).toBeLessThanOrEqual(6);
    }
  });
});
