/**
 * Pure helpers for the live and settlement pages: axis scaling for the SVG bar charts, the
 * per-minute series (gaps filled, coarsened to fit a phone), and shares of integer fen amounts
 * (exact, with BigInt: no floating-point division of money).
 */

/** The smallest "nice" bound (1, 2 or 5 × 10^k, at least 1) that is ≥ `max`: the top of an axis. */
export function niceMax(max: number): number {
  if (!Number.isFinite(max) || max <= 1) return 1;
  let step = 1;
  for (;;) {
    for (const m of [1, 2, 5]) if (m * step >= max) return m * step;
    step *= 10;
  }
}

/**
 * Bar heights in whole units of a chart `height` high, against the nice top of the values: a
 * value > 0 gets at least 1 (so a single order shows), 0 (or less) gets 0.
 */
export function barHeights(values: readonly number[], height: number): { top: number; heights: number[] } {
  const top = niceMax(Math.max(0, ...values));
  const heights = values.map((v) => (v <= 0 ? 0 : Math.max(1, Math.round((v / top) * height))));
  return { top, heights };
}

export interface MinutePoint {
  /** The minute's start, an ISO instant (seconds and milliseconds zero). */
  minute: string;
  paidOrders: number;
  paidGmvFen: number;
}

const MINUTE = 60_000;

/** The start of the minute of an instant, as epoch ms; NaN when it is not an instant. */
export function minuteStart(iso: string | number): number {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  return Number.isNaN(t) ? NaN : Math.floor(t / MINUTE) * MINUTE;
}

/**
 * The per-minute series to draw: points summed per minute (in case two name the same one),
 * sorted, every minute between the first (or `from`) and the last (or `to`) present, missing ones
 * as zero; at most `limit` minutes, the latest kept.
 */
export function fillMinutes(points: readonly MinutePoint[], options: { from?: string | undefined; to?: string | null | undefined; limit?: number } = {}): MinutePoint[] {
  const limit = options.limit ?? 240;
  const byMinute = new Map<number, { paidOrders: number; paidGmvFen: number }>();
  for (const p of points) {
    const m = minuteStart(p.minute);
    if (Number.isNaN(m)) continue;
    const got = byMinute.get(m) ?? { paidOrders: 0, paidGmvFen: 0 };
    got.paidOrders += p.paidOrders;
    got.paidGmvFen += p.paidGmvFen;
    byMinute.set(m, got);
  }
  const known = [...byMinute.keys()];
  const from = options.from ? minuteStart(options.from) : NaN;
  const to = options.to ? minuteStart(options.to) : NaN;
  const first = Math.min(...known, ...(Number.isNaN(from) ? [] : [from]));
  const last = Math.max(...known, ...(Number.isNaN(to) ? [] : [to]));
  if (!Number.isFinite(first) || !Number.isFinite(last) || last < first) return [];
  const start = Math.max(first, last - (limit - 1) * MINUTE);
  const out: MinutePoint[] = [];
  for (let m = start; m <= last; m += MINUTE) {
    const got = byMinute.get(m);
    out.push({ minute: new Date(m).toISOString(), paidOrders: got?.paidOrders ?? 0, paidGmvFen: got?.paidGmvFen ?? 0 });
  }
  return out;
}

/** Bucket sizes (minutes) the chart may use, smallest first. */
export const BUCKET_MINUTES = [1, 2, 5, 10, 15, 30, 60] as const;

/**
 * A filled per-minute series merged into buckets of the smallest size that gives at most
 * `maxBars` bars (each bucket named by its first minute, aligned to the bucket size).
 */
export function coarsen(series: readonly MinutePoint[], maxBars: number): { bucketMinutes: number; points: MinutePoint[] } {
  const bucketMinutes = BUCKET_MINUTES.find((b) => {
    if (series.length === 0) return true;
    const first = Math.floor(minuteStart(series[0]!.minute) / (b * MINUTE));
    const last = Math.floor(minuteStart(series[series.length - 1]!.minute) / (b * MINUTE));
    return last - first + 1 <= maxBars;
  }) ?? 60;
  if (bucketMinutes === 1) return { bucketMinutes, points: series.map((p) => ({ ...p })) };
  const size = bucketMinutes * MINUTE;
  const out: MinutePoint[] = [];
  for (const p of series) {
    const bucket = new Date(Math.floor(minuteStart(p.minute) / size) * size).toISOString();
    const lastOut = out[out.length - 1];
    if (lastOut && lastOut.minute === bucket) {
      lastOut.paidOrders += p.paidOrders;
      lastOut.paidGmvFen += p.paidGmvFen;
    } else out.push({ minute: bucket, paidOrders: p.paidOrders, paidGmvFen: p.paidGmvFen });
  }
  return { bucketMinutes, points: out };
}

function checkFen(n: number, name: string): bigint {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${name} is not a whole number of fen: ${n}`);
  return BigInt(n);
}

/**
 * `part` of `whole` in units of 1/`scale`, rounded half away from zero, exactly (integer fen,
 * BigInt arithmetic); null when `whole` is 0. `share(8000, 10000, 100)` → 80 (percent).
 */
export function share(part: number, whole: number, scale: number): number | null {
  const p = checkFen(part, 'part');
  const w = checkFen(whole, 'whole');
  const k = BigInt(scale);
  if (w === 0n) return null;
  const negative = p < 0n !== w < 0n && p !== 0n;
  const ap = p < 0n ? -p : p;
  const aw = w < 0n ? -w : w;
  const q = (ap * k * 2n + aw) / (aw * 2n); // round half up on magnitudes
  return Number(negative && q !== 0n ? -q : q);
}

/** `part` as a share of `whole` in basis points (1% = 100); null when `whole` is 0. */
export function shareBps(part: number, whole: number): number | null {
  return share(part, whole, 10_000);
}

/** `part` of `whole` as a percent with one decimal (`80.0%`, `-2.5%`), or `—` when `whole` is 0. */
export function percentOf(part: number, whole: number): string {
  const tenths = share(part, whole, 1000);
  if (tenths === null) return '—';
  const abs = Math.abs(tenths);
  return `${tenths < 0 ? '-' : ''}${Math.floor(abs / 10)}.${abs % 10}%`;
}

/** A share in basis points (e.g. the settlement's sellerShareBps) as a percent: `8000` → `80%`, `8050` → `80.5%`. */
export function formatBps(bps: number): string {
  if (!Number.isSafeInteger(bps)) return String(bps);
  const abs = Math.abs(bps);
  const whole = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, '0').replace(/0+$/, '');
  return `${bps < 0 ? '-' : ''}${whole}${frac ? `.${frac}` : ''}%`;
}
