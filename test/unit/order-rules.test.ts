import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderEventForChange, OrderEventDetail } from '../../functions/contracts/events.js';
import { cancelRefusal, type Order, payRefusal, planReservation, type ProductForSale } from '../../functions/domain/order.js';
import { formatYuan, lineAmount } from '../../functions/domain/money.js';
import { applySignal, type Show } from '../../functions/domain/show.js';

const show = (status: Show['status'] = 'LIVE'): Show => ({
  showId: 's1', countyId: 'chengbu', channelId: 'chengbu-main', channelArn: 'arn:aws:ivs:ap-northeast-1:1:channel/c', title: 't',
  scheduledStart: '2026-12-01T12:00:00.000Z', status, streams: {}, version: 0,
  lineup: [{ productId: 'orange', showPriceFen: 2990 }, { productId: 'tea-oil', showPriceFen: 6800 }], createdAt: '2026-11-30T00:00:00.000Z',
});
const products = new Map<string, ProductForSale>([
  ['orange', { productId: 'orange', sellerId: 'coop', name: 'Navel oranges', unit: 'box' }],
  ['tea-oil', { productId: 'tea-oil', sellerId: 'ent', name: 'Tea oil', unit: 'bottle' }],
  ['pork', { productId: 'pork', sellerId: 'farm', name: 'Smoked pork', unit: 'kg' }],
]);
const now = new Date('2026-12-01T12:30:00.000Z');
const plan = (s: Show, items: { productId: string; quantity: number }[]) =>
  planReservation({ orderId: 'o1', request: { storefrontId: 'sf-1', showId: s.showId, buyerRef: 'b', items }, show: s, products, now, timeoutMinutes: 15 });

describe('order rules (pure domain)', () => {
  it('prices every line at the show price and adds up exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (a, b) => {
        const order = plan(show(), [{ productId: 'orange', quantity: a }, { productId: 'tea-oil', quantity: b }]);
        expect(order.items.map((l) => l.amountFen)).toEqual([2990 * a, 6800 * b]);
        expect(order.totalFen).toBe(2990 * a + 6800 * b);
        expect(Number.isSafeInteger(order.totalFen)).toBe(true);
        expect(order.items[1]).toMatchObject({ sellerId: 'ent', showPriceFen: 6800 });
      }),
      { numRuns: 500 },
    );
  });

  it('holds the stock for the reservation timeout', () => {
    expect(plan(show(), [{ productId: 'orange', quantity: 1 }]).expiresAt).toBe('2026-12-01T12:45:00.000Z');
  });

  it('takes orders only while LIVE and only for lineup products', () => {
    for (const status of ['SCHEDULED', 'ENDED', 'CANCELLED'] as const) {
      expect(() => plan(show(status), [{ productId: 'orange', quantity: 1 }])).toThrow(expect.objectContaining({ code: 'SHOW_NOT_LIVE' }));
    }
    expect(() => plan(show(), [{ productId: 'orange', quantity: 1 }, { productId: 'pork', quantity: 1 }])).toThrow(
      expect.objectContaining({ code: 'NOT_IN_LINEUP', field: 'items[1].productId' }),
    );
  });

  it('refuses amounts beyond safe integers instead of rounding', () => {
    expect(() => lineAmount(100_000_000, 10_000_000, 'items[0].quantity')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(formatYuan(12345)).toBe('123.45');
    expect(formatYuan(5)).toBe('0.05');
  });

  it('pay and cancel answer a repeated request with the order and refuse the rest', () => {
    const base = plan(show(), [{ productId: 'orange', quantity: 1 }]);
    const paid: Order = { ...base, status: 'PAID', paymentRef: 'p1', paidAt: now.toISOString() };
    expect(payRefusal(paid, 'p1', now)).toBeUndefined();
    expect(payRefusal(paid, 'p2', now)?.code).toBe('ORDER_STATE_CONFLICT');
    expect(payRefusal(base, 'p1', new Date('2026-12-01T12:45:00.000Z'))?.code).toBe('RESERVATION_EXPIRED');
    expect(cancelRefusal({ ...base, status: 'CANCELLED' })).toBeUndefined();
    expect(cancelRefusal(paid)?.code).toBe('ORDER_STATE_CONFLICT');
  });

  it('a show goes live once, and a closed show never does', () => {
    const streamStart = { kind: 'start' as const, streamId: 'st-1', time: now.toISOString() };
    const live = applySignal(show('SCHEDULED'), streamStart, 0);
    expect(live).toMatchObject({ status: 'LIVE', startedAt: now.toISOString() });
    expect(applySignal(live, streamStart, 0)).toEqual(live);
    const ended = show('ENDED');
    expect(applySignal(ended, streamStart, 0)).toBe(ended);
  });

  it('one event per status change, with a deterministic id, matching the contract', () => {
    const reserved = plan(show(), [{ productId: 'orange', quantity: 2 }]);
    const paid: Order = { ...reserved, status: 'PAID', paymentRef: 'p', paidAt: '2026-12-01T12:31:00.000Z' };
    const e1 = orderEventForChange(undefined, reserved)!;
    const e2 = orderEventForChange(reserved, paid)!;
    expect([e1.detailType, e2.detailType]).toEqual(['Order Reserved', 'Order Paid']);
    expect(e2.detail.eventId).toBe('o1:PAID');
    expect(e2.time).toBe('2026-12-01T12:31:00.000Z');
    expect(OrderEventDetail.safeParse(e2.detail).success).toBe(true);
    expect(orderEventForChange(paid, { ...paid })).toBeUndefined();
    expect(orderEventForChange(paid, undefined)).toBeUndefined();
  });
});
