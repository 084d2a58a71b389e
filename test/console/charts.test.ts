import { describe, expect, it } from 'vitest';
import { barHeights, coarsen, fillMinutes, formatBps, type MinutePoint, minuteStart, niceMax, percentOf, share, shareBps } from '../../console/src/charts.js';
import { mergeSpotlights, spotlightPayload } from '../../console/src/live.js';
import { formatChinaClock } from '../../console/src/time.js';

const at = (hhmm: string) => `2026-03-01T${hhmm}:00.000Z`;
const point = (hhmm: string, paidOrders: number, paidGmvFen = paidOrders * 100): MinutePoint => ({ minute: at(hhmm), paidOrders, paidGmvFen });

describe('console charts: axis scaling', () => {
  it('tops an axis at the next 1, 2 or 5 × 10^k', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(-3)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(1.5)).toBe(2);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(5)).toBe(5);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(11)).toBe(20);
    expect(niceMax(2990)).toBe(5000);
    expect(niceMax(123_456_789)).toBe(200_000_000);
    expect(niceMax(Number.NaN)).toBe(1);
  });

  it('scales bars to the nice top; any positive value shows at least 1 unit', () => {
    expect(barHeights([0, 5, 10], 100)).toEqual({ top: 10, heights: [0, 50, 100] });
    expect(barHeights([1, 1000], 100)).toEqual({ top: 1000, heights: [1, 100] });
    expect(barHeights([], 100)).toEqual({ top: 1, heights: [] });
    expect(barHeights([0, 0], 160).heights).toEqual([0, 0]);
    const { heights } = barHeights([3, 7, 2], 160);
    expect(Math.max(...heights)).toBeLessThanOrEqual(160);
  });
});

describe('console charts: per-minute series', () => {
  it('floors instants to their minute', () => {
    expect(new Date(minuteStart('2026-03-01T12:34:56.789Z')).toISOString()).toBe('2026-03-01T12:34:00.000Z');
    expect(minuteStart('not a time')).toBeNaN();
  });

  it('fills missing minutes with zeros, sorted, summing points of the same minute', () => {
    const series = fillMinutes([point('12:03', 2), point('12:00', 1), { minute: '2026-03-01T12:03:30.000Z', paidOrders: 1, paidGmvFen: 50 }]);
    expect(series.map((p) => [p.minute.slice(11, 16), p.paidOrders, p.paidGmvFen])).toEqual([
      ['12:00', 1, 100],
      ['12:01', 0, 0],
      ['12:02', 0, 0],
      ['12:03', 3, 250],
    ]);
  });

  it('extends from the start to the last figure time, and keeps only the latest `limit` minutes', () => {
    const series = fillMinutes([point('12:02', 1)], { from: '2026-03-01T11:59:10Z', to: '2026-03-01T12:04:59Z' });
    expect(series.map((p) => p.minute.slice(11, 16))).toEqual(['11:59', '12:00', '12:01', '12:02', '12:03', '12:04']);
    const limited = fillMinutes([point('10:00', 1), point('12:00', 2)], { limit: 3 });
    expect(limited.map((p) => [p.minute.slice(11, 16), p.paidOrders])).toEqual([['11:58', 0], ['11:59', 0], ['12:00', 2]]);
    expect(fillMinutes([])).toEqual([]);
    expect(fillMinutes([], { from: at('12:00'), to: at('12:01') })).toHaveLength(2);
  });

  it('coarsens to the smallest bucket that fits, keeping totals', () => {
    const minutes = fillMinutes([point('12:00', 1), point('12:59', 2)]);
    expect(minutes).toHaveLength(60);
    const one = coarsen(minutes, 60);
    expect(one.bucketMinutes).toBe(1);
    expect(one.points).toHaveLength(60);
    const five = coarsen(minutes, 30);
    expect(five.bucketMinutes).toBe(2);
    expect(five.points).toHaveLength(30);
    const ten = coarsen(minutes, 6);
    expect(ten.bucketMinutes).toBe(10);
    expect(ten.points.map((p) => p.minute.slice(11, 16))).toEqual(['12:00', '12:10', '12:20', '12:30', '12:40', '12:50']);
    for (const c of [one, five, ten]) {
      expect(c.points.reduce((n, p) => n + p.paidOrders, 0)).toBe(3);
      expect(c.points.reduce((n, p) => n + p.paidGmvFen, 0)).toBe(300);
    }
    // a series not aligned to the bucket gets one more bar at most, aligned to the bucket size
    const offset = coarsen(fillMinutes([point('12:03', 1), point('12:12', 1)]), 3);
    expect(offset.bucketMinutes).toBe(5);
    expect(offset.points.map((p) => p.minute.slice(11, 16))).toEqual(['12:00', '12:05', '12:10']);
    expect(coarsen([], 10)).toEqual({ bucketMinutes: 1, points: [] });
  });

  it('labels minutes in China time whatever the zone', () => {
    expect(formatChinaClock('2026-03-01T12:05:00.000Z')).toBe('20:05');
    expect(formatChinaClock('2026-03-01T16:00:00.000Z')).toBe('00:00');
  });
});

