/** The province's WeChat Pay merchant account, from the function's settings and the payment secret. */
import { PAYMENT_SECRET_ENV } from '../../../province/wiring.js';
import type { PaymentProvider } from '../../payments/ports.js';
import type { TransferProvider } from '../../payouts/ports.js';
import type { BillProvider } from '../../reconciliation/ports.js';
import { setting } from '../../shared/env.js';
import { secretString } from '../secrets.js';
import { wechatPay } from './client.js';

let provider: (PaymentProvider & TransferProvider & BillProvider) | undefined;

/** Built when first used (settings are read then). `WECHATPAY_API_URL` points it at the local stand-in offline. */
export function provinceWechatPay(): PaymentProvider & TransferProvider & BillProvider {
  provider ??= wechatPay({
    appId: setting('WECHATPAY_APP_ID'),
    mchId: setting('WECHATPAY_MCH_ID'),
    secret: (options) => {
      const arn = process.env[PAYMENT_SECRET_ENV];
      if (!arn) throw new Error(`environment variable ${PAYMENT_SECRET_ENV} is not set`);
      return secretString(arn, options);
    },
    ...(process.env.WECHATPAY_API_URL ? { apiUrl: process.env.WECHATPAY_API_URL } : {}),
  });
  return provider;
}
