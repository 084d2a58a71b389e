import { afterEach, describe, expect, it } from 'vitest';
import { chinaInputToIso, defaultShowStart, formatChinaTime, isoToChinaInput } from '../../console/src/time.js';

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

/** Runs the checks as if the browser were in `zone` (Node reads TZ again when it is set). */
function inZone(zone: string, check: () => void) {
  process.env.TZ = zone;
  check();
}

describe('console time: shown and entered in China time whatever the browser zone', () => {
  for (const zone of ['UTC', 'America/New_York', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
    it(`reads datetime-local as +08:00 in a ${zone} browser`, () => {
      inZone(zone, () => {
        expect(chinaInputToIso('2026-03-01T20:00')).toBe('2026-03-01T12:00:00.000Z');
        expect(chinaInputToIso('2026-03-01T07:30:15')).toBe('2026-02-28T23:30:15.000Z');
        // the day New York moves its clocks: China time is unaffected
        expect(chinaInputToIso('2026-03-08T15:00')).toBe('2026-03-08T07:00:00.000Z');
        expect(isoToChinaInput('2026-03-01T12:00:00Z')).toBe('2026-03-01T20:00');
        expect(isoToChinaInput('2026-12-31T16:59:00.000Z')).toBe('2027-01-01T00:59');
        expect(formatChinaTime('2026-03-01T12:00:00Z', 'zh-CN')).toBe('2026/03/01 20:00');
        expect(formatChinaTime('2026-03-01T12:00:00Z', 'en')).toBe('01/03/2026, 20:00');
      });
    });
  }

  it('really runs in another zone when asked', () => {
    inZone('America/New_York', () => expect(new Date('2026-01-15T12:00:00Z').getTimezoneOffset()).toBe(300));
  });

  it('refuses values that are not a date and time', () => {
    for (const bad of ['', '2026-02-30T10:00', '2026-13-01T10:00', '2026-01-01T24:00', '2026-01-01 10:00', '2026-01-01', 'tomorrow']) {
      expect(chinaInputToIso(bad), bad).toBeUndefined();
    }
    expect(chinaInputToIso('2028-02-29T10:00')).toBe('2028-02-29T02:00:00.000Z');
  });

  it('round-trips inputs', () => {
    for (const v of ['2026-01-01T00:00', '2026-06-15T08:00', '2026-12-31T23:59']) {
      expect(isoToChinaInput(chinaInputToIso(v)!)).toBe(v);
    }
  });

  it('offers the next full China hour, at least half an hour ahead', () => {
    expect(defaultShowStart(Date.parse('2026-03-01T12:10:00Z'))).toBe('2026-03-01T21:00');
    expect(defaultShowStart(Date.parse('2026-03-01T12:40:00Z'))).toBe('2026-03-01T22:00');
  });
});
