/**
 * The settlements table's layout: per show, the settlement header, one adjustment per refund
 * after settlement, one payout per seller (the statements are in their own table, codecs/statements.ts:
 * this table's stream is an outbox and statements give no events); per seller, what it owes back
 * from payouts that refunds later lowered; per day, the reconciliation with the provider's bills.
 * The only code that knows these keys.
 */
import type { Payout, Receivable } from '../../domain/payout.js';
import type { Mismatch, Reconciliation } from '../../reconciliation/ports.js';
import type { Adjustment, Settlement } from '../../settlement/ports.js';
import { type Item, strip } from './item.js';

const partition = (showId: string) => `SETTLEMENT#${showId}`;
const HEADER = ['pk', 'sk', 'due'] as const;
const KEYS = ['pk', 'sk'] as const;

/** What an item of the table is. */
export type SettlementsItem =
  | { kind: 'settlement'; settlement: Settlement }
  | { kind: 'adjustment'; adjustment: Adjustment }
  | { kind: 'payout'; payout: Payout }
  | { kind: 'reconciliation'; reconciliation: Reconciliation }
  | { kind: 'mismatch'; mismatch: Mismatch };

export const settlementsTable = {
  partition,
  settlementKey: (showId: string) => ({ pk: partition(showId), sk: 'SETTLEMENT' }),
  adjustmentKey: (showId: string, orderId: string) => ({ pk: partition(showId), sk: `ADJUSTMENT#${orderId}` }),
  /** A seller's payout for the show. */
  payoutKey: (showId: string, sellerId: string) => ({ pk: partition(showId), sk: `PAYOUT#${sellerId}` }),
  PAYOUT_PREFIX: 'PAYOUT#',
  payoutItem: (p: Payout): Item => ({ ...settlementsTable.payoutKey(p.showId, p.sellerId), ...p }),
  toPayout: (item: Item) => strip<Payout>(item, KEYS),
  /** A seller's receivables (refunds after a payout was fixed), one per show, in the seller's own partition. */
  receivablesPartition: (sellerId: string) => `RECEIVABLES#${sellerId}`,
  receivableKey: (sellerId: string, showId: string) => ({ pk: `RECEIVABLES#${sellerId}`, sk: `SHOW#${showId}` }),
  receivableItem: (r: Receivable): Item => ({ ...settlementsTable.receivableKey(r.sellerId, r.showId), ...r }),
  toReceivable: (item: Item) => strip<Receivable>(item, KEYS),
  /** A day's reconciliation with the provider's bills, and each mismatch it found (kept once: the stream publishes it). */
  reconciliationPartition: (day: string) => `RECONCILIATION#${day}`,
  reconciliationItem: (r: Reconciliation): Item => ({ pk: `RECONCILIATION#${r.day}`, sk: 'RECONCILIATION', ...r }),
  mismatchItem: (m: Mismatch): Item => ({ pk: `RECONCILIATION#${m.day}`, sk: `MISMATCH#${m.kind}#${m.ref}`, ...m }),
  /** The sparse index of settlements still to run. */
  DUE: 'DUE',
  /** …and, in the same index, settled shows whose payouts have not all been made yet (the payout sweep's backstop for a lost Show Settled). */
  PAYOUTS_DUE: 'PAYOUTS',

  /** A newly registered settlement is due. */
  settlementItem: (s: Settlement): Item => ({ ...settlementsTable.settlementKey(s.showId), ...s, due: settlementsTable.DUE }),
  adjustmentItem: (a: Adjustment): Item => ({ ...settlementsTable.adjustmentKey(a.showId, a.orderId), ...a }),
  toSettlement: (item: Item) => strip<Settlement>(item, HEADER),

  decode(item: Item): SettlementsItem | undefined {
    const sk = String(item.sk);
    if (String(item.pk).startsWith('RECONCILIATION#')) {
      if (sk === 'RECONCILIATION') return { kind: 'reconciliation', reconciliation: strip<Reconciliation>(item, KEYS) };
      if (sk.startsWith('MISMATCH#')) return { kind: 'mismatch', mismatch: strip<Mismatch>(item, KEYS) };
      return undefined;
    }
    if (sk === 'SETTLEMENT') return { kind: 'settlement', settlement: strip<Settlement>(item, HEADER) };
    if (sk.startsWith('ADJUSTMENT#')) return { kind: 'adjustment', adjustment: strip<Adjustment>(item, KEYS) };
    if (sk.startsWith('PAYOUT#')) return { kind: 'payout', payout: strip<Payout>(item, KEYS) };
    return undefined;
  },
};
