/**
 * Payment use cases: start a payment at the provider, accept its notifications, confirm a payment
 * before a reservation expires, and send back money that came too late. An order becomes PAID only
 * on the provider's word: a verified notification, or its answer to our query.
 */
import { createHash } from 'node:crypto';
import type { StorefrontCaller } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { isExpired, isOwnedBy, type Order, refundNumberFor } from '../domain/order.js';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics } from '../shared/powertools.js';
import type { TransferState } from '../payouts/ports.js';
import type { PaymentDeps, PaymentProvider, ProviderPayment, ReceivedNotification } from './ports.js';

/** What the buyer's client needs to pay (wx.requestPayment), and the order it pays. */
export interface StartedPayment {
  orderId: string;
  provider: 'wechatpay';
  totalFen: number;
  expiresAt: string;
  requestPayment: Record<string, string>;
}

/**
 * Opens the provider's payment for a RESERVED order of this storefront. Idempotent per order: a
 * second call answers freshly signed parameters for the same prepay id.
 */
export async function startPayment(deps: Pick<PaymentDeps, 'provider' | 'store' | 'now'>, caller: StorefrontCaller, orderId: string, payerOpenId: string, notifyUrl: string): Promise<StartedPayment> {
  const order = await deps.store.getOrder(orderId);
  if (!isOwnedBy(order, caller.storefrontId)) throw new DomainError('NOT_FOUND', `order ${orderId} does not exist`, 'orderId');
  const now = deps.now();
  if (order.status === 'PAID') throw new DomainError('ORDER_STATE_CONFLICT', `order ${orderId} is already PAID`);
  if (order.status === 'EXPIRED' || isExpired(order, now)) throw new DomainError('RESERVATION_EXPIRED', `order ${orderId}: the reservation expired at ${order.expiresAt}`);
  if (order.status !== 'RESERVED') throw new DomainError('ORDER_STATE_CONFLICT', `order ${orderId} is ${order.status} and cannot be paid`);
  const { prepayId, clientParams } = await deps.provider.prepay({
    orderId,
    description: describe(order),
    totalFen: order.totalFen,
    expiresAt: order.expiresAt,
    payerOpenId,
    notifyUrl,
  });
  if (!order.payment) await deps.store.markStarted(orderId, { provider: deps.provider.name, prepayId, startedAt: now.toISOString() });
  return { orderId, provider: deps.provider.name, totalFen: order.totalFen, expiresAt: order.expiresAt, requestPayment: clientParams };
}

/** The goods line the buyer sees in WeChat: at most 127 bytes of UTF-8, cut on a character. */
function describe(order: Order): string {
  const first = order.items[0]!;
  const more = order.items.length > 1 ? ` 等${order.items.length}件` : '';
  let text = '';
  for (const ch of `${first.name}${more}`) {
    if (Buffer.byteLength(text + ch) > 127) break;
    text += ch;
  }
  return text;
}

/** How the notify route answers: 2xx only once the outcome is committed; otherwise WeChat retries. */
export type NotifyAnswer = { status: 200 | 204 } | { status: 400 | 401 | 404 | 409 | 500; code: 'FAIL'; message: string };

const fail = (status: 400 | 401 | 404 | 409 | 500, message: string): NotifyAnswer => ({ status, code: 'FAIL', message });

/** A WeChat Pay notification is about 1 KB; anything much larger is not one. */
const MAX_NOTIFICATION_BYTES = 16 * 1024;

/**
 * A notification from the provider, as received. Refused (401, nothing changed) unless it verifies
 * and decrypts; a payment notification pays only our merchant's order of that exact amount.
 * Every notification is kept for audit with its verdict.
 */
