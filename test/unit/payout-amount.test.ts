/**
 * A payout's amount: what the statement owes less the seller's outstanding receivables, oldest
 * first, never negative; what it takes off is exactly what the receivables recover, and no
 * receivable recovers more than it is owed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixPayoutAmount, overpaidFen, type Receivable } from '../../functions/domain/payout.js';

const receivable = fc.record({
  showId: fc.uuid(),
  owedFen: fc.integer({ min: 1, max: 5_000_000 }),
  recovered: fc.double({ min: 0, max: 1, noNaN: true }),
  at: fc.date({ min: new Date('2026-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
}).map(({ recovered, ...r }): Receivable => ({ ...r, sellerId: 's', countyId: 'c', recoveredFen: Math.floor(r.owedFen * recovered) }));

describe('payout amount', () => {
  it('amount + offset = due; offsets = what receivables recover; none over-recovered; oldest first', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.uniqueArray(receivable, { selector: (r) => r.showId, maxLength: 6 }), (due, receivables) => {
      const fix = fixPayoutAmount(due, receivables);
      const outstanding = receivables.reduce((n, r) => n + r.owedFen - r.recoveredFen, 0);
      expect(fix.amountFen).toBeGreaterThanOrEqual(0);
      expect(fix.amountFen + fix.offsetFen).toBe(due);
      expect(fix.offsetFen).toBe(Math.min(due, outstanding));
      expect(fix.offsets.reduce((n, o) => n + o.fen, 0)).toBe(fix.offsetFen);
      for (const r of fix.recovered) {
        const before = receivables.find((x) => x.showId === r.showId)!;
        expect(r.recoveredFen).toBeLessThanOrEqual(r.owedFen);
        expect(r.recoveredFen - before.recoveredFen).toBe(fix.offsets.find((o) => o.showId === r.showId)!.fen);
      }
      // oldest first: a receivable is touched only when every older one is recovered in full
      const touched = new Set(fix.recovered.map((r) => r.showId));
      const sorted = [...receivables].sort((a, b) => a.at.localeCompare(b.at) || a.showId.localeCompare(b.showId)).filter((r) => r.owedFen > r.recoveredFen);
      const lastTouched = sorted.findLastIndex((r) => touched.has(r.showId));
      for (const r of sorted.slice(0, Math.max(0, lastTouched))) expect(fix.recovered.find((x) => x.showId === r.showId)?.recoveredFen).toBe(r.owedFen);
    }));
  });

  it('a fixed payout overpays by what refunds took off its statement since; an unfixed one never does', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (dueFen, refundedFen) => {
      const net = Math.max(0, dueFen - refundedFen);
      expect(overpaidFen({ fixedAt: '2026-11-29T00:00:00Z', dueFen }, net)).toBe(dueFen - net);
      expect(overpaidFen({ dueFen }, net)).toBe(0);
    }));
  });
});
