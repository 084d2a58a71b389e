/**
 * Settlement arithmetic: the seller split, the double-entry journal, and refund reversals.
 * Integers (fen) only; the parts always add up to the whole.
 *
 * Per seller: gross = Σ showPriceFen × quantity; payout = ceil(gross × sellerShareBps / 10000);
 * the operations fund gets gross − payout. Rounding favours the farmers: every seller gets at
 * least their share of their own sales.
 */
import type { Fen } from './money.js';

export interface SaleLine {
  sellerId: string;
  productId: string;
  name: string;
  quantity: number;
  showPriceFen: Fen;
  amountFen: Fen;
}

export interface StatementLine {
  productId: string;
  name: string;
  quantity: number;
  showPriceFen: Fen;
  amountFen: Fen;
  /** A certified poverty-alleviation product when the show was settled (kept on the statement). */
  certified?: boolean;
}

export interface SellerSplit {
  sellerId: string;
  grossFen: Fen;
  payoutFen: Fen;
  operationsFen: Fen;
  lines: StatementLine[];
}

export interface Split {
  grossFen: Fen;
  sellerPayoutFen: Fen;
  operationsFen: Fen;
  sellers: SellerSplit[];
}

/** ceil(gross × bps / 10000), exactly (BigInt: gross × bps can pass 2^53). */
export function payoutFor(grossFen: Fen, sellerShareBps: number): Fen {
  const product = BigInt(grossFen) * BigInt(sellerShareBps);
  return Number((product + 9999n) / 10000n);
}

/**
 * Sums sale lines per seller and product. Memory grows with sellers × products, not with orders:
 * feed it one page of orders at a time.
 */
export class SalesTally {
  private readonly sellers = new Map<string, Map<string, StatementLine>>();

  add(line: SaleLine): void {
    let products = this.sellers.get(line.sellerId);
    if (!products) this.sellers.set(line.sellerId, (products = new Map()));
    const key = `${line.productId}@${line.showPriceFen}`;
    const existing = products.get(key);
    if (existing) {
      existing.quantity += line.quantity;
      existing.amountFen += line.amountFen;
    } else {
      products.set(key, { productId: line.productId, name: line.name, quantity: line.quantity, showPriceFen: line.showPriceFen, amountFen: line.amountFen });
    }
  }

  get sellerIds(): string[] {
    return [...this.sellers.keys()].sort();
  }

  /** The split, sellers and lines in a stable order whatever order the sales came in. */
  split(sellerShareBps: number): Split {
    const sellers = this.sellerIds.map((sellerId): SellerSplit => {
      const lines = [...this.sellers.get(sellerId)!.values()].sort(
        (a, b) => a.productId.localeCompare(b.productId) || a.showPriceFen - b.showPriceFen,
      );
      const grossFen = lines.reduce((n, l) => n + l.amountFen, 0);
      const payoutFen = payoutFor(grossFen, sellerShareBps);
      return { sellerId, grossFen, payoutFen, operationsFen: grossFen - payoutFen, lines: lines.map((l) => ({ ...l })) };
    });
    const grossFen = sellers.reduce((n, s) => n + s.grossFen, 0);
    const sellerPayoutFen = sellers.reduce((n, s) => n + s.payoutFen, 0);
    return { grossFen, sellerPayoutFen, operationsFen: grossFen - sellerPayoutFen, sellers };
  }
}

export interface JournalLine {
  account: string;
  debitFen: Fen;
  creditFen: Fen;
}

export interface JournalEntry {
  /** Deterministic: derived from the settlement, the seller and the kind, so a retry lands on the same entry. */
  entryId: string;
  kind: 'payout' | 'reversal' | 'paid-out';
  showId: string;
  sellerId: string;
  orderId?: string;
  lines: JournalLine[];
  at: string;
}

export const accounts = {
  clearing: (showId: string) => `clearing:show:${showId}`,
  payable: (sellerId: string) => `payable:seller:${sellerId}`,
  operations: (countyId: string) => `fund:operations:${countyId}`,
  /** The province's money at WeChat Pay, or at its bank. */
  cash: (at: 'wechat' | 'bank') => `cash:${at}`,
};