export async function acceptNotification(deps: PaymentDeps, headers: Record<string, string | undefined>, body: string, notifyUrl: string): Promise<NotifyAnswer> {
  const receivedAt = deps.now();
  // kept as received; one that was refused (anyone can post one) is kept cut to 2 KB with the digest of the whole, for 90 days
  const keep = (verdict: ReceivedNotification['verdict'], extra: Partial<ReceivedNotification> = {}) =>
    deps.store.keepNotification({
      provider: deps.provider.name, receivedAt: receivedAt.toISOString(), headers: signatureHeaders(headers), verdict, ...extra,
      ...(verdict === 'refused' && !extra.orderId ? { body: body.slice(0, 2048), bodySha256: createHash('sha256').update(body).digest('hex'), keepDays: 90 } : { body }),
    });
  if (Buffer.byteLength(body) > MAX_NOTIFICATION_BYTES) {
    await keep('refused', { reason: 'too large' });
    return fail(401, 'notification refused: too large');
  }

  const opened = await deps.provider.openNotification(headers, body, receivedAt);
  if ('refused' in opened) {
    await keep('refused', { reason: opened.refused });
    logger.warn('payment notification refused', { reason: opened.refused });
    return fail(401, `notification refused: ${opened.refused}`);
  }
  const { notification } = opened;
  try {
    let answer: NotifyAnswer;
    let orderId: string | undefined;
    if (notification.kind === 'payment') {
      orderId = notification.payment.orderId;
      answer = await paymentNotified(deps, notification.eventType, notification.payment, notifyUrl);
    } else if (notification.kind === 'transfer') {
      answer = await transferNotified(deps, notification.eventType, notification.transfer);
    } else if (notification.kind === 'refund') {
      orderId = notification.refund.orderId;
      answer = await refundNotified(deps, notification.eventType, notification.refund);
    } else {
      answer = { status: 204 }; // an event we do not act on: acknowledged
    }
    await keep(answer.status < 300 ? 'accepted' : 'refused', { ...(orderId ? { orderId } : {}), ...('message' in answer ? { reason: answer.message } : {}) });
    return answer;
  } catch (error) {
    await keep('failed', { reason: String((error as Error).message ?? error) }).catch(() => undefined);
    throw error; // a 500: WeChat retries
  }
}

/** The signature headers of a notification (what audit needs to re-verify it), nothing else. */
function signatureHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const keep = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial', 'wechatpay-signature-type'];
  return Object.fromEntries(Object.entries(headers).filter(([k, v]) => v !== undefined && keep.includes(k.toLowerCase())).map(([k, v]) => [k.toLowerCase(), v!]));
}

/** Is this the provider's word that our merchant was paid in full for this order? Else why not. */
async function paymentRefusal(provider: PaymentProvider, payment: ProviderPayment, order: Order | undefined): Promise<string | undefined> {
  const merchant = await provider.merchant();
  if (payment.mchId !== merchant.mchId || payment.appId !== merchant.appId) return `payment for another merchant (${payment.mchId}/${payment.appId})`;
  if (!order) return `unknown out_trade_no ${payment.orderId}`;
  if (!payment.transactionId) return 'no transaction_id';
  if (payment.totalFen !== order.totalFen) return `amount.total ${payment.totalFen} is not the order's total ${order.totalFen}`;
  return undefined;
}

async function paymentNotified(deps: PaymentDeps, eventType: string, payment: ProviderPayment, notifyUrl: string): Promise<NotifyAnswer> {
  if (eventType !== 'TRANSACTION.SUCCESS' || payment.state !== 'SUCCESS') return { status: 204 }; // nothing was paid
  const order = await deps.store.getOrder(payment.orderId);
  const refusal = await paymentRefusal(deps.provider, payment, order);
  if (refusal) {
    logger.error('payment notification does not match an order of ours', { orderId: payment.orderId, reason: refusal });
    metrics.addMetric('PaymentNotificationsMismatched', MetricUnit.Count, 1);
    return fail(order ? 409 : 404, refusal);
  }
  return settle(deps, order!, payment.transactionId!, notifyUrl);
}

/** Marks the order PAID by the transaction, or sends late money back. 2xx only once committed. */
async function settle(deps: Pick<PaymentDeps, 'provider' | 'store' | 'now'>, order: Order, transactionId: string, notifyUrl: string | undefined): Promise<NotifyAnswer> {
  const outcome = await deps.store.markPaid(order, transactionId, deps.now());
  if ('paid' in outcome || 'alreadyPaid' in outcome) return { status: 204 };
  if ('transactionUsed' in outcome) return fail(409, `transaction ${transactionId} already paid order ${outcome.transactionUsed}`);
  return refundLatePayment(deps, outcome.notPayable, transactionId, notifyUrl);
}

/**
 * Money for an order that is no longer payable (it expired or was cancelled, or it was paid
 * otherwise): refunded in full through the provider under a deterministic refund number, so
 * retries and repeated notifications refund once; kept on the order (an event follows).
 */
