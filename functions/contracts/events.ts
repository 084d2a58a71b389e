/**
 * Domain event contracts (zod): what goes on the province bus. One module, one source of truth.
 */
import * as z from 'zod';
import type { Order, OrderStatus } from '../domain/order.js';
import type { Payout } from '../domain/payout.js';
import type { Mismatch } from '../reconciliation/ports.js';
import type { Show, ShowStatus } from '../domain/show.js';
import type { Adjustment, Settlement } from '../settlement/ports.js';

/** As in api.ts: built at module load, but a handler's bundle keeps only the schemas it uses. */
/* @__NO_SIDE_EFFECTS__ */ function schema<T>(build: () => T): T {
  return build();
}

export const ORDER_EVENT_SOURCE = 'county-live.orders';

export const OrderEventDetail = schema(() => z.object({
  /** Deterministic: `<orderId>:<status>`. Consumers deduplicate on it (delivery is at least once). */
  eventId: z.string(),
  orderId: z.string(),
  storefrontId: z.string(),
  showId: z.string(),
  countyId: z.string(),
  status: z.enum(['RESERVED', 'PAID', 'CANCELLED', 'EXPIRED', 'REFUNDED']),
  totalFen: z.number().int().nonnegative(),
  items: z.array(
    z.object({
      productId: z.string(),
      sellerId: z.string(),
      quantity: z.number().int().positive(),
      showPriceFen: z.number().int().positive(),
      amountFen: z.number().int().nonnegative(),
    }),
  ),
  occurredAt: z.iso.datetime(),
  paymentRef: z.string().optional(),
}));
export type OrderEventDetail = z.infer<typeof OrderEventDetail>;

export const ORDER_DETAIL_TYPES = {
  RESERVED: 'Order Reserved',
  PAID: 'Order Paid',
  CANCELLED: 'Order Cancelled',
  EXPIRED: 'Order Expired',
  REFUNDED: 'Order Refunded',
} as const satisfies Record<OrderStatus, string>;

export type OrderDetailType = (typeof ORDER_DETAIL_TYPES)[OrderStatus];

export interface OrderEvent {
  source: typeof ORDER_EVENT_SOURCE;
  detailType: OrderDetailType;
  time: string;
  detail: OrderEventDetail;
}

function occurredAt(order: Order): string {
  switch (order.status) {
    case 'RESERVED': return order.createdAt;
    case 'PAID': return order.paidAt ?? order.createdAt;
    case 'CANCELLED': return order.cancelledAt ?? order.createdAt;
    case 'EXPIRED': return order.expiredAt ?? order.expiresAt;
    case 'REFUNDED': return order.refundedAt ?? order.createdAt;
  }
}

/**
 * The event an order change stands for: one per status transition, none for a write that
 * left the status as it was.
 */
export function orderEventForChange(before: Order | undefined, after: Order | undefined): OrderEvent | undefined {
  if (!after || before?.status === after.status) return undefined;
  const detail = OrderEventDetail.parse({
    eventId: `${after.orderId}:${after.status}`,
    orderId: after.orderId,
    storefrontId: after.storefrontId,
    showId: after.showId,
    countyId: after.countyId,
    status: after.status,
    totalFen: after.totalFen,
    items: after.items.map(({ productId, sellerId, quantity, showPriceFen, amountFen }) => ({
      productId, sellerId, quantity, showPriceFen, amountFen,
    })),
    occurredAt: occurredAt(after),
    paymentRef: after.paymentRef,
  });
  return { source: ORDER_EVENT_SOURCE, detailType: ORDER_DETAIL_TYPES[after.status], time: detail.occurredAt, detail };
}

export const PAYMENT_EVENT_SOURCE = 'county-live.payments';

export const PaymentEventDetail = schema(() => z.object({
  /** Deterministic: `<orderId>:late-payment:<transactionId>`, `<orderId>:refund-requested`, `<orderId>:refund-approved|refused`. */
  eventId: z.string(),
  orderId: z.string(),
  storefrontId: z.string(),
  showId: z.string(),
  countyId: z.string(),
  orderStatus: z.enum(['RESERVED', 'PAID', 'CANCELLED', 'EXPIRED', 'REFUNDED']),
  totalFen: z.number().int().nonnegative(),
  latePayment: z.object({ transactionId: z.string(), amountFen: z.number().int().nonnegative(), outRefundNo: z.string(), refundState: z.string() }).optional(),
  refund: z
    .object({ outRefundNo: z.string(), requestedAt: z.iso.datetime(), reason: z.string(), approval: z.enum(['PENDING', 'APPROVED', 'REFUSED']).optional(), decidedBy: z.string().optional(), decidedAt: z.iso.datetime().optional() })
    .optional(),
  occurredAt: z.iso.datetime(),
}));
export type PaymentEventDetail = z.infer<typeof PaymentEventDetail>;

