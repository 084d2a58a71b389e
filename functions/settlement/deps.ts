import { catalogStore } from '../adapters/catalog-store.js';
import { orderStore } from '../adapters/order-store.js';
import { settlementBook } from '../adapters/settlement-book.js';
import { settlementStore } from '../adapters/settlement-store.js';
import { showStore } from '../adapters/show-store.js';
import { paymentStore } from '../adapters/payment-store.js';
import { provinceWechatPay } from '../adapters/wechatpay/province.js';
import { requestProviderRefund } from '../payments/service.js';
import { refundNumberFor } from '../domain/order.js';
import { setting } from '../shared/env.js';
import type { SettlementDeps } from './ports.js';

/** The production wiring of the settlement use cases. Settings are read when first used. */
export const settlementDeps = (): SettlementDeps => ({
  refunds: {
    awaitApproval: async (order, reason, at) => {
      await paymentStore.recordRefundRequest(order.orderId, { outRefundNo: refundNumberFor(order.orderId, 'refund'), requestedAt: at, reason, approval: 'PENDING' });
    },
    decide: (orderId, approval, by, at) => paymentStore.decideRefund(orderId, approval, by, at),
    pending: (countyId) => paymentStore.pendingRefunds(countyId),
    request: (order, reason, notifyUrl) => requestProviderRefund({ provider: provinceWechatPay(), store: paymentStore, now: () => new Date() }, order, reason, notifyUrl),
  },
  settlements: settlementStore,
  book: settlementBook,
  orders: orderStore,
  sellers: catalogStore,
  endedShows: showStore,
  now: () => new Date(),
  get reservationTimeoutMinutes() {
    return Number(setting('RESERVATION_TIMEOUT_MINUTES'));
  },
  get sellerShareBps() {
    return Number(setting('SELLER_SHARE_BPS'));
  },
});
