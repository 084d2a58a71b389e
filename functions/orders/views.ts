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
    ...(order.payment ? { payment: { provider: order.payment.provider, startedAt: order.payment.startedAt } } : {}),
    ...(order.refund ? { refundRequestedAt: order.refund.requestedAt, ...(order.refund.approval ? { refundApproval: order.refund.approval } : {}) } : {}),
    ...(order.latePayment ? { latePayment: { amountFen: order.latePayment.amountFen, refundState: order.latePayment.refundState, receivedAt: order.latePayment.receivedAt } } : {}),
  };
}
export type OrderView = ReturnType<typeof orderView>;
