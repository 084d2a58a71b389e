/**
 * The payouts context: after a show is settled, each seller's net payable reaches them once: a
 * farmer by WeChat Pay merchant transfer, a cooperative or enterprise by the province's daily bank
 * batch. What its use cases need from the stores and the provider.
 */
import type { Payee, Payout, Receivable } from '../domain/payout.js';
import type { JournalEntry } from '../domain/settlement.js';

/** What the provider says of a transfer. WAIT_USER_CONFIRM: the payee must confirm receipt in WeChat. */
export interface TransferState {
  state: 'ACCEPTED' | 'PROCESSING' | 'WAIT_USER_CONFIRM' | 'TRANSFERING' | 'SUCCESS' | 'FAIL' | 'CANCELING' | 'CANCELLED';
  billNo?: string;
  failReason?: string;
}

export interface TransferProvider {
  /** A transfer to a WeChat wallet under `reference` (out_bill_no): the same reference never transfers twice. */
  transfer(args: { reference: string; openid: string; realName?: string; amountFen: number; remark: string; notifyUrl?: string }): Promise<TransferState>;
  /** The provider's word on a transfer; undefined when it knows none. */
  queryTransfer(reference: string): Promise<TransferState | undefined>;
}

/** A settled show's statements, as payouts need them. */
export interface SettledShow {
  showId: string;
  countyId: string;
  status: string;
  sellers: { sellerId: string; name: string; netPayoutFen: number }[];
}

export interface PayoutStore {
  /** A show's settlement (its county and status), without its statements; undefined when none is registered. */
  settlementOf(showId: string): Promise<Omit<SettledShow, 'sellers'> | undefined>;
  /** The settlement with its statements. */
  settledShow(showId: string): Promise<SettledShow | undefined>;
  list(showId: string): Promise<Payout[]>;
  get(payoutId: string): Promise<Payout | undefined>;
  /** The payout a provider reference (WeChat out_bill_no, the bank file's reference) names. */
  payoutIdOfReference(reference: string): Promise<string | undefined>;
  /** What the seller's statement owes now (net of refunds), and the reversals it counts so far. */
  statementDue(showId: string, sellerId: string): Promise<{ netFen: number; payoutReversedFen: number } | undefined>;
  /** The seller's receivables not recovered yet. */
  receivablesOf(sellerId: string): Promise<Receivable[]>;
  /**
   * Fixes a PENDING payout's amount once, in one transaction with the receivables it takes off
   * (each unchanged since read) and a check that its statement took no refund since
   * `seenReversedFen` was read: false when any of it moved (read again and retry).
   */
  fixAmount(payout: Payout, seenReversedFen: number, fix: Required<Pick<Payout, 'dueFen' | 'offsetFen' | 'amountFen' | 'offsets' | 'fixedAt'>>, recovered: Receivable[]): Promise<boolean>;
  /** Records (or raises) what the seller owes back for a show's payout; never lowers it. */
  recordReceivable(receivable: Receivable): Promise<boolean>;
  /** Creates the payout once (its id is its seller statement's): false when it exists already. */
  create(payout: Payout): Promise<boolean>;
  /** PENDING (or FAILED being retried) → SUBMITTED / AWAITING_CONFIRMATION, listed in the day's bank batch for a bank payout. */
  submitted(payout: Payout, change: Pick<Payout, 'status' | 'submittedAt' | 'providerRef' | 'awaiting'> & Partial<Pick<Payout, 'method' | 'payee'>>): Promise<boolean>;
  /** → SUCCEEDED with its ledger entry (none for a payout receivables took whole), in one transaction; false when it was final already. */
  succeeded(payout: Payout, at: string, entry: JournalEntry | undefined): Promise<boolean>;
  /** → FAILED (a reason the operator can act on); false when it was final already. */
  failed(payout: Payout, at: string, failure: string): Promise<boolean>;
  /** FAILED → PENDING, one more attempt (after the payee was corrected). */
  retry(payout: Payout): Promise<boolean>;
  /** The bank payouts submitted on a day (China time), in submission order. */
  bankBatch(day: string): Promise<Payout[]>;
  /** The payouts not final yet (PENDING, SUBMITTED, AWAITING_CONFIRMATION), the province's, oldest first. */
  inFlight(): Promise<Payout[]>;
  /** Settled shows whose payouts have not all been made yet (a Show Settled may have been lost). */
  showsAwaitingPayouts(): Promise<string[]>;
  /** Every payout of the show is made: it no longer awaits payouts. */
  payoutsMade(showId: string): Promise<void>;
}

export interface PayeeDirectory {
  /** The full payee details (only payout functions may read them). */
  payeeOf(sellerId: string): Promise<Payee | undefined>;
}

export interface PayoutDeps {
  payouts: PayoutStore;
  payees: PayeeDirectory;
  transfers: TransferProvider;
  now: () => Date;
}
