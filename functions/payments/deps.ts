import { orderStore } from '../adapters/order-store.js';
import { paymentStore } from '../adapters/payment-store.js';
import { settlementBook } from '../adapters/settlement-book.js';
import { settlementStore } from '../adapters/settlement-store.js';
import { provinceWechatPay } from '../adapters/wechatpay/province.js';
import { applyRefund } from '../settlement/service.js';
import { payeeDirectory, payoutIdOfReference, payoutStore } from '../adapters/payout-store.js';
import { transferFinished } from '../payouts/service.js';
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
      completeRefund: (orderId) => applyRefund({ settlements: settlementStore, book: settlementBook, orders: orderStore, now: () => new Date() }, orderId),
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
