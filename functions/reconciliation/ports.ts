/**
 * The reconciliation context: once a day, the provider's bills are compared with what the
 * province recorded (paid orders, refunds, payouts). Every difference becomes a mismatch that a
 * province admin sees, an event and an alarm; a clean day says so.
 */
import type { Fen } from '../domain/money.js';
import type { Order } from '../domain/order.js';
import type { Payout } from '../domain/payout.js';

/** One line of a provider bill, as reconciliation reads it. */
export type BillLine =
  | { kind: 'payment'; orderId: string; transactionId: string; amountFen: Fen; at: string }
  | { kind: 'refund'; orderId: string; transactionId: string; outRefundNo: string; amountFen: Fen; at: string }
  | { kind: 'transfer'; reference: string; billNo: string; amountFen: Fen; at: string };

export interface BillProvider {
  /** The trade bill of a day (China time): payments and refunds. Throws BillNotReady before the provider has it. */
  tradeBill(day: string): Promise<BillLine[]>;
  /** The fund-flow bill of a day: the merchant transfers paid out. */
  fundFlowBill(day: string): Promise<BillLine[]>;
}

/**
 * The provider has no bill for the day yet (WeChat Pay makes the day's bills from 10:00 the next
 * morning), or none at all: `noStatement` once the bills are made means a day without a line.
 */
export class BillNotReady extends Error {
  override readonly name = 'BillNotReady';
  constructor(message: string, readonly noStatement = false) {
    super(message);
  }
}

export type MismatchKind =
  /** The provider took money for an order we do not count as paid (nor as late money sent back). */
  | 'PAID_THERE_NOT_HERE'
  | 'PAYMENT_AMOUNT_DIFFERS'
  /** The provider refunded money we have no refund for. */
  | 'REFUND_THERE_NOT_HERE'
  | 'REFUND_AMOUNT_DIFFERS'
  /** A transfer out of the account that is no payout of ours. */
  | 'TRANSFER_NOT_OURS'
  | 'TRANSFER_AMOUNT_DIFFERS'
  /** A payout we count as paid that the provider's bills (that day or the day before) do not show. */
  | 'PAID_OUT_HERE_NOT_THERE';

export interface Mismatch {
  day: string;
  kind: MismatchKind;
  /** What it is about: the order id, the refund number, the transfer reference. */
  ref: string;
  providerFen?: Fen;
  ourFen?: Fen;
  detail: string;
  foundAt: string;
}

export interface Reconciliation {
  day: string;
  status: 'CLEAN' | 'MISMATCHES';
  reconciledAt: string;
  /** How many times it ran (a re-run finds only what is new). */
  runs: number;
  checked: { payments: number; refunds: number; transfers: number; payouts: number };
  totals: { paidFen: Fen; refundedFen: Fen; transferredFen: Fen };
  mismatchCount: number;
  /** The mismatches this run found (`<kind>#<ref>`): one an earlier run found and this one did not is resolved. */
  current: string[];
}

/** What the province recorded, looked up by key from what the bill names. */
export interface Books {
  order(orderId: string): Promise<Order | undefined>;
  payoutOfReference(reference: string): Promise<Payout | undefined>;
  /** The payouts that became SUCCEEDED on a day (China time). */
  payoutsSucceededOn(day: string): Promise<Payout[]>;
}

export interface ReconciliationStore {
  /** The day's result with its mismatches (each kept once: a re-run adds only new ones). */
  save(reconciliation: Reconciliation, mismatches: Mismatch[]): Promise<void>;
  get(day: string): Promise<{ reconciliation: Reconciliation; mismatches: Mismatch[] } | undefined>;
}

export interface ReconciliationDeps {
  bills: BillProvider;
  books: Books;
  store: ReconciliationStore;
  now: () => Date;
}
