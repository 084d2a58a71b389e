/** The orders context: the stores its use cases need and what they answer when a condition fails. */
import type { Order, ProductForSale } from '../domain/order.js';
import type { Show } from '../domain/show.js';

/** Why a reservation wrote nothing. `line` is the position of the order line that was short. */
export type ReserveRefusal =
  /** The line's product is not on sale in this show at the order's price (the show ended, or its lineup changed since the order was priced): read the show again. */
  | { refused: 'show-changed'; line: number }
  /** An order with this id exists: the same idempotency key was used before. */
  | { refused: 'order-exists' }
  /** Another transaction held the order each time it was tried: the same key is being written right now. */
  | { refused: 'busy' }
  | { refused: 'out-of-stock'; line: number };

export interface OrderStore {
  /**
   * Takes the stock and writes the order in one transaction, each line only where its product is
   * on sale in the order's show (LIVE) at the line's show price. A line of a sharded product takes
   * from one shard, moving on to another when that one is short; the order returned says which
   * shard each line took from.
   */
  reserve(order: Order, stockShards: (productId: string) => number): Promise<{ placed: Order } | ReserveRefusal>;
  get(orderId: string): Promise<Order | undefined>;
  /**
   * RESERVED, unexpired and the storefront's own → PAID, the reference claimed so it names no other
   * order (for good, paid or not). Undefined when the order could not be paid (or was paid by
   * another call); 'ref-used' when the reference names another order.
   */
  pay(orderId: string, paymentRef: string, now: Date, storefrontId: string): Promise<Order | 'ref-used' | undefined>;
  /** RESERVED → CANCELLED or EXPIRED, returning the stock in the same transaction. False when the order had left RESERVED (or, for expiry, is not yet due). */
  release(order: Order, to: 'CANCELLED' | 'EXPIRED', now: Date): Promise<boolean>;
}

/** The show an order is for (its status and lineup). */
export interface ShowsForOrders {
  /** The show; `fresh` skips any cache (after the show changed under an order). */
  getShow(showId: string, options?: { fresh?: boolean }): Promise<Show | undefined>;
}

/** What an order needs to know of the products it sells. */
export interface ProductsForSale {
  getProducts(productIds: readonly string[]): Promise<ReadonlyMap<string, ProductForSale>>;
}

/** The payment provider's word on a reservation whose payment was started. */
export interface PaymentConfirmation {
  /** True when the provider was paid for it (the order is now PAID and must not expire). */
  paidAtProvider(order: Order): Promise<boolean>;
}

export interface OrderDeps {
  orders: OrderStore;
  payments: PaymentConfirmation;
  shows: ShowsForOrders;
  catalog: ProductsForSale;
  now: () => Date;
  newId: () => string;
  reservationTimeoutMinutes: number;
}
