import { payeeDirectory, payoutStore } from '../adapters/payout-store.js';
import { provinceWechatPay } from '../adapters/wechatpay/province.js';
import type { PayoutDeps } from './ports.js';

/** The production wiring of the payout use cases: payouts beside the settlement, statements read, payees apart, WeChat Pay transfers. */
export const payoutDeps = (): PayoutDeps => ({
  payouts: payoutStore,
  payees: payeeDirectory,
  get transfers() {
    return provinceWechatPay();
  },
  now: () => new Date(),
});