/** A payout made: the seller's payable → the cash it was paid from (once per payout). */
export function paidOutEntry(payout: { payoutId: string; showId: string; sellerId: string; method: 'wechat' | 'bank'; amountFen: Fen }, at: string): JournalEntry {
  return {
    entryId: `${payout.payoutId}:paid`,
    kind: 'paid-out',
    showId: payout.showId,
    sellerId: payout.sellerId,
    lines: [
      { account: accounts.payable(payout.sellerId), debitFen: payout.amountFen, creditFen: 0 },
      { account: accounts.cash(payout.method), debitFen: 0, creditFen: payout.amountFen },
    ],
    at,
  };
}

/** Show clearing → the seller's payable and the operations fund. */
export function payoutEntry(showId: string, countyId: string, seller: SellerSplit, at: string): JournalEntry {
  return {
    entryId: `settlement:${showId}:seller:${seller.sellerId}:payout`,
    kind: 'payout',
    showId,
    sellerId: seller.sellerId,
    lines: [
      { account: accounts.clearing(showId), debitFen: seller.grossFen, creditFen: 0 },
      { account: accounts.payable(seller.sellerId), debitFen: 0, creditFen: seller.payoutFen },
      { account: accounts.operations(countyId), debitFen: 0, creditFen: seller.operationsFen },
    ],
    at,
  };
}

export interface Reversal {
  sellerId: string;
  refundFen: Fen;
  payoutReversalFen: Fen;
  operationsReversalFen: Fen;
}

/**
 * Reversing a refund of `refundFen` from a seller whose settled gross was `grossFen`, of which
 * `alreadyRefundedFen` was refunded before: the payout falls to what the same rounding rule gives
 * on what is left, so the seller keeps at least their share of what they still sold, and nothing
 * is reversed beyond what was paid out.
 */
export function reversalFor(grossFen: Fen, alreadyRefundedFen: Fen, refundFen: Fen, sellerShareBps: number, sellerId: string): Reversal {
  if (refundFen <= 0 || alreadyRefundedFen + refundFen > grossFen) {
    throw new RangeError(`refund of ${refundFen} fen exceeds what seller ${sellerId} has left (${grossFen - alreadyRefundedFen} fen)`);
  }
  const before = payoutFor(grossFen - alreadyRefundedFen, sellerShareBps);
  const after = payoutFor(grossFen - alreadyRefundedFen - refundFen, sellerShareBps);
  const payoutReversalFen = before - after;
  return { sellerId, refundFen, payoutReversalFen, operationsReversalFen: refundFen - payoutReversalFen };
}

/** The seller's payable and the operations fund give back; show clearing takes the refund. */
export function reversalEntry(showId: string, countyId: string, orderId: string, r: Reversal, at: string): JournalEntry {
  return {
    entryId: `adjustment:${showId}:order:${orderId}:seller:${r.sellerId}:reversal`,
    kind: 'reversal',
    showId,
    sellerId: r.sellerId,
    orderId,
    lines: [
      { account: accounts.payable(r.sellerId), debitFen: r.payoutReversalFen, creditFen: 0 },
      { account: accounts.operations(countyId), debitFen: r.operationsReversalFen, creditFen: 0 },
      { account: accounts.clearing(showId), debitFen: 0, creditFen: r.refundFen },
    ],
    at,
  };
}

export function isBalanced(entry: JournalEntry): boolean {
  const debit = entry.lines.reduce((n, l) => n + l.debitFen, 0);
  const credit = entry.lines.reduce((n, l) => n + l.creditFen, 0);
  return debit === credit && entry.lines.every((l) => Number.isSafeInteger(l.debitFen) && Number.isSafeInteger(l.creditFen) && l.debitFen >= 0 && l.creditFen >= 0);
}

/** Guards every ledger write: an entry that does not balance is a bug, never written. */
export function assertBalanced(entry: JournalEntry): void {
  if (!isBalanced(entry)) throw new RangeError(`journal entry ${entry.entryId} does not balance: ${JSON.stringify(entry.lines)}`);
}
