import { describe, expect, it } from 'vitest';
import { fenToYuanInput, formatFen, parseYuan } from '../../console/src/money.js';

describe('console money: fen shown and entered as yuan', () => {
  it('shows fen as yuan with two decimals', () => {
    expect(formatFen(2990)).toBe('¥29.90');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(100)).toBe('¥1.00');
    expect(formatFen(-105)).toBe('-¥1.05');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(Number.MAX_SAFE_INTEGER)).toBe('¥90,071,992,547,409.91');
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it('prefills inputs in yuan', () => {
    expect(fenToYuanInput(2990)).toBe('29.90');
    expect(fenToYuanInput(7)).toBe('0.07');
    expect(fenToYuanInput(100000000)).toBe('1000000.00');
  });

  it('parses yuan exactly to fen, without floats', () => {
    expect(parseYuan('29.9')).toEqual({ ok: true, fen: 2990 });
    expect(parseYuan('29.90')).toEqual({ ok: true, fen: 2990 });
    expect(parseYuan('29')).toEqual({ ok: true, fen: 2900 });
    expect(parseYuan(' ¥ 0.05 ')).toEqual({ ok: true, fen: 5 });
    expect(parseYuan('￥12')).toEqual({ ok: true, fen: 1200 });
    expect(parseYuan('.5')).toEqual({ ok: true, fen: 50 });
    expect(parseYuan('007.10')).toEqual({ ok: true, fen: 710 });
    expect(parseYuan('０.１')).toEqual({ ok: true, fen: 10 });
    expect(parseYuan('１２．３４')).toEqual({ ok: true, fen: 1234 });
    // the classic float traps come out exact
    expect(parseYuan('0.29')).toEqual({ ok: true, fen: 29 });
    expect(parseYuan('1.13')).toEqual({ ok: true, fen: 113 });
    expect(parseYuan('4.35')).toEqual({ ok: true, fen: 435 });
    expect(parseYuan('9007199254740.99')).toEqual({ ok: true, fen: 900719925474099 });
  });

  it('refuses more than two decimals and anything that is not a plain amount', () => {
    expect(parseYuan('29.999')).toEqual({ ok: false, reason: 'decimals' });
    expect(parseYuan('0.001')).toEqual({ ok: false, reason: 'decimals' });
    expect(parseYuan('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseYuan('   ')).toEqual({ ok: false, reason: 'empty' });
    for (const bad of ['.', '29.', '-1', '+1', '1e3', '1,000', '12a', 'abc', '1.2.3', 'NaN', 'Infinity', '0x10']) {
      expect(parseYuan(bad), bad).toEqual({ ok: false, reason: 'format' });
    }
    expect(parseYuan('99999999999999.99')).toEqual({ ok: false, reason: 'range' });
  });

  it('round-trips every price display and input', () => {
    for (const fen of [1, 9, 10, 99, 100, 101, 2990, 100000000]) {
      expect(parseYuan(fenToYuanInput(fen))).toEqual({ ok: true, fen });
      expect(parseYuan(formatFen(fen).replace(/,/g, ''))).toEqual({ ok: true, fen });
    }
  });
});
