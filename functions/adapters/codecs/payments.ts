/**
 * The payments table's layout: what the provider told us, kept for audit, and the claims that
 * make a payment reference pay one order only. The only code that knows these keys.
 */
import { randomUUID } from 'node:crypto';
import type { ReceivedNotification } from '../../payments/ports.js';
import type { Item } from './item.js';

export const paymentsTable = {
  /** A provider transaction (or a merchant-of-record storefront's own reference) claims the order it paid. */
  claimKey: (ref: string) => ({ pk: `PAYREF#${ref}`, sk: 'PAYREF' }),
  claimItem: (ref: string, orderId: string, at: string): Item => ({ ...paymentsTable.claimKey(ref), orderId, claimedAt: at }),

  /** A payout's provider reference names the payout (claimed once, like a payment reference). */
  payoutReferenceItem: (reference: string, payoutId: string, at: string): Item => ({ ...paymentsTable.claimKey(reference), payoutId, claimedAt: at }),

  /** The province's payouts not final yet (a sparse list the payout sweep reads). */
  inFlightKey: (payoutId: string) => ({ pk: 'PAYOUTS#INFLIGHT', sk: payoutId }),
  IN_FLIGHT: 'PAYOUTS#INFLIGHT',

  /** The bank payouts submitted on a day (China time): the day's batch. */
  bankBatchKey: (day: string, payoutId: string) => ({ pk: `BANKBATCH#${day}`, sk: payoutId }),
  bankBatchOf: (day: string) => `BANKBATCH#${day}`,

  /** The payouts that became SUCCEEDED on a day (China time): what the day's reconciliation looks for in the provider's bill. */
  paidOutKey: (day: string, payoutId: string) => ({ pk: `PAIDOUT#${day}`, sk: payoutId }),
  paidOutOf: (day: string) => `PAIDOUT#${day}`,

  /** A refund after settlement waiting for an operator of the county: listed until decided. */
  pendingRefundKey: (countyId: string, requestedAt: string, orderId: string) => ({ pk: `REFUNDS#${countyId}#PENDING`, sk: `${requestedAt}#${orderId}` }),
  pendingRefundsOf: (countyId: string) => `REFUNDS#${countyId}#PENDING`,
  pendingRefundItem: (countyId: string, requestedAt: string, orderId: string, showId: string, totalFen: number): Item => ({
    ...paymentsTable.pendingRefundKey(countyId, requestedAt, orderId), orderId, showId, countyId, totalFen, requestedAt,
  }),

  /** A notification as received, under its order (or, when none matched, under its day): never changed. */
  notificationItem(n: ReceivedNotification): Item {
    const pk = n.orderId ? `ORDER#${n.orderId}` : `UNMATCHED#${n.receivedAt.slice(0, 10)}`;
    const { keepDays, ...rest } = n;
    // `expireAt` (the table's TTL attribute): refused notifications from anyone are not kept for ever
    return { pk, sk: `NOTIFY#${n.receivedAt}#${randomUUID()}`, ...rest, ...(keepDays ? { expireAt: Math.floor(Date.parse(n.receivedAt) / 1000) + keepDays * 86_400 } : {}) };
  },
};
