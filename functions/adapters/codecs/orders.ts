/**
 * The orders table's layout: one item per order, and the attributes that put it in the sparse
 * indexes (reservations by expiry, paid orders by show). The only code that knows these keys.
 */
import type { Order } from '../../domain/order.js';
import { hashOf, type Item, pad2, strip } from './item.js';

/** The expiry index is spread over this many partitions so reservations never hot-spot one. */
export const RESERVED_PARTITIONS = 32;
/** A show's paid orders are spread over this many index partitions (settlement reads them all). */
export const PAID_PARTITIONS = 32;

/**
 * `reservedShard`: puts the order in the expiry index when it is reserved, and stays (removing it
 * when the order is paid, cancelled or expired would cost an index write each time; the sweep
 * reads a window of expiry times and skips orders no longer RESERVED). `paidPartition`: the
 * paid-index partition the order joins once PAID (`paidShow`).
 */
const STORAGE = ['pk', 'sk', 'reservedShard', 'paidPartition', 'paidShow'] as const;

export const ordersTable = {
  orderKey: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  orderIdOf: (key: Item) => String(key.pk).slice('ORDER#'.length),
  isOrder: (item: Item) => String(item.pk).startsWith('ORDER#'),

  /** How far the expiry sweep has gone (the expiry time up to which every reservation was seen). */
  sweepKey: () => ({ pk: 'SWEEP#EXPIRY', sk: 'SWEEP' }),
  reservedPartition: (orderId: string) => `RESERVED#${hashOf(orderId) % RESERVED_PARTITIONS}`,
  reservedPartitions: () => Array.from({ length: RESERVED_PARTITIONS }, (_, i) => `RESERVED#${i}`),
  paidPartition: (showId: string, orderId: string) => `${showId}#${pad2(hashOf(orderId) % PAID_PARTITIONS)}`,
  paidPartitions: (showId: string) => Array.from({ length: PAID_PARTITIONS }, (_, i) => `${showId}#${pad2(i)}`),

  /** The item for an order as the store holds it in its status: RESERVED in the expiry index, PAID in the paid index. */
  orderItem(order: Order): Item {
    const item: Item = { ...ordersTable.orderKey(order.orderId), ...order };
    if (order.status === 'RESERVED') {
      item.reservedShard = ordersTable.reservedPartition(order.orderId);
      item.paidPartition = ordersTable.paidPartition(order.showId, order.orderId);
    }
    if (order.status === 'PAID') item.paidShow = ordersTable.paidPartition(order.showId, order.orderId);
    return item;
  },
  toOrder: (item: Item) => strip<Order>(item, STORAGE),
};