export const PAYMENT_DETAIL_TYPES = {
  late: 'Late Payment Refunded',
  requested: 'Refund Requested',
  decided: 'Refund Decided',
} as const;

export interface PaymentEvent {
  source: typeof PAYMENT_EVENT_SOURCE;
  detailType: (typeof PAYMENT_DETAIL_TYPES)[keyof typeof PAYMENT_DETAIL_TYPES];
  time: string;
  detail: PaymentEventDetail;
}

/**
 * The payment event an order change stands for (its status unchanged): money that came late and
 * was sent back, a refund asked for, a refund after settlement approved or refused.
 */
export function paymentEventForChange(before: Order | undefined, after: Order | undefined): PaymentEvent | undefined {
  if (!after) return undefined;
  const base = { orderId: after.orderId, storefrontId: after.storefrontId, showId: after.showId, countyId: after.countyId, orderStatus: after.status, totalFen: after.totalFen };
  const event = (kind: keyof typeof PAYMENT_DETAIL_TYPES, eventId: string, occurredAt: string): PaymentEvent => {
    const detail = PaymentEventDetail.parse({
      ...base,
      eventId,
      occurredAt,
      ...(after.latePayment ? { latePayment: { transactionId: after.latePayment.transactionId, amountFen: after.latePayment.amountFen, outRefundNo: after.latePayment.outRefundNo, refundState: after.latePayment.refundState } } : {}),
      ...(after.refund ? { refund: after.refund } : {}),
    });
    return { source: PAYMENT_EVENT_SOURCE, detailType: PAYMENT_DETAIL_TYPES[kind], time: occurredAt, detail };
  };
  if (after.latePayment && !before?.latePayment) return event('late', `${after.orderId}:late-payment:${after.latePayment.transactionId}`, after.latePayment.receivedAt);
  if (after.refund && !before?.refund) return event('requested', `${after.orderId}:refund-requested`, after.refund.requestedAt);
  const decided = after.refund?.approval;
  if (after.refund && (decided === 'APPROVED' || decided === 'REFUSED') && before?.refund?.approval !== decided) {
    return event('decided', `${after.orderId}:refund-${decided.toLowerCase()}`, after.refund.decidedAt ?? after.refund.requestedAt);
  }
  return undefined;
}

export const PAYOUT_EVENT_SOURCE = 'county-live.payouts';

export const PayoutEventDetail = schema(() => z.object({
  /** Deterministic: `<payoutId>:<status>:<attempt>`. */
  eventId: z.string(),
  payoutId: z.string(),
  showId: z.string(),
  countyId: z.string(),
  sellerId: z.string(),
  method: z.enum(['wechat', 'bank']),
  amountFen: z.number().int().nonnegative(),
  /** Receivables from the seller's earlier payouts taken off what the statement owed (amountFen is what moved). */
  offsetFen: z.number().int().nonnegative().optional(),
  status: z.enum(['SUBMITTED', 'AWAITING_CONFIRMATION', 'SUCCEEDED', 'FAILED']),
  reference: z.string(),
  providerRef: z.string().optional(),
  failure: z.string().optional(),
  attempt: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
}));
export type PayoutEventDetail = z.infer<typeof PayoutEventDetail>;

export const PAYOUT_DETAIL_TYPES = { SUBMITTED: 'Payout Submitted', SUCCEEDED: 'Payout Succeeded', FAILED: 'Payout Failed' } as const;

export interface PayoutEvent {
  source: typeof PAYOUT_EVENT_SOURCE;
  detailType: (typeof PAYOUT_DETAIL_TYPES)[keyof typeof PAYOUT_DETAIL_TYPES];
  time: string;
  detail: PayoutEventDetail;
}

