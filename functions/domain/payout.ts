/**
 * Payouts: what reaches the farmers, cooperatives and enterprises after a show. Pure rules: who
 * the payee is (and how it is shown: masked), the payout's one id, what may be paid.
 */
import { createHash } from 'node:crypto';
import { DomainError } from './errors.js';
import type { Fen } from './money.js';

/** A farmer is paid into their WeChat wallet; a cooperative or enterprise by bank transfer. */
export type Payee =
  | { kind: 'wechat'; openid: string; realName?: string }
  | { kind: 'bank'; accountName: string; accountNumber: string; bank: string; branch: string };

/** What views and logs may show of a payee. */
export type MaskedPayee =
  | { kind: 'wechat'; openid: string; realName?: string }
  | { kind: 'bank'; accountName: string; accountNumber: string; bank: string; branch: string };

/** WeChat Pay needs the payee's real name for a transfer of 2,000 yuan or more. */
export const REAL_NAME_FROM_FEN = 200_000;

const maskMiddle = (s: string, keepStart: number, keepEnd: number) =>
  s.length <= keepStart + keepEnd ? '*'.repeat(s.length) : `${s.slice(0, keepStart)}${'*'.repeat(Math.min(8, s.length - keepStart - keepEnd))}${s.slice(s.length - keepEnd)}`;

/** `6222 **** **** 1234`; `oUpF****eS6o`; a name keeps its first character. */
export function maskPayee(payee: Payee): MaskedPayee {
  if (payee.kind === 'wechat') {
    return { kind: 'wechat', openid: maskMiddle(payee.openid, 4, 4), ...(payee.realName ? { realName: `${[...payee.realName][0]}${'*'.repeat(Math.max(1, [...payee.realName].length - 1))}` } : {}) };
  }
  const digits = payee.accountNumber.replace(/\s+/g, '');
  return {
    kind: 'bank',
    accountName: payee.accountName,
    accountNumber: `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`,
    bank: payee.bank,
    branch: payee.branch,
  };
}

/** A farmer is paid by WeChat, a cooperative or an enterprise by bank: the payee must fit the seller. */
export function payeeRefusal(sellerKind: 'farmer' | 'cooperative' | 'enterprise', payee: Payee): DomainError | undefined {
  if (sellerKind === 'farmer' && payee.kind !== 'wechat') return new DomainError('VALIDATION_FAILED', 'payee.kind: a farmer is paid into their WeChat wallet (kind "wechat")', 'payee.kind');
  if (sellerKind !== 'farmer' && payee.kind !== 'bank') return new DomainError('VALIDATION_FAILED', `payee.kind: a ${sellerKind} is paid by bank transfer (kind "bank")`, 'payee.kind');
  return undefined;
}

export type PayoutStatus = 'PENDING' | 'SUBMITTED' | 'AWAITING_CONFIRMATION' | 'SUCCEEDED' | 'FAILED';

export interface Payout {
  /** `payout:<showId>:<sellerId>`: one per seller statement, for ever. */
  payoutId: string;
  showId: string;
  countyId: string;
  sellerId: string;
  sellerName: string;
  method: 'wechat' | 'bank';
  amountFen: Fen;
  status: PayoutStatus;
  /** The provider's idempotency key (WeChat `out_bill_no`, the bank file's reference): from the payout id. */
  reference: string;
  payee: MaskedPayee;
  createdAt: string;
  submittedAt?: string;
  /** The provider's own id of the transfer (WeChat `transfer_bill_no`). */
  providerRef?: string;
  /** What the payee must do (WeChat: confirm receipt in WeChat). */
  awaiting?: string;
  succeededAt?: string;
  failedAt?: string;
  failure?: string;
  /** Attempts so far: a FAILED payout retried (after its payee was corrected) is submitted again under the same id. */
  attempts: number;
  /**
   * When the amount was fixed, just before its first submission (never changed after: the
   * provider knows the reference with this amount). Until then `amountFen` is provisional.
   */
  fixedAt?: string;
  /** What the seller's statement owed when the amount was fixed (net of refunds before it). */
  dueFen?: Fen;
  /** Receivables from this seller's earlier payouts taken off `dueFen`: amountFen = dueFen − offsetFen. */
  offsetFen?: Fen;
  offsets?: { showId: string; fen: Fen }[];
}

/**
 * A refund after a payout's amount was fixed: the seller was (or is being) paid more than their
 * statement now owes. Never a negative transfer: the difference is taken off the seller's next payouts.
 */
export interface Receivable {
  sellerId: string;
  countyId: string;
  /** The show whose payout was too high. */
  showId: string;
  owedFen: Fen;
  recoveredFen: Fen;
  at: string;
}

/** What a payout fixes: the statement's due less outstanding receivables, oldest first; never below zero. */
export function fixPayoutAmount(dueFen: Fen, receivables: readonly Receivable[]): { dueFen: Fen; offsetFen: Fen; amountFen: Fen; offsets: { showId: string; fen: Fen }[]; recovered: Receivable[] } {
  let left = Math.max(0, dueFen);
  const offsets: { showId: string; fen: Fen }[] = [];
  const recovered: Receivable[] = [];
  for (const r of [...receivables].sort((a, b) => a.at.localeCompare(b.at) || a.showId.localeCompare(b.showId))) {
    const take = Math.min(left, r.owedFen - r.recoveredFen);
    if (take <= 0) continue;
    left -= take;
    offsets.push({ showId: r.showId, fen: take });
    recovered.push({ ...r, recoveredFen: r.recoveredFen + take });
  }
  const offsetFen = Math.max(0, dueFen) - left;
  return { dueFen: Math.max(0, dueFen), offsetFen, amountFen: left, offsets, recovered };
}

/** How much a fixed payout now overpays, after refunds lowered its statement to `netFen`. */
export function overpaidFen(payout: Pick<Payout, 'fixedAt' | 'dueFen'>, netFen: Fen): Fen {
  if (!payout.fixedAt || payout.dueFen === undefined) return 0;
  return Math.max(0, payout.dueFen - Math.max(0, netFen));
}

export const payoutIdFor = (showId: string, sellerId: string) => `payout:${showId}:${sellerId}`;

/**
 * WeChat's `out_bill_no` takes 32 letters and digits: a hash of the payout id, so the same payout
 * always asks for the same transfer and a retry can never pay twice. The bank file carries it too.
 */
export const payoutReference = (payoutId: string) => `PO${createHash('sha256').update(payoutId).digest('hex').slice(0, 30)}`;

/**
 * What a seller is paid for a show: the statement's net payout (refunds before the payout already
 * lowered it), never below zero. A refund after the payout is a receivable for the next one.
 */
export function payableFen(netPayoutFen: Fen): Fen {
  return Math.max(0, netPayoutFen);
}