describe('console charts: shares of integer fen', () => {
  it('rounds half up, exactly, in any scale', () => {
    expect(shareBps(8000, 10000)).toBe(8000);
    expect(shareBps(2392, 2990)).toBe(8000);
    expect(shareBps(1, 3)).toBe(3333);
    expect(shareBps(2, 3)).toBe(6667);
    expect(shareBps(1, 20000)).toBe(1); // 0.5 bp rounds up
    expect(shareBps(1, 20001)).toBe(0);
    expect(shareBps(5, 0)).toBeNull();
    expect(share(-250, 10000, 1000)).toBe(-25);
    expect(share(0, -5, 1000)).toBe(0);
    expect(() => shareBps(1.5, 10)).toThrow(RangeError);
    // beyond 2^53 in the intermediate product: still exact
    expect(shareBps(Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER)).toBe(10000);
    expect(share(4_503_599_627_370_495, 9_007_199_254_740_991, 1_000_000)).toBe(500_000);
  });

  it('writes percents with one decimal', () => {
    expect(percentOf(8000, 10000)).toBe('80.0%');
    expect(percentOf(2392, 2990)).toBe('80.0%');
    expect(percentOf(598, 2990)).toBe('20.0%');
    expect(percentOf(1, 3)).toBe('33.3%');
    expect(percentOf(2, 3)).toBe('66.7%');
    expect(percentOf(1, 2000)).toBe('0.1%'); // 0.05% rounds up
    expect(percentOf(1, 2001)).toBe('0.0%');
    expect(percentOf(-25, 1000)).toBe('-2.5%');
    expect(percentOf(5, 0)).toBe('—');
  });

  it('writes a basis-point share as a percent', () => {
    expect(formatBps(8000)).toBe('80%');
    expect(formatBps(8050)).toBe('80.5%');
    expect(formatBps(8005)).toBe('80.05%');
    expect(formatBps(10000)).toBe('100%');
    expect(formatBps(0)).toBe('0%');
  });
});

describe('console live: spotlights sent', () => {
  const s = (seq: number, productId = `p${seq}`) => ({ productId, showPriceFen: 990, seq, at: `2026-03-01T12:0${seq}:00.000Z` });
  it('keeps one per seq, newest first, and the same array when nothing is new', () => {
    const a = mergeSpotlights([], [s(1), null, undefined]);
    expect(a.map((x) => x.seq)).toEqual([1]);
    const b = mergeSpotlights(a, [s(3), s(2), s(1, 'other')]);
    expect(b.map((x) => [x.seq, x.productId])).toEqual([[3, 'p3'], [2, 'p2'], [1, 'p1']]);
    expect(mergeSpotlights(b, [s(2)])).toBe(b);
  });
  it('writes the metadata as the province sends it', () => {
    expect(JSON.parse(spotlightPayload('show-1', s(4)))).toEqual({ v: 1, type: 'spotlight', showId: 'show-1', productId: 'p4', showPriceFen: 990, seq: 4 });
  });
});