/** A payout's move: submitted (or waiting for the payee to confirm), succeeded, failed; once per attempt. */
export function payoutEventForChange(before: Payout | undefined, after: Payout | undefined): PayoutEvent | undefined {
  if (!after || before?.status === after.status || after.status === 'PENDING') return undefined;
  // waiting for the farmer to confirm is still "submitted" for subscribers; SUBMITTED → AWAITING is no new event
  if (after.status === 'AWAITING_CONFIRMATION' && before?.status === 'SUBMITTED') return undefined;
  const kind = after.status === 'AWAITING_CONFIRMATION' ? 'SUBMITTED' : after.status;
  const occurredAt = (kind === 'SUCCEEDED' ? after.succeededAt : kind === 'FAILED' ? after.failedAt : after.submittedAt) ?? after.createdAt;
  const detail = PayoutEventDetail.parse({
    eventId: `${after.payoutId}:${kind}:${after.attempts}`,
    payoutId: after.payoutId, showId: after.showId, countyId: after.countyId, sellerId: after.sellerId, method: after.method, amountFen: after.amountFen,
    status: after.status, reference: after.reference, attempt: after.attempts, occurredAt,
    ...(after.providerRef ? { providerRef: after.providerRef } : {}), ...(after.failure ? { failure: after.failure } : {}), ...(after.offsetFen ? { offsetFen: after.offsetFen } : {}),
  });
  return { source: PAYOUT_EVENT_SOURCE, detailType: PAYOUT_DETAIL_TYPES[kind], time: occurredAt, detail };
}

export const RECONCILIATION_EVENT_SOURCE = 'county-live.reconciliation';

export const MismatchEventDetail = schema(() => z.object({
  /** Deterministic: `<day>:<kind>:<ref>`. */
  eventId: z.string(),
  day: z.iso.date(),
  kind: z.enum(['PAID_THERE_NOT_HERE', 'PAYMENT_AMOUNT_DIFFERS', 'REFUND_THERE_NOT_HERE', 'REFUND_AMOUNT_DIFFERS', 'TRANSFER_NOT_OURS', 'TRANSFER_AMOUNT_DIFFERS', 'PAID_OUT_HERE_NOT_THERE']),
  ref: z.string(),
  providerFen: z.number().int().optional(),
  ourFen: z.number().int().optional(),
  detail: z.string(),
  foundAt: z.iso.datetime(),
}));

/** A mismatch found by a day's reconciliation, once (when it is first kept). */
export function mismatchEventForChange(before: Mismatch | undefined, after: Mismatch | undefined) {
  if (!after || before) return undefined;
  const detail = MismatchEventDetail.parse({ eventId: `${after.day}:${after.kind}:${after.ref}`, ...after });
  return { source: RECONCILIATION_EVENT_SOURCE, detailType: 'Reconciliation Mismatch' as const, time: after.foundAt, detail };
}

export const SHOW_EVENT_SOURCE = 'county-live.shows';

export const ShowEventDetail = schema(() => z.object({
  /** Deterministic: `<showId>:<status>`. */
  eventId: z.string(),
  showId: z.string(),
  countyId: z.string(),
  channelId: z.string(),
  channelArn: z.string(),
  title: z.string(),
  status: z.enum(['SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED']),
  scheduledStart: z.iso.datetime(),
  startedAt: z.iso.datetime().optional(),
  endedAt: z.iso.datetime().optional(),
  endedBy: z.enum(['stream', 'operator', 'reconciliation']).optional(),
  streamIds: z.array(z.string()),
  occurredAt: z.iso.datetime(),
}));
export type ShowEventDetail = z.infer<typeof ShowEventDetail>;

export const SHOW_DETAIL_TYPES = {
  SCHEDULED: 'Show Scheduled',
  LIVE: 'Show Started',
  ENDED: 'Show Ended',
  CANCELLED: 'Show Cancelled',
} as const satisfies Record<ShowStatus, string>;

export interface ShowEvent {
  source: typeof SHOW_EVENT_SOURCE;
  detailType: (typeof SHOW_DETAIL_TYPES)[ShowStatus];
  time: string;
  detail: ShowEventDetail;
}

/** One event per show status transition (a write that keeps the status publishes nothing). */
export function showEventForChange(before: Show | undefined, after: Show | undefined): ShowEvent | undefined {
  if (!after || before?.status === after.status) return undefined;
  const occurredAt =
    after.status === 'SCHEDULED' ? after.createdAt : after.status === 'LIVE' ? after.startedAt ?? after.createdAt : after.endedAt ?? after.createdAt;
  const detail = ShowEventDetail.parse({
    eventId: `${after.showId}:${after.status}`,
    showId: after.showId,
    countyId: after.countyId,
    channelId: after.channelId,
    channelArn: after.channelArn,
    title: after.title,
    status: after.status,
    scheduledStart: after.scheduledStart,
    startedAt: after.startedAt,
    endedAt: after.endedAt,
    endedBy: after.endedBy,
    streamIds: after.streamIds ?? [],
    occurredAt,
  });
  return { source: SHOW_EVENT_SOURCE, detailType: SHOW_DETAIL_TYPES[after.status], time: occurredAt, detail };
}

