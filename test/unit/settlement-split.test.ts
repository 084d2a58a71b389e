import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBalanced, payoutEntry, payoutFor, reversalEntry, reversalFor, type SaleLine, SalesTally } from '../../functions/domain/settlement.js';

const bps = fc.integer({ min: 8000, max: 10000 });
const sale = fc.record({
  sellerId: fc.constantFrom('coop-orange', 'ent-embroidery', 'farm-pork', 'coop-tea-oil', 'farm-honey'),
  productId: fc.constantFrom('p1', 'p2', 'p3'),
  quantity: fc.integer({ min: 1, max: 50 }),
  showPriceFen: fc.integer({ min: 1, max: 200_000 }),
}).map((s): SaleLine => ({ ...s, productId: `${s.sellerId}:${s.productId}`, name: s.productId, amountFen: s.quantity * s.showPriceFen }));

const tallyOf = (lines: SaleLine[]) => {
  const t = new SalesTally();
  lines.forEach((l) => t.add(l));
  return t;
};

describe('settlement split (fast-check, 1000 runs each)', () => {
  it('Σ payout + operations = gross; every seller gets at least their share; integers only', () => {
    fc.assert(
      fc.property(fc.array(sale, { maxLength: 60 }), bps, (lines, share) => {
        const split = tallyOf(lines).split(share);
        expect(split.sellerPayoutFen + split.operationsFen).toBe(split.grossFen);
        expect(split.grossFen).toBe(lines.reduce((n, l) => n + l.amountFen, 0));
        for (const s of split.sellers) {
          expect(Number.isSafeInteger(s.payoutFen)).toBe(true);
          expect(s.payoutFen * 10000).toBeGreaterThanOrEqual(s.grossFen * share); // payout ≥ gross × bps / 10000
          expect((s.payoutFen - 1) * 10000).toBeLessThan(s.grossFen * share); // and no more than rounding up
          expect(s.payoutFen + s.operationsFen).toBe(s.grossFen);
          expect(s.lines.reduce((n, l) => n + l.amountFen, 0)).toBe(s.grossFen);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('does not depend on the order of the input orders', () => {
    fc.assert(
      fc.property(
        fc.array(sale, { maxLength: 40 }).chain((lines) => fc.tuple(fc.constant(lines), fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }))),
        bps,
        ([lines, shuffled], share) => {
          expect(tallyOf(shuffled).split(share)).toEqual(tallyOf(lines).split(share));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('every journal entry balances (payouts and reversals)', () => {
    fc.assert(
      fc.property(fc.array(sale, { minLength: 1, maxLength: 40 }), bps, (lines, share) => {
        for (const seller of tallyOf(lines).split(share).sellers) {
          const entry = payoutEntry('show-1', 'chengbu', seller, '2026-12-01T00:00:00.000Z');
          expect(isBalanced(entry)).toBe(true);
          expect(entry.entryId).toBe(`settlement:show-1:seller:${seller.sellerId}:payout`);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('refund reversals: same rounding rule, never more than was paid out, balanced, and they add up to the whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 500_000 }), { minLength: 1, maxLength: 20 }),
        bps,
        fc.integer({ min: 0, max: 20 }),
        (orderAmounts, share, refundedCount) => {
          const gross = orderAmounts.reduce((a, b) => a + b, 0);
          const payout = payoutFor(gross, share);
          let refunded = 0;
          let payoutReversed = 0;
          let opsReversed = 0;
          for (const amount of orderAmounts.slice(0, refundedCount)) {
            const r = reversalFor(gross, refunded, amount, share, 'seller');
            expect(r.payoutReversalFen).toBeGreaterThanOrEqual(0);
            expect(r.operationsReversalFen).toBeGreaterThanOrEqual(0);
            expect(r.payoutReversalFen + r.operationsReversalFen).toBe(amount);
            expect(isBalanced(reversalEntry('show-1', 'chengbu', `o${refunded}`, r, 'now'))).toBe(true);
            refunded += amount;
            payoutReversed += r.payoutReversalFen;
            opsReversed += r.operationsReversalFen;
            // what the seller keeps is exactly the rounding rule applied to what they still sold
            expect(payout - payoutReversed).toBe(payoutFor(gross - refunded, share));
            expect(payoutReversed).toBeLessThanOrEqual(payout);
          }
          if (refundedCount >= orderAmounts.length) {
            expect(payoutReversed).toBe(payout);
            expect(opsReversed).toBe(gross - payout);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses to reverse more than the seller has left', () => {
    expect(() => reversalFor(1000, 900, 101, 8000, 's')).toThrow(RangeError);
    expect(payoutFor(1, 8000)).toBe(1); // 0.8 fen rounds up: farmers first
    expect(payoutFor(12345, 8000)).toBe(9876);
    expect(payoutFor(9_000_000_000_000, 8500)).toBe(7_650_000_000_000);
  });
});
