/**
 * Order use cases: reserve, pay, cancel, expire. Domain rules come from functions/domain;
 * storage comes in through the store interfaces, so the same code runs in Lambda, in tests
 * and in the local province.
 */
import type { StorefrontCaller } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { cancelRefusal, isExpired, isOwnedBy, isSameReservation, type Order, payRefusal, planReservation, type ReservationRequest } from '../domain/order.js';
import type { OrderDeps } from './ports.js';
import { orderView, type OrderView } from './views.js';

const notFound = (orderId: string) => new DomainError('NOT_FOUND', `order ${orderId} does not exist`, 'orderId');

/**
 * Reserves an order. With an `orderId` derived from the storefront's idempotency key, asking again
 * answers with the order already made (the order is the only record of the key: its request
 * fingerprint refuses a different request under the same key).
 */
export async function reserveOrder(deps: OrderDeps, caller: StorefrontCaller, input: Omit<ReservationRequest, 'storefrontId'>, orderId: string = deps.newId()): Promise<OrderView> {
  const request: ReservationRequest = { ...input, storefrontId: caller.storefrontId };
  const products = await deps.catalog.getProducts(request.items.map((i) => i.productId));
  const ATTEMPTS = 3;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // each try after one refused because the show changed reads it fresh
    const show = await deps.shows.getShow(request.showId, { fresh: attempt > 0 });
    if (!show) throw new DomainError('NOT_FOUND', `show ${request.showId} does not exist`, 'showId');
    const planned = planReservation({ orderId, request, show, products, now: deps.now(), timeoutMinutes: deps.reservationTimeoutMinutes });
    const outcome = await deps.orders.reserve(planned, (productId) => products.get(productId)?.stockShards ?? 1);
    if ('placed' in outcome) return orderView(outcome.placed);
    switch (outcome.refused) {
      case 'show-changed': {
        if (attempt < ATTEMPTS - 1) continue; // ended, or repriced since it was read: look again (planReservation refuses a show no longer LIVE)
        const field = `items[${outcome.line}].productId`;
        const productId = planned.items[outcome.line]!.productId;
        throw new DomainError('NOT_ON_SALE', `${field}: product ${productId} is not on sale in show ${request.showId} right now (its sale is opening, closing or held by another live show); retry shortly`, field);
      }
      case 'out-of-stock': {
        const field = `items[${outcome.line}].productId`;
        const line = planned.items[outcome.line]!;
        throw new DomainError('OUT_OF_STOCK', `${field}: not enough stock of ${line.productId} for ${line.quantity}`, field);
      }
      case 'busy':
        throw new DomainError('IDEMPOTENCY_IN_PROGRESS', 'idempotency-key: a request with this key is still in progress; retry shortly', 'idempotency-key');
      case 'order-exists': {
        const existing = await deps.orders.get(orderId);
        if (existing && isSameReservation(existing, request)) return orderView(existing);
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'idempotency-key: this key was already used with a different body', 'idempotency-key');
      }
    }
  }
  throw new DomainError('SHOW_NOT_LIVE', `show ${request.showId} is no longer LIVE`, 'showId');
}

/** The storefront's own order; another's is "not found". */
async function ownOrder(deps: Pick<OrderDeps, 'orders'>, orderId: string, storefrontId: string): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!isOwnedBy(order, storefrontId)) throw notFound(orderId);
  return order;
}

export async function getOrder(deps: Pick<OrderDeps, 'orders'>, caller: StorefrontCaller, orderId: string): Promise<OrderView> {
  return orderView(await ownOrder(deps, orderId, caller.storefrontId));
}

/**
 * A merchant-of-record storefront (it collected the money and answers for it) reports a payment
 * with its own reference. Every other storefront's orders are paid through the payment provider.
 */
export async function payOrder(deps: Pick<OrderDeps, 'orders' | 'now'>, caller: StorefrontCaller, orderId: string, paymentRef: string): Promise<OrderView> {
  const { storefrontId } = caller;
  if (!caller.merchantOfRecord) {
    throw new DomainError('FORBIDDEN', `storefront ${storefrontId} is not a merchant of record: its buyers pay through the province's payment provider (POST /orders/${orderId}/payment)`);
  }
  const now = deps.now();
  const paid = await deps.orders.pay(orderId, paymentRef, now, storefrontId);
  if (paid === 'ref-used') throw new DomainError('ORDER_STATE_CONFLICT', `paymentRef: ${paymentRef} was already used for another order`, 'paymentRef');
  if (paid) return orderView(paid);
  const order = await ownOrder(deps, orderId, storefrontId);
  const refusal = payRefusal(order, paymentRef, now);
  if (refusal) throw refusal;
  return orderView(order);
}

export async function cancelOrder(deps: Pick<OrderDeps, 'orders' | 'now'>, caller: StorefrontCaller, orderId: string): Promise<OrderView> {
  const order = await ownOrder(deps, orderId, caller.storefrontId);
  if (order.status === 'RESERVED' && (await deps.orders.release(order, 'CANCELLED', deps.now()))) {
    return getOrder(deps, caller, orderId);
  }
  const latest = (await deps.orders.get(orderId)) ?? order;
  const refusal = cancelRefusal(latest);
  if (refusal) throw refusal;
  return orderView(latest);
}

/** What became of a reservation whose time came: only `not-due` and `unconfirmed` are to be tried again later. */
export type ExpiryOutcome = 'expired' | 'not-reserved' | 'paid-at-provider' | 'not-due' | 'unconfirmed';

/**
 * Releases a reservation whose time is up, giving its stock back. One whose payment was started
 * is first checked with the provider: paid there (its notification lost or late), it becomes PAID
 * instead. A payment that lands after the release is refunded when its notification arrives.
 * Safe to run concurrently and repeatedly: the release is conditional on RESERVED and due.
 */
export async function expireReservation(deps: Pick<OrderDeps, 'orders' | 'payments' | 'now'>, orderId: string): Promise<ExpiryOutcome> {
  const order = await deps.orders.get(orderId);
  if (order?.status !== 'RESERVED') return 'not-reserved';
  const now = deps.now();
  if (!isExpired(order, now)) return 'not-due';
  if (order.payment) {
    try {
      if (await deps.payments.paidAtProvider(order)) return 'paid-at-provider';
    } catch {
      return 'unconfirmed'; // the provider cannot say now: keep it (it may be paid); asked again later
    }
  }
  return (await deps.orders.release(order, 'EXPIRED', now)) ? 'expired' : 'not-reserved';
}