export const SETTLEMENT_EVENT_SOURCE = 'county-live.settlements';

export const ShowSettledDetail = schema(() => z.object({
  eventId: z.string(),
  showId: z.string(),
  countyId: z.string(),
  sellerShareBps: z.number().int(),
  grossFen: z.number().int().nonnegative(),
  sellerPayoutFen: z.number().int().nonnegative(),
  operationsFen: z.number().int().nonnegative(),
  sellerCount: z.number().int().nonnegative(),
  orderCount: z.number().int().nonnegative(),
  settledAt: z.iso.datetime(),
}));

export const SettlementFailedDetail = schema(() => z.object({
  eventId: z.string(),
  showId: z.string(),
  countyId: z.string(),
  attempts: z.number().int(),
  lastError: z.string().optional(),
}));

const ReversalDetail = schema(() => z.object({
  sellerId: z.string(),
  refundFen: z.number().int().positive(),
  payoutReversalFen: z.number().int().nonnegative(),
  operationsReversalFen: z.number().int().nonnegative(),
}));

export const SettlementAdjustedDetail = schema(() => z.object({
  eventId: z.string(),
  showId: z.string(),
  orderId: z.string(),
  refundFen: z.number().int().positive(),
  payoutReversalFen: z.number().int().nonnegative(),
  operationsReversalFen: z.number().int().nonnegative(),
  reversals: z.array(ReversalDetail),
  at: z.iso.datetime(),
}));

export interface SettlementEvent {
  source: typeof SETTLEMENT_EVENT_SOURCE;
  detailType: 'Show Settled' | 'Settlement Failed' | 'Settlement Adjusted';
  time: string;
  detail: z.infer<typeof ShowSettledDetail> | z.infer<typeof SettlementFailedDetail> | z.infer<typeof SettlementAdjustedDetail>;
}

/** A settlement header's transition to SETTLED or FAILED becomes an event; other writes publish nothing. */
export function settlementEventForChange(before: Settlement | undefined, after: Settlement | undefined): SettlementEvent | undefined {
  if (!after || before?.status === after.status) return undefined;
  if (after.status === 'SETTLED') {
    const detail = ShowSettledDetail.parse({
      eventId: `${after.showId}:SETTLED`,
      ...pick(after, ['showId', 'countyId', 'sellerShareBps', 'grossFen', 'sellerPayoutFen', 'operationsFen', 'sellerCount', 'orderCount', 'settledAt']),
    });
    return { source: SETTLEMENT_EVENT_SOURCE, detailType: 'Show Settled', time: detail.settledAt, detail };
  }
  if (after.status === 'FAILED') {
    const detail = SettlementFailedDetail.parse({ eventId: `${after.showId}:FAILED:${after.attempts}`, ...pick(after, ['showId', 'countyId', 'attempts', 'lastError']) });
    return { source: SETTLEMENT_EVENT_SOURCE, detailType: 'Settlement Failed', time: new Date().toISOString(), detail };
  }
  return undefined;
}

/** A new adjustment (a refund after settlement) becomes an event. */
export function adjustmentEventForChange(before: Adjustment | undefined, after: Adjustment | undefined): SettlementEvent | undefined {
  if (!after || before) return undefined;
  const sum = (k: 'refundFen' | 'payoutReversalFen' | 'operationsReversalFen') => after.reversals.reduce((n, r) => n + r[k], 0);
  const detail = SettlementAdjustedDetail.parse({
    eventId: `${after.showId}:adjustment:${after.orderId}`,
    showId: after.showId,
    orderId: after.orderId,
    refundFen: sum('refundFen'),
    payoutReversalFen: sum('payoutReversalFen'),
    operationsReversalFen: sum('operationsReversalFen'),
    reversals: after.reversals,
    at: after.at,
  });
  return { source: SETTLEMENT_EVENT_SOURCE, detailType: 'Settlement Adjusted', time: after.at, detail };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}
