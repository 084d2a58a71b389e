import { createHash } from 'node:crypto';
import { DomainError } from './errors.js';
import { type Fen, lineAmount, MAX_ORDER_FEN, sumFen } from './money.js';
import { lineupEntry, type Show } from './show.js';

export type OrderStatus = 'RESERVED' | 'PAID' | 'CANCELLED' | 'EXPIRED' | 'REFUNDED';

export interface OrderLine {
  productId: string;
  sellerId: string;
  name: string;
  unit: string;
  quantity: number;
  showPriceFen: Fen;
  amountFen: Fen;
  /** The stock shard the units came from (sharded products), so they go back to it. */
  stockShard?: number;
}

export interface Order {
  orderId: string;
  /** The storefront that placed it: the only one that may see or change it. */
  storefrontId: string;
  showId: string;
  countyId: string;
  buyerRef: string;
  status: OrderStatus;
  items: OrderLine[];
  totalFen: Fen;
  createdAt: string;
  expiresAt: string;
  /**
   * The fingerprint of the request that reserved it (`reservationFingerprint`): the same
   * idempotency key with another request is refused by comparing it, with no record elsewhere.
   */
  requestFingerprint?: string;
  paidAt?: string;
  /** What paid it: the provider's transaction id (or, for a merchant-of-record storefront, its own reference). */
  paymentRef?: string;
  /** How it was paid: through the province's provider (refunds go back through it), or absent: a merchant of record's own reference. */
  paidVia?: 'wechatpay';
  /** A payment opened at the provider for this order (its expiry asks the provider before expiring it). */
  payment?: { provider: 'wechatpay'; prepayId: string; startedAt: string };
  /** Money that arrived after the order was no longer payable (expired, cancelled), and its refund. */
  latePayment?: { transactionId: string; amountFen: Fen; outRefundNo: string; refundState: string; receivedAt: string };
  /**
   * A refund asked for. Before settlement it goes to the provider at once (the order becomes
   * REFUNDED on its verified notification); after settlement an operator of the show's county
   * approves or refuses it first (`approval`).
   */
  refund?: { outRefundNo: string; requestedAt: string; reason: string; approval?: 'PENDING' | 'APPROVED' | 'REFUSED'; decidedBy?: string; decidedAt?: string };
  cancelledAt?: string;
  expiredAt?: string;
  refundedAt?: string;
}

/** The provider's refund number for an order: deterministic, so a retry never refunds twice (≤ 64 chars). */
export const refundNumberFor = (orderId: string, kind: 'refund' | 'late') => `${kind === 'late' ? 'L' : 'R'}${orderId.replaceAll('-', '')}`;

export interface ProductForSale {
  productId: string;
  sellerId: string;
  name: string;
  unit: string;
  /** How many items the stock is spread over (absent or 1: the product item itself). */
  stockShards?: number;
}

export interface ReservationRequest {
  storefrontId: string;
  showId: string;
  buyerRef: string;
  items: { productId: string; quantity: number }[];
}

/**
 * Builds a RESERVED order from a request: only while the show is LIVE, only for products in
 * its lineup, always at the show price. Stock is taken by the store in the same transaction.
 */
