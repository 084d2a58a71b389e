import { catalogStore } from '../adapters/catalog-store.js';
import { orderStore } from '../adapters/order-store.js';
import { paymentStore } from '../adapters/payment-store.js';
import { settlementBook } from '../adapters/settlement-book.js';
import { settlementStore } from '../adapters/settlement-store.js';
import { showStore } from '../adapters/show-store.js';
import { provinceWechatPay } from '../adapters/wechatpay/province.js';
import { applyRefund } from '../settlement/service.js';
import { payeeDirectory, payoutIdOfReference, payoutStore } from '../adapters/payout-store.js';
import { transferFinished } from '../payouts/service.js';
import { setting } from '../shared/env.js';
import type { PaymentDeps } from './ports.js';

/** The production wiring of the payment use cases: WeChat Pay, the orders and payments tables, settlement's refund. */
export function paymentDeps(): PaymentDeps {
  return {
    get provider() {
      return provinceWechatPay();
    },
    store: paymentStore,
    refunds: {
      // a refund WeChat Pay confirmed: settlement's own refund (the order drops out, or a settled show is adjusted)
      completeRefund: (orderId) =>
        applyRefund(
          {
            refunds: {
              awaitApproval: () => Promise.reject(new Error('not used when completing a refund')),
              decide: () => Promise.reject(new Error('not used when completing a refund')),
              request: () => Promise.reject(new Error('not used when completing a refund')),
              pending: () => Promise.reject(new Error('not used when completing a refund')),
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
          },
          orderId,
        ),
    },
    transfers: {
      // a payout's transfer finished: payouts applies it (SUCCEEDED with its ledger entry, or FAILED)
      async transferFinished(reference, state) {
        const payoutId = await payoutIdOfReference(reference);
        if (!payoutId) return 'unknown-reference';
        await transferFinished({ payouts: payoutStore, payees: payeeDirectory, transfers: provinceWechatPay(), now: () => new Date() }, payoutId, state);
        return 'applied';
      },
    },
    now: () => new Date(),
  };
}
