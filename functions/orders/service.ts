/**
 * Order use cases: reserve, pay, cancel, expire. Domain rules come from functions/domain;
 * storage comes in through the store interfaces, so the same code runs in Lambda, in tests
 * and in the local province.
 */
import type { CatalogStore } from '../adapters/catalog-store.js';
import { OrderExistsError, type OrderStore } from '../adapters/order-store.js';
import type { ShowStore } from '../adapters/show-store.js';
import { DomainError } from '../domain/errors.js';
import { cancelRefusal, isOwnedBy, isSameReservation, type Order, payRefusal, planReservation, type ReservationRequest } from '../domain/order.js';

export interface OrderDeps {
  orders: OrderStore;
  shows: ShowStore;
  catalog: CatalogStore;
  now: () => Date;
  newId: () => string;
  reservationTimeoutMinutes: number;
}

/** What the API shows of an order. */
export function orderView(order: Order) {
  return {
    orderId: order.orderId,
    storefrontId: order.storefrontId,
    showId: order.showId,
    buyerRef: order.buyerRef,
    status: order.status,
    totalFen: order.totalFen,
    expiresAt: order.expiresAt,
    items: order.items.map(({ productId, name, unit, quantity, showPriceFen, amountFen }) => ({
      productId, name, unit, quantity, showPriceFen, amountFen,
    })),
    createdAt: order.createdAt,
    ...(order.paidAt ? { paidAt: order.paidAt, paymentRef: order.paymentRef } : {}),
    ...(order.cancelledAt ? { cancelledAt: order.cancelledAt } : {}),
    ...(order.expiredAt ? { expiredAt: order.expiredAt } : {}),
    ...(order.refundedAt ? { refundedAt: order.refundedAt } : {}),
  };
}
export type OrderView = ReturnType<typeof orderView>;

const notFound = (orderId: string) => new DomainError('NOT_FOUND', `order ${orderId} does not exist`, 'orderId');

/**
 * Reserves an order. With an `orderId` derived from the storefront's idempotency key, asking again
 * answers with the order already made (or refuses a different request under the same key).
 */
export async function reserveOrder(deps: OrderDeps, request: ReservationRequest, orderId: string = deps.newId()): Promise<OrderView> {
  const show = await deps.shows.getShow(request.showId);
  if (!show) throw new DomainError('NOT_FOUND', `show ${request.showId} does not exist`, 'showId');
  const products = await deps.catalog.getProducts(request.items.map((i) => i.productId));
  const planned = planReservation({
    orderId,
    request,
    show,
    products,
    now: deps.now(),
    timeoutMinutes: deps.reservationTimeoutMinutes,
  });
  try {
    const order = await deps.orders.reserve(planned, (productId) => products.get(productId)?.stockShards ?? 1);
    return orderView(order);
  } catch (error) {
    if (!(error instanceof OrderExistsError)) throw error;
    const existing = await deps.orders.get(orderId);
    if (existing && isSameReservation(existing, request)) return orderView(existing);
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'idempotency-key: this key was already used with a different body', 'idempotency-key');
  }
}

/** The storefront's own order; another's is "not found". */
async function ownOrder(deps: Pick<OrderDeps, 'orders'>, orderId: string, storefrontId: string): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!isOwnedBy(order, storefrontId)) throw notFound(orderId);
  return order;
}

export async function getOrder(deps: Pick<OrderDeps, 'orders'>, orderId: string, storefrontId: string): Promise<OrderView> {
  return orderView(await ownOrder(deps, orderId, storefrontId));
}

export async function payOrder(deps: Pick<OrderDeps, 'orders' | 'now'>, orderId: string, paymentRef: string, storefrontId: string): Promise<OrderView> {
  const now = deps.now();
  const paid = await deps.orders.pay(orderId, paymentRef, now, storefrontId);
  if (paid) return orderView(paid);
  const order = await ownOrder(deps, orderId, storefrontId);
  const refusal = payRefusal(order, paymentRef, now);
  if (refusal) throw refusal;
  return orderView(order);
}

export async function cancelOrder(deps: Pick<OrderDeps, 'orders' | 'now'>, orderId: string, storefrontId: string): Promise<OrderView> {
  const order = await ownOrder(deps, orderId, storefrontId);
  if (order.status === 'RESERVED' && (await deps.orders.release(order, 'CANCELLED', deps.now()))) {
    return getOrder(deps, orderId, storefrontId);
  }
  const latest = (await deps.orders.get(orderId)) ?? order;
  const refusal = cancelRefusal(latest);
  if (refusal) throw refusal;
  return orderView(latest);
}

/** Releases every reservation past its expiry. Safe to run concurrently and repeatedly. */
export async function expireReservations(deps: Pick<OrderDeps, 'orders' | 'now'>): Promise<{ expired: number; skipped: number }> {
  const now = deps.now();
  let expired = 0;
  let skipped = 0;
  for await (const order of deps.orders.expiredReservations(now)) {
    if (await deps.orders.release(order, 'EXPIRED', now)) expired++;
    else skipped++;
  }
  return { expired, skipped };
}
