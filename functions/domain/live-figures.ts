/**
 * A show's live figures as sums over its orders: every order contributes by its CURRENT status
 * (one to its status count; its total to paid GMV and to the minute it was paid while PAID; its
 * units to "sold" while PAID and to "reserved" while RESERVED). A change of an order moves the
 * figures by the difference between its contribution after and before, so figures kept from a
 * change stream equal a full recomputation once every change has been applied exactly once, in
 * any order across orders.
 */
import type { Order, OrderStatus } from './order.js';

export const ORDER_STATUSES: readonly OrderStatus[] = ['RESERVED', 'PAID', 'CANCELLED', 'EXPIRED', 'REFUNDED'];

/** Counters by name; a difference may be negative. */
export interface FigureCounts {
  /** Orders by their current status. */
  status: Partial<Record<OrderStatus, number>>;
  /** Σ totalFen of the orders PAID now. */
  paidGmvFen: number;
  /** By the minute (ISO, seconds zeroed) the order was paid, for the orders PAID now. */
  perMinute: Record<string, { paidOrders: number; paidGmvFen: number }>;
  /** Units of the orders PAID now (sold) and RESERVED now (reserved), by product. */
  products: Record<string, { unitsSold: number; unitsReserved: number }>;
}

export const emptyCounts = (): FigureCounts => ({ status: {}, paidGmvFen: 0, perMinute: {}, products: {} });

/** The minute an instant falls in, as an ISO time. */
export const minuteOf = (iso: string) => new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000).toISOString();

/** Adds `sign` × one order's contribution to `into`. */
export function addOrder(into: FigureCounts, order: Pick<Order, 'status' | 'totalFen' | 'paidAt' | 'items'>, sign: 1 | -1 = 1): FigureCounts {
  into.status[order.status] = (into.status[order.status] ?? 0) + sign;
  const paid = order.status === 'PAID';
  if (paid) {
    into.paidGmvFen += sign * order.totalFen;
    if (order.paidAt) {
      const m = (into.perMinute[minuteOf(order.paidAt)] ??= { paidOrders: 0, paidGmvFen: 0 });
      m.paidOrders += sign;
      m.paidGmvFen += sign * order.totalFen;
    }
  }
  if (paid || order.status === 'RESERVED') {
    for (const line of order.items) {
      const p = (into.products[line.productId] ??= { unitsSold: 0, unitsReserved: 0 });
      if (paid) p.unitsSold += sign * line.quantity;
      else p.unitsReserved += sign * line.quantity;
    }
  }
  return into;
}

/** How the figures move when an order changes from `before` to `after` (either may be absent). */
export function orderDifference(before: Order | undefined, after: Order | undefined): FigureCounts {
  const d = emptyCounts();
  if (after) addOrder(d, after, 1);
  if (before) addOrder(d, before, -1);
  return d;
}

/** The non-zero counters of a difference, flattened: what a store adds. */
export function nonZero(d: FigureCounts): FigureCounts {
  const out = emptyCounts();
  for (const s of ORDER_STATUSES) if (d.status[s]) out.status[s] = d.status[s];
  out.paidGmvFen = d.paidGmvFen;
  for (const [m, v] of Object.entries(d.perMinute)) if (v.paidOrders || v.paidGmvFen) out.perMinute[m] = v;
  for (const [p, v] of Object.entries(d.products)) if (v.unitsSold || v.unitsReserved) out.products[p] = v;
  return out;
}

export const isZero = (d: FigureCounts) => {
  const z = nonZero(d);
  return Object.keys(z.status).length === 0 && z.paidGmvFen === 0 && Object.keys(z.perMinute).length === 0 && Object.keys(z.products).length === 0;
};

/** Sums differences (of one show). */
export function sumCounts(parts: readonly FigureCounts[]): FigureCounts {
  const out = emptyCounts();
  for (const d of parts) {
    for (const s of ORDER_STATUSES) if (d.status[s]) out.status[s] = (out.status[s] ?? 0) + d.status[s]!;
    out.paidGmvFen += d.paidGmvFen;
    for (const [m, v] of Object.entries(d.perMinute)) {
      const t = (out.perMinute[m] ??= { paidOrders: 0, paidGmvFen: 0 });
      t.paidOrders += v.paidOrders;
      t.paidGmvFen += v.paidGmvFen;
    }
    for (const [p, v] of Object.entries(d.products)) {
      const t = (out.products[p] ??= { unitsSold: 0, unitsReserved: 0 });
      t.unitsSold += v.unitsSold;
      t.unitsReserved += v.unitsReserved;
    }
  }
  return nonZero(out);
}

/** Stream sequence numbers are decimal strings of up to 40 digits: padded, they compare as text. */
export const SEQUENCE_WIDTH = 40;
export const paddedSequence = (sequenceNumber: string) => {
  if (!/^\d{1,40}$/.test(sequenceNumber)) throw new Error(`not a stream sequence number: ${sequenceNumber}`);
  return sequenceNumber.padStart(SEQUENCE_WIDTH, '0');
};
