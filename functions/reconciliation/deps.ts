import { books, reconciliationStore } from '../adapters/reconciliation-store.js';
import { provinceWechatPay } from '../adapters/wechatpay/province.js';
import type { ReconciliationDeps } from './ports.js';

/** The production wiring: WeChat Pay's bills against the province's books. */
export const reconciliationDeps = (): ReconciliationDeps => ({
  get bills() {
    return provinceWechatPay();
  },
  books,
  store: reconciliationStore,
  now: () => new Date(),
});
