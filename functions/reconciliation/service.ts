/**
 * Reconciliation use cases: the day's bills against the books. Each bill line is looked up by its
 * key (the order it paid or refunded, the payout its reference names); each payout we count as paid
 * that day must appear in the provider's fund flow. Re-running a day finds the same mismatches
 * (kept once, under a key of their own) and any new ones.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type Operator, requireProvinceAdmin } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { logger, metrics } from '../shared/powertools.js';
import { type BillLine, BillNotReady, type Mismatch, type MismatchKind, type Reconciliation, type ReconciliationDeps } from './ports.js';

/** The China-time calendar day of an instant. */
export const chinaDayOf = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** WeChat Pay has a day's bills from 10:00 the next morning (China time). */
export const BILLS_READY_HOUR = 10;

export async function reconcileDay(deps: ReconciliationDeps, day: string): Promise<{ reconciliation: Reconciliation; mismatches: Mismatch[] }> {
  const foundAt = deps.now().toISOString();
  const now = deps.now();
  const [trades, funds] = await Promise.all([bill(() => deps.bills.tradeBill(day), day, now), bill(() => deps.bills.fundFlowBill(day), day, now)]);
  const mismatches = new Map<string, Mismatch>();
  const found = (kind: MismatchKind, ref: string, detail: string, fen: { providerFen?: number; ourFen?: number } = {}) =>
    mismatches.set(`${kind}#${ref}`, { day, kind, ref, detail, foundAt, ...fen });
  const totals = { paidFen: 0, refundedFen: 0, transferredFen: 0 };
  const checked = { payments: 0, refunds: 0, transfers: 0, payouts: 0 };

  for (const line of trades) {
    if (line.kind === 'payment') {
      checked.payments++;
      totals.paidFen += line.amountFen;
      const order = await deps.books.order(line.orderId);
      const late = order?.latePayment?.transactionId === line.transactionId ? order.latePayment : undefined;
      const counted = order && (order.status === 'PAID' || order.status === 'REFUNDED') && order.paymentRef === line.transactionId;
      const ourFen = late ? late.amountFen : counted ? order.totalFen : undefined;
      if (ourFen === undefined) {
        found('PAID_THERE_NOT_HERE', line.orderId, order ? `order is ${order.status} here, paid by ${order.paymentRef ?? 'nothing'}; WeChat Pay took ${line.transactionId}` : `no order ${line.orderId} here`, { providerFen: line.amountFen });
      } else if (ourFen !== line.amountFen) {
        found('PAYMENT_AMOUNT_DIFFERS', line.orderId, `WeChat Pay took ${line.amountFen} fen, the order counts ${ourFen}`, { providerFen: line.amountFen, ourFen });
      }
    } else if (line.kind === 'refund') {
      checked.refunds++;
      totals.refundedFen += line.amountFen;
      const order = await deps.books.order(line.orderId);
      const late = order?.latePayment?.outRefundNo === line.outRefundNo ? order.latePayment : undefined;
      const refunded = order?.refund?.outRefundNo === line.outRefundNo && order.status === 'REFUNDED';
      const ourFen = late ? late.amountFen : refunded ? order.totalFen : undefined;
      if (ourFen === undefined) {
        const asked = order?.refund?.outRefundNo === line.outRefundNo;
        found('REFUND_THERE_NOT_HERE', line.outRefundNo, asked ? `refund asked for order ${line.orderId}, but not completed here (its notification may be lost)` : `no refund ${line.outRefundNo} here (order ${line.orderId}: ${order?.status ?? 'none'})`, { providerFen: line.amountFen });
      } else if (ourFen !== line.amountFen) {
        found('REFUND_AMOUNT_DIFFERS', line.outRefundNo, `WeChat Pay refunded ${line.amountFen} fen, we count ${ourFen}`, { providerFen: line.amountFen, ourFen });
      }
    }
  }

  const transferred = new Set<string>();
  for (const line of funds) {
    if (line.kind !== 'transfer') continue;
    checked.transfers++;
    totals.transferredFen += line.amountFen;
    transferred.add(line.reference);
    const payout = await deps.books.payoutOfReference(line.reference);
    if (!payout || payout.method !== 'wechat' || payout.status === 'FAILED') {
      found('TRANSFER_NOT_OURS', line.reference, payout ? `payout ${payout.payoutId} is ${payout.status} (${payout.method}) here` : 'no payout of ours has this reference', { providerFen: line.amountFen });
    } else if (payout.amountFen !== line.amountFen) {
      found('TRANSFER_AMOUNT_DIFFERS', line.reference, `payout ${payout.payoutId}: WeChat Pay transferred ${line.amountFen} fen, the payout is ${payout.amountFen}`, { providerFen: line.amountFen, ourFen: payout.amountFen });
    }
  }

  // every WeChat payout we count as paid that day is in the fund flow (of that day, or of the day before: a transfer
  // that finished just before midnight and was learned of just after)
  const paidOut = (await deps.books.payoutsSucceededOn(day)).filter((p) => p.method === 'wechat' && p.amountFen > 0);
  checked.payouts = paidOut.length;
  let before: Set<string> | undefined;
  for (const payout of paidOut) {
    if (transferred.has(payout.reference)) continue;
    before ??= new Set((await bill(() => deps.bills.fundFlowBill(dayBefore(day)), dayBefore(day), now)).flatMap((l) => (l.kind === 'transfer' ? [l.reference] : [])));
    if (!before.has(payout.reference)) found('PAID_OUT_HERE_NOT_THERE', payout.reference, `payout ${payout.payoutId} is SUCCEEDED here (${payout.succeededAt}); WeChat Pay's fund flow shows no transfer`, { ourFen: payout.amountFen });
  }

  const previous = await deps.store.get(day);
  const all = [...mismatches.values()];
  const reconciliation: Reconciliation = {
    day, status: all.length ? 'MISMATCHES' : 'CLEAN', reconciledAt: foundAt, runs: (previous?.reconciliation.runs ?? 0) + 1, checked, totals, mismatchCount: all.length,
    current: all.map((m) => `${m.kind}#${m.ref}`),
  };
  await deps.store.save(reconciliation, all);
  const known = new Set(previous?.mismatches.map((m) => `${m.kind}#${m.ref}`));
  const fresh = all.filter((m) => !known.has(`${m.kind}#${m.ref}`));
  if (all.length) {
    metrics.addMetric('ReconciliationMismatches', MetricUnit.Count, all.length);
    logger.error('reconciliation found mismatches', { day, count: all.length, new: fresh.length, kinds: [...new Set(all.map((m) => m.kind))] });
  } else {
    logger.info('reconciliation clean', { day, ...checked });
  }
  return { reconciliation, mismatches: all };
}

