/** The outbox relay's context: table changes in, domain events out. */
import type { Order } from '../domain/order.js';
import type { Payout } from '../domain/payout.js';
import type { Show } from '../domain/show.js';
import type { Mismatch } from '../reconciliation/ports.js';
import type { Adjustment, Settlement } from '../settlement/ports.js';

export interface BusEvent {
  source: string;
  detailType: string;
  time: string;
  detail: object;
}

export interface EventPublisher {
  /** Publishes the events; returns the positions of those that were NOT accepted. */
  publish(events: readonly BusEvent[]): Promise<number[]>;
}

/** A change of one entity in a table stream, decoded by the table's codec (before and after). */
export type EntityChange =
  | { entity: 'order'; before?: Order; after?: Order }
  | { entity: 'show'; before?: Show; after?: Show }
  | { entity: 'settlement'; before?: Settlement; after?: Settlement }
  | { entity: 'adjustment'; before?: Adjustment; after?: Adjustment }
  | { entity: 'payout'; before?: Payout; after?: Payout }
  | { entity: 'mismatch'; before?: Mismatch; after?: Mismatch };
