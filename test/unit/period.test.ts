import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthKeyOf, parsePeriod, periodsOf, weekKeyOf, weeksInIsoYear } from '../../functions/domain/period.js';

const instants = fc.date({ min: new Date('2001-01-01T00:00:00Z'), max: new Date('2098-12-31T00:00:00Z'), noInvalidDate: true });

describe('report periods (China time)', () => {
  it('a week key round-trips, and every instant falls in exactly one week and one month', () => {
    fc.assert(
      fc.property(instants, (t) => {
        const { week, month } = periodsOf(t);
        for (const key of [week, month]) {
          const p = parsePeriod(key)!;
          expect(p.key).toBe(key);
          expect(p.from.getTime()).toBeLessThanOrEqual(t.getTime());
          expect(t.getTime()).toBeLessThan(p.to.getTime());
          // the neighbours do not hold it: the periods tile time
          expect(weekKeyOf(new Date(p.from.getTime() - 1))).not.toBe(p.kind === 'week' ? key : undefined);
          if (p.kind === 'week') {
            expect(p.to.getTime() - p.from.getTime()).toBe(7 * 86_400_000);
            expect(weekKeyOf(p.from)).toBe(key);
            expect(weekKeyOf(new Date(p.to.getTime() - 1))).toBe(key);
            expect(weekKeyOf(p.to)).not.toBe(key);
            expect(new Date(p.from.getTime() + 8 * 3_600_000).getUTCDay()).toBe(1); // Monday 00:00 China time
          } else {
            expect(monthKeyOf(p.from)).toBe(key);
            expect(monthKeyOf(new Date(p.to.getTime() - 1))).toBe(key);
            expect(monthKeyOf(p.to)).not.toBe(key);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('consecutive weeks follow each other without gaps, across years', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2001, max: 2098 }), (year) => {
        let to = parsePeriod(`${year}-W01`)!.to;
        for (let w = 2; w <= weeksInIsoYear(year); w++) {
          const p = parsePeriod(`${year}-W${String(w).padStart(2, '0')}`)!;
          expect(p.from).toEqual(to);
          to = p.to;
        }
        expect(parsePeriod(`${year + 1}-W01`)!.from).toEqual(to);
      }),
    );
  });

  it('year boundaries', () => {
    // 2026-12-31 is a Thursday: week 53 of 2026; 2027-01-01 (Friday) is still in 2026-W53
    expect(periodsOf(new Date('2026-12-31T12:00:00+08:00'))).toEqual({ week: '2026-W53', month: '2026-12' });
    expect(periodsOf(new Date('2027-01-01T00:00:00+08:00'))).toEqual({ week: '2026-W53', month: '2027-01' });
    expect(weekKeyOf(new Date('2027-01-04T00:00:00+08:00'))).toBe('2027-W01');
    expect(weekKeyOf(new Date('2027-01-03T23:59:59.999+08:00'))).toBe('2026-W53');
    // China time, not UTC: 2026-11-30 23:30 UTC is already Tuesday 1 December in China
    expect(periodsOf(new Date('2026-11-30T16:00:00Z'))).toEqual({ week: '2026-W49', month: '2026-12' });
    expect(periodsOf(new Date('2026-11-30T15:59:59.999Z'))).toEqual({ week: '2026-W49', month: '2026-11' });
    expect(weekKeyOf(new Date('2026-11-29T15:59:59.999Z'))).toBe('2026-W48'); // Sunday 23:59 China time
    expect(weekKeyOf(new Date('2026-11-29T16:00:00Z'))).toBe('2026-W49'); // Monday 00:00 China time
    expect(parsePeriod('2020-W53')).toMatchObject({ kind: 'week', from: new Date('2020-12-28T00:00:00+08:00'), to: new Date('2021-01-04T00:00:00+08:00') });
    expect(weekKeyOf(new Date('2021-01-03T12:00:00+08:00'))).toBe('2020-W53');
    expect(weekKeyOf(new Date('2019-12-30T12:00:00+08:00'))).toBe('2020-W01');
    expect(parsePeriod('2026-11')).toMatchObject({ kind: 'month', from: new Date('2026-11-01T00:00:00+08:00'), to: new Date('2026-12-01T00:00:00+08:00') });
    expect(parsePeriod('2026-12')!.to).toEqual(new Date('2027-01-01T00:00:00+08:00'));
    expect(weeksInIsoYear(2021)).toBe(52);
    for (const bad of ['2021-W53', '2026-W00', '2026-W54', '2026-13', '2026-00', '2026-1', '26-11', '2026-w48', '', '2026-11-01']) expect(parsePeriod(bad), bad).toBeUndefined();
  });
});
