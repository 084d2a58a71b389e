import type { Order } from '../domain/order.js';

/** What the API shows of an order. */
export function orderView(order: Order) {
  return {
    orderId: order.orderId,
    storefrontId: order.storefrontId,
    showId: order.showId,
    buyerRef: order.buyerRef,
    status: order.status,
    totalFen: order.totalFen,
    expiresAt: order.expiresAt,
    items: order.items.map(({ productId, name, unit, quantity, showPriceFen, amountFen }) => ({
      productId, name, unit, quantity, showPriceFen, amountFen,
    })),
    createdAt: order.createdAt,
    ...(order.paidAt ? { paidAt: order.paidAt, paymentRef: order.paymentRef } : {}),
    ...(order.cancelledAt ? { cancelledAt: order.cancelledAt } : {}),
    ...(order.expiredAt ? { expiredAt: order.expiredAt } : {}),
    ...(order.refundedAt ? { refundedAt: order.refundedAt } : {}),
  };
}
export type OrderView = ReturnType<typeof orderView>;
