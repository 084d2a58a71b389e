/**
 * The orders table's layout: one item per order, and the attribute that puts it in the sparse
 * index of paid orders by show. The only code that knows these keys.
 */
import type { Order } from '../../domain/order.js';
import { hashOf, type Item, pad2, strip } from './item.js';

/** A show's paid orders are spread over this many index partitions (settlement reads them all). */
export const PAID_PARTITIONS = 32;

/** `paidPartition`: the paid-index partition the order joins once PAID (`paidShow`). */
const STORAGE = ['pk', 'sk', 'paidPartition', 'paidShow'] as const;

export const ordersTable = {
  orderKey: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' }),
  orderIdOf: (key: Item) => String(key.pk).slice('ORDER#'.length),
  isOrder: (item: Item) => String(item.pk).startsWith('ORDER#'),

  paidPartition: (showId: string, orderId: string) => `${showId}#${pad2(hashOf(orderId) % PAID_PARTITIONS)}`,
  paidPartitions: (showId: string) => Array.from({ length: PAID_PARTITIONS }, (_, i) => `${showId}#${pad2(i)}`),

  /** The item for an order as the store holds it in its status: PAID in the paid index (RESERVED: the partition it will join). */
  orderItem(order: Order): Item {
    const item: Item = { ...ordersTable.orderKey(order.orderId), ...order };
    if (order.status === 'RESERVED') item.paidPartition = ordersTable.paidPartition(order.showId, order.orderId);
    if (order.status === 'PAID') item.paidShow = ordersTable.paidPartition(order.showId, order.orderId);
    return item;
  },
  toOrder: (item: Item) => strip<Order>(item, STORAGE),
};