export function planReservation(args: {
  orderId: string;
  request: ReservationRequest;
  show: Show;
  products: ReadonlyMap<string, ProductForSale>;
  now: Date;
  timeoutMinutes: number;
}): Order {
  const { orderId, request, show, products, now, timeoutMinutes } = args;
  if (show.status !== 'LIVE') {
    throw new DomainError('SHOW_NOT_LIVE', `show ${show.showId} is ${show.status}; orders are taken only while it is LIVE`, 'showId');
  }
  const items = request.items.map((item, i): OrderLine => {
    const field = `items[${i}].productId`;
    const entry = lineupEntry(show, item.productId);
    const product = products.get(item.productId);
    if (!entry || !product) {
      throw new DomainError('NOT_IN_LINEUP', `${field}: product ${item.productId} is not in the lineup of show ${show.showId}`, field);
    }
    return {
      productId: item.productId,
      sellerId: product.sellerId,
      name: product.name,
      unit: product.unit,
      quantity: item.quantity,
      showPriceFen: entry.showPriceFen,
      amountFen: lineAmount(entry.showPriceFen, item.quantity, `items[${i}].quantity`),
    };
  });
  const totalFen = sumFen(items.map((l) => l.amountFen));
  if (totalFen > MAX_ORDER_FEN) throw new DomainError('VALIDATION_FAILED', 'items: order total is too large', 'items');
  return {
    orderId,
    storefrontId: request.storefrontId,
    showId: show.showId,
    countyId: show.countyId,
    buyerRef: request.buyerRef,
    status: 'RESERVED',
    items,
    totalFen,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + timeoutMinutes * 60_000).toISOString(),
    requestFingerprint: reservationFingerprint(request),
  };
}

export function isExpired(order: Order, now: Date): boolean {
  return order.status === 'RESERVED' && Date.parse(order.expiresAt) <= now.getTime();
}

/**
 * Why paying this order was refused (the store's conditional write failed), or `undefined`
 * when it is already PAID by the same payment (a retried request: answer with the order).
 */
export function payRefusal(order: Order, paymentRef: string, now: Date): DomainError | undefined {
  if (order.status === 'PAID' && order.paymentRef === paymentRef) return undefined;
  if (isExpired(order, now) || order.status === 'EXPIRED') {
    return new DomainError('RESERVATION_EXPIRED', `order ${order.orderId}: the reservation expired at ${order.expiresAt}`);
  }
  return new DomainError('ORDER_STATE_CONFLICT', `order ${order.orderId} is ${order.status} and cannot be paid`);
}

/** Why cancelling was refused, or `undefined` when it is already CANCELLED (answer with the order). */
export function cancelRefusal(order: Order): DomainError | undefined {
  if (order.status === 'CANCELLED') return undefined;
  return new DomainError('ORDER_STATE_CONFLICT', `order ${order.orderId} is ${order.status} and cannot be cancelled`);
}

/** Only a PAID order can be refunded, once. */
export function refundRefusal(order: Order): DomainError | undefined {
  if (order.status === 'PAID') return undefined;
  return new DomainError('ORDER_STATE_CONFLICT', `order ${order.orderId} is ${order.status}; only a PAID order can be refunded`);
}

/** What each seller sold in an order, in fen. */
export function sellerAmounts(order: Order): Map<string, number> {
  const bySeller = new Map<string, number>();
  for (const line of order.items) bySeller.set(line.sellerId, (bySeller.get(line.sellerId) ?? 0) + line.amountFen);
  return bySeller;
}

/** Another storefront's order is answered as not found. */
export function isOwnedBy(order: Order | undefined, storefrontId: string): order is Order {
  return order !== undefined && order.storefrontId === storefrontId;
}

/**
 * The order id for a storefront's idempotency key: the same key always names the same order, so
 * a retried reservation can never create a second one (the order is the only record of the key).
 */
export function orderIdFor(storefrontId: string, idempotencyKey: string): string {
  const h = createHash('sha256').update(`${storefrontId}\u0000${idempotencyKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * A request's fingerprint: SHA-256 over its fields in a fixed order (lines sorted by product, as
 * the order of lines does not change what is asked), base64url. Kept on the order it reserved.
 */
export function reservationFingerprint(request: ReservationRequest): string {
  const lines = [...request.items].map(({ productId, quantity }) => [productId, quantity] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify([request.storefrontId, request.showId, request.buyerRef, lines]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Is `order` what `request` asks for (the same reservation, asked again)? */
export function isSameReservation(order: Order, request: ReservationRequest): boolean {
  return order.storefrontId === request.storefrontId && order.requestFingerprint === reservationFingerprint(request);
}