async function refundLatePayment(deps: Pick<PaymentDeps, 'provider' | 'store' | 'now'>, order: Order, transactionId: string, notifyUrl: string | undefined): Promise<NotifyAnswer> {
  if (order.paymentRef === transactionId) return { status: 204 }; // this very payment: already counted
  if (order.latePayment?.transactionId === transactionId) return { status: 204 }; // already sent back
  const outRefundNo = refundNumberFor(order.orderId, 'late');
  let refundState: string;
  try {
    ({ state: refundState } = await deps.provider.refund({ orderId: order.orderId, outRefundNo, refundFen: order.totalFen, totalFen: order.totalFen, reason: '订单已失效，款项原路退回 (order no longer payable)', ...(notifyUrl ? { notifyUrl } : {}) }));
  } catch (error) {
    // alarmed (the LatePaymentRefundFailed metric filter); WeChat retries the notification, and the refund with it
    logger.error('late payment could not be refunded yet', { orderId: order.orderId, outRefundNo, error: String((error as Error).message ?? error) });
    metrics.addMetric('LatePaymentRefundsFailed', MetricUnit.Count, 1);
    return fail(500, 'the late payment could not be refunded yet');
  }
  await deps.store.recordLatePayment(order.orderId, { transactionId, amountFen: order.totalFen, outRefundNo, refundState, receivedAt: deps.now().toISOString() });
  logger.warn('late payment refunded', { orderId: order.orderId, status: order.status, outRefundNo });
  return { status: 204 };
}

async function refundNotified(deps: PaymentDeps, eventType: string, refund: { orderId: string; outRefundNo: string; state: string; mchId: string }): Promise<NotifyAnswer> {
  const merchant = await deps.provider.merchant();
  if (refund.mchId !== merchant.mchId) return fail(409, `refund for another merchant (${refund.mchId})`);
  if (eventType !== 'REFUND.SUCCESS' || refund.state !== 'SUCCESS') {
    // the money did not go back (ABNORMAL: the buyer's account cannot take it; CLOSED): a person must act
    logger.error('refund not successful', { orderId: refund.orderId, outRefundNo: refund.outRefundNo, state: refund.state });
    metrics.addMetric('RefundsNotSuccessful', MetricUnit.Count, 1);
    return { status: 204 };
  }
  if (refund.outRefundNo === refundNumberFor(refund.orderId, 'late')) {
    await deps.store.lateRefundDone(refund.orderId, refund.state); // late money back with the buyer: the order never counted it
    return { status: 204 };
  }
  if (refund.outRefundNo !== refundNumberFor(refund.orderId, 'refund')) return fail(409, `unknown out_refund_no ${refund.outRefundNo}`);
  const done = await deps.refunds.completeRefund(refund.orderId);
  if (done === 'settlement-in-progress') return fail(500, 'the show is being settled; retry');
  if (done === 'not-refundable') logger.error('refund confirmed for an order that is not PAID', { orderId: refund.orderId });
  return { status: 204 };
}

async function transferNotified(deps: PaymentDeps, eventType: string, transfer: { reference: string; mchId: string } & TransferState): Promise<NotifyAnswer> {
  const merchant = await deps.provider.merchant();
  if (transfer.mchId !== merchant.mchId) return fail(409, `transfer for another merchant (${transfer.mchId})`);
  if (eventType !== 'MCHTRANSFER.BILL.FINISHED') return { status: 204 };
  const { reference: _reference, mchId: _mchId, ...state } = transfer;
  const applied = await deps.transfers.transferFinished(transfer.reference, state);
  return applied === 'applied' ? { status: 204 } : fail(404, `unknown out_bill_no ${transfer.reference}`);
}

/**
 * Before a reservation with a started payment expires: the provider's word (its notification may
 * have been lost). True when the order turned out PAID (it must not expire).
 */
export async function paidAtProvider(deps: Pick<PaymentDeps, 'provider' | 'store' | 'now'>, order: Order): Promise<boolean> {
  if (!order.payment) return false;
  const payment = await deps.provider.query(order.orderId);
  if (!payment || payment.state !== 'SUCCESS') return false;
  const refusal = await paymentRefusal(deps.provider, payment, order);
  if (refusal) {
    logger.error('provider reports a payment that does not match the order', { orderId: order.orderId, reason: refusal });
    return false;
  }
  const outcome = await deps.store.markPaid(order, payment.transactionId!, deps.now());
  return 'paid' in outcome || 'alreadyPaid' in outcome;
}

/** Asks the provider to refund a PAID order it was paid for; the order becomes REFUNDED on the refund notification. */
export async function requestProviderRefund(deps: Pick<PaymentDeps, 'provider' | 'store' | 'now'>, order: Order, reason: string, notifyUrl: string): Promise<Order> {
  const outRefundNo = refundNumberFor(order.orderId, 'refund');
  if (!order.refund) await deps.store.recordRefundRequest(order.orderId, { outRefundNo, requestedAt: deps.now().toISOString(), reason });
  // asked again on every call: the same out_refund_no never refunds twice
  await deps.provider.refund({ orderId: order.orderId, outRefundNo, refundFen: order.totalFen, totalFen: order.totalFen, reason, notifyUrl });
  return (await deps.store.getOrder(order.orderId))!;
}

