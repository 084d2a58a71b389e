/**
 * The payments context: a buyer pays the province's merchant account through a payment provider
 * (WeChat Pay first, Alipay next), and an order becomes PAID only when the provider says so, in a
 * verified notification or in answer to our query. What it needs from the provider and the stores.
 */
import type { Order } from '../domain/order.js';
import type { TransferState } from '../payouts/ports.js';

export type ProviderName = 'wechatpay';

/** The provider's view of the payment of one order (`out_trade_no` = orderId). */
export interface ProviderPayment {
  orderId: string;
  /** The provider's transaction id: the order's payment reference once PAID. */
  transactionId?: string;
  /** SUCCESS, NOTPAY, CLOSED, REFUND, USERPAYING, PAYERROR, REVOKED… */
  state: string;
  totalFen: number;
  appId: string;
  mchId: string;
}

export interface ProviderRefund {
  orderId: string;
  outRefundNo: string;
  refundId?: string;
  /** SUCCESS, CLOSED, ABNORMAL, PROCESSING */
  state: string;
  refundFen: number;
  mchId: string;
}

/** A notification the provider signed and we decrypted. */
export type ProviderNotification =
  | { id: string; kind: 'payment'; eventType: string; payment: ProviderPayment }
  | { id: string; kind: 'refund'; eventType: string; refund: ProviderRefund }
  | { id: string; kind: 'transfer'; eventType: string; transfer: { reference: string; mchId: string } & TransferState }
  | { id: string; kind: 'other'; eventType: string };

export type NotificationRefusal = 'missing-headers' | 'unknown-serial' | 'stale-timestamp' | 'bad-signature' | 'undecryptable' | 'malformed';

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Our merchant account at the provider (a notification for another is refused). */
  merchant(): Promise<{ appId: string; mchId: string }>;
  /**
   * Opens a payment for a reserved order (idempotent at the provider per `out_trade_no`: the same
   * order answers the same prepay id while it is open) and answers what the buyer's client needs.
   */
  prepay(args: { orderId: string; description: string; totalFen: number; expiresAt: string; payerOpenId: string; notifyUrl: string }): Promise<{ prepayId: string; clientParams: Record<string, string> }>;
  /** The provider's word on an order's payment; undefined when it never saw one. */
  query(orderId: string): Promise<ProviderPayment | undefined>;
  /** Asks for a refund; the same `outRefundNo` never refunds twice. Without `notifyUrl` the provider notifies the merchant platform's configured address. */
  refund(args: { orderId: string; outRefundNo: string; refundFen: number; totalFen: number; reason: string; notifyUrl?: string }): Promise<{ state: string }>;
  /** Verifies and decrypts a notification, exactly as received. */
  openNotification(headers: Record<string, string | undefined>, body: string, now: Date): Promise<{ notification: ProviderNotification } | { refused: NotificationRefusal }>;
}

/** A notification as it arrived (kept for audit, whatever its verdict). */
export interface ReceivedNotification {
  provider: ProviderName;
  receivedAt: string;
  headers: Record<string, string>;
  body: string;
  /** A refused one's body is cut: the digest of the whole body. */
  bodySha256?: string;
  /** Kept this many days (refused ones from unknown senders), else for good. */
  keepDays?: number;
  verdict: 'accepted' | 'refused' | 'failed';
  reason?: string;
  orderId?: string;
}

export interface PendingRefund { orderId: string; showId: string; countyId: string; totalFen: number; requestedAt: string }

export type MarkPaidOutcome =
  | { paid: true }
  /** The same transaction paid it before (a repeated notification): nothing to do. */
  | { alreadyPaid: Order }
  /** The transaction already paid another order: never twice. */
  | { transactionUsed: string }
  /** The order is not RESERVED (expired, cancelled, paid by another transaction…). */
  | { notPayable: Order };

export interface PaymentStore {
  getOrder(orderId: string): Promise<Order | undefined>;
  keepNotification(notification: ReceivedNotification): Promise<void>;
  /** Notes on a RESERVED order that its payment was started (its expiry then asks the provider first). */
  markStarted(orderId: string, payment: NonNullable<Order['payment']>): Promise<Order | undefined>;
  /**
   * RESERVED → PAID by `transactionId`, in one transaction with the transaction's claim (one
   * transaction can never pay two orders). Expiry does not matter here: the buyer paid while the
   * provider's payment was open (its time_expire is the reservation's).
   */
  markPaid(order: Pick<Order, 'orderId' | 'showId'>, transactionId: string, paidAt: Date): Promise<MarkPaidOutcome>;
  /** Money arrived for an order no longer payable: the refund sent back, kept on the order (once per transaction). */
  recordLatePayment(orderId: string, late: NonNullable<Order['latePayment']>): Promise<boolean>;
  /** The provider confirmed the late money's refund. */
  lateRefundDone(orderId: string, refundState: string): Promise<void>;
  /** A refund asked for a PAID order (once: false when one was already asked). */
  recordRefundRequest(orderId: string, refund: NonNullable<Order['refund']>): Promise<boolean>;
  /** An operator's decision on a refund waiting for approval (false when it was not PENDING). */
  decideRefund(orderId: string, approval: 'APPROVED' | 'REFUSED', by: string, at: string): Promise<boolean>;
  /** A county's refunds waiting for approval, oldest first. */
  pendingRefunds(countyId: string): Promise<PendingRefund[]>;
}

/** A payout transfer the provider finished (payouts applies it). */
export interface TransferCompletion {
  transferFinished(reference: string, state: TransferState): Promise<'applied' | 'unknown-reference'>;
}

/** Completes a refund the provider confirmed: the order becomes REFUNDED and settlement reverses it. */
export interface RefundCompletion {
  completeRefund(orderId: string): Promise<'refunded' | 'already-refunded' | 'not-refundable' | 'settlement-in-progress'>;
}

export interface PaymentDeps {
  provider: PaymentProvider;
  store: PaymentStore;
  refunds: RefundCompletion;
  transfers: TransferCompletion;
  now: () => Date;
}