/** Once a day's bills are made (10:00 China time the next day). */
const billsMadeFor = (day: string, now: Date) => now.getTime() >= Date.parse(`${day}T00:00:00+08:00`) + (24 + BILLS_READY_HOUR) * 3600_000;

/** A bill's lines; WeChat Pay's "no statement" for a day whose bills are made is a day without a line. */
async function bill(read: () => Promise<BillLine[]>, day: string, now: Date): Promise<BillLine[]> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof BillNotReady && error.noStatement && billsMadeFor(day, now)) return [];
    throw error;
  }
}

/** Scheduled (hourly): yesterday's bills, once they exist and until the day is reconciled. */
export async function reconcileYesterday(deps: ReconciliationDeps): Promise<{ day: string; outcome: 'reconciled' | 'already' | 'not-ready' }> {
  const now = deps.now();
  const day = dayBefore(chinaDayOf(now));
  if (new Date(now.getTime() + 8 * 3600_000).getUTCHours() < BILLS_READY_HOUR) return { day, outcome: 'not-ready' };
  if (await deps.store.get(day)) return { day, outcome: 'already' };
  try {
    await reconcileDay(deps, day);
    return { day, outcome: 'reconciled' };
  } catch (error) {
    if (error instanceof BillNotReady) return { day, outcome: 'not-ready' };
    throw error;
  }
}

/** A province admin runs a day again (or for the first time), e.g. after correcting a record. */
export async function runReconciliation(deps: ReconciliationDeps, operator: Operator, day: string) {
  requireProvinceAdmin(operator);
  if (day > chinaDayOf(deps.now())) throw new DomainError('VALIDATION_FAILED', `date: ${day} has not happened yet`, 'date');
  try {
    return await reconcileDay(deps, day);
  } catch (error) {
    if (error instanceof BillNotReady) throw new DomainError('BILL_NOT_READY', `WeChat Pay has no bill for ${day} yet (bills are ready from ${BILLS_READY_HOUR}:00 China time the next day)`, 'date');
    throw error;
  }
}

export async function getReconciliation(deps: ReconciliationDeps, operator: Operator, day: string) {
  requireProvinceAdmin(operator);
  const found = await deps.store.get(day);
  if (!found) throw new DomainError('NOT_FOUND', `${day} has not been reconciled yet`, 'date');
  return found;
}
