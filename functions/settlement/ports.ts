/** The settlement context: settlements, statements, the ledger, and the stores they need. */
import type { Order } from '../domain/order.js';
import type { PendingRefund } from '../payments/ports.js';
import type { SellerFacts, SellerKind } from '../domain/facts.js';
import type { JournalEntry, Reversal, SellerSplit } from '../domain/settlement.js';

export type SettlementStatus = 'PENDING' | 'SETTLING' | 'SETTLED' | 'FAILED';

export interface Settlement {
  showId: string;
  countyId: string;
  status: SettlementStatus;
  sellerShareBps: number;
  registeredAt: string;
  /** The payment window of the show's last reservations has closed by then. */
  dueAt: string;
  startedAt?: string;
  leaseUntil?: string;
  attempts: number;
  settledAt?: string;
  grossFen?: number;
  sellerPayoutFen?: number;
  operationsFen?: number;
  sellerCount?: number;
  orderCount?: number;
  lastError?: string;
}

/** One seller's statement of a settled show, with what refunds reversed since. */
export interface Statement extends SellerSplit {
  showId: string;
  name: string;
  /** The seller's facts officials count, as they were when the show was settled (later edits never change them). */
  facts?: SellerFacts;
  refundedFen: number;
  payoutReversedFen: number;
  operationsReversedFen: number;
}

/** A refund after settlement: what it reversed per seller. */
export interface Adjustment {
  showId: string;
  orderId: string;
  at: string;
  reversals: Reversal[];
}

/** A settlement with everything written under it. */
export interface SettlementWithStatements {
  settlement?: Settlement;
  statements: Statement[];
  adjustments: Adjustment[];
  /** Each seller's payout status, once payouts started (the payouts context writes them beside the settlement). */
  payoutStatus?: Record<string, string>;
}

export type SettlementTotals = Required<Pick<Settlement, 'grossFen' | 'sellerPayoutFen' | 'operationsFen' | 'sellerCount' | 'orderCount'>>;

/** How many sellers one `writeSellers` call takes (a statement and a journal entry each). */
export const SELLERS_PER_WRITE = 50;

export interface SettlementStore {
  /** Registers a show once; false if it already was. */
  register(settlement: Settlement): Promise<boolean>;
  get(showId: string): Promise<Settlement | undefined>;
  getWithStatements(showId: string): Promise<SettlementWithStatements>;
  /** Some sellers' statements of a show. */
  statements(showId: string, sellerIds: readonly string[]): Promise<Map<string, Statement>>;
  /** Settlements to run by `now`, oldest first. */
  due(now: Date): Promise<Settlement[]>;
  /** PENDING and due, or SETTLING with an expired lease (a crashed run) → SETTLING, leased. */
  claim(showId: string, now: Date, leaseUntil: Date): Promise<Settlement | undefined>;
  finish(showId: string, totals: SettlementTotals, now: Date): Promise<void>;
  /** Records a failed attempt: retried after `retryAt`, or FAILED for an operator to re-run. */
  failAttempt(showId: string, error: string, retryAt: Date, final: boolean): Promise<void>;
  /** FAILED → PENDING, due now. False if it was not FAILED. */
  rerun(showId: string, now: Date): Promise<boolean>;
}

/** The append-only journal: entries are added, never changed. Every entry must balance. */
export interface LedgerStore {
  /** Adds the entry; 'exists' when an entry with its id is already there (a retry). */
  append(entry: JournalEntry): Promise<'appended' | 'exists'>;
  get(entryId: string): Promise<JournalEntry | undefined>;
}

/** Units of work that span the statements, settlements, orders and ledger tables, each all or nothing. */
export interface SettlementBook {
  /** Statements and payout entries of up to SELLERS_PER_WRITE sellers; what an earlier attempt wrote is kept. */
  writeSellers(statements: Statement[], entries: JournalEntry[]): Promise<void>;
  /** PAID → REFUNDED while the show is not settled yet (nothing to adjust). False if settlement started or the order changed meanwhile. */
  refundUnsettled(order: Order, now: Date): Promise<boolean>;
  /** PAID → REFUNDED after settlement: statements, adjustment and reversal entries together. False if anything changed meanwhile. */
  refundSettled(order: Order, reversals: { reversal: Reversal; statement: Statement }[], entries: JournalEntry[], now: Date): Promise<boolean>;
}

/** What settlement reads of orders. */
export interface PaidOrders {
  get(orderId: string): Promise<Order | undefined>;
  /** A show's PAID orders, one page at a time. */
  paidOrders(showId: string, pageSize?: number): AsyncGenerator<Order[]>;
}

/** Ended shows whose settlement is not registered yet: the backstop for a Show Ended event that never arrived. */
export interface EndedShows {
  awaitingSettlement(): AsyncGenerator<{ showId: string; countyId: string }>;
  /** The show's settlement is registered: it no longer awaits one. */
  settlementRegistered(showId: string): Promise<void>;
}

/** Sellers' names and facts, and products' certification, for the statements (batch reads). */
export interface SellerDirectory {
  getSellers(sellerIds: readonly string[]): Promise<ReadonlyMap<string, { name: string; kind: SellerKind; household?: { registeredPoor: boolean }; householdsBroughtAlong?: number }>>;
  getProducts(productIds: readonly string[]): Promise<ReadonlyMap<string, { povertyAlleviation?: { certified: boolean } }>>;
}

/** Refund requests: waiting for an operator's approval after settlement, and the provider's refunds. */
export interface RefundRequests {
  /** Records a refund request that waits for an operator of the county (once per order). */
  awaitApproval(order: Order, reason: string, at: string): Promise<void>;
  /** Records an operator's decision on a pending request; false when it was not pending. */
  decide(orderId: string, approval: 'APPROVED' | 'REFUSED', by: string, at: string, refusal?: string): Promise<boolean>;
  /** Asks the provider to refund the order (once per order, whatever the retries); answers the order as it is now. */
  request(order: Order, reason: string, notifyUrl: string): Promise<Order>;
  /** A county's requests waiting for approval, oldest first. */
  pending(countyId: string): Promise<PendingRefund[]>;
}

export interface SettlementDeps {
  refunds: RefundRequests;
  settlements: SettlementStore;
  book: SettlementBook;
  orders: PaidOrders;
  sellers: SellerDirectory;
  endedShows: EndedShows;
  now: () => Date;
  /** Province policy; read only by the functions that need it. */
  reservationTimeoutMinutes: number;
  sellerShareBps: number;
}
