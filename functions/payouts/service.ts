/**
 * Payout use cases. Show Settled → one payout per seller statement with a positive net payable,
 * under the id `payout:<showId>:<sellerId>` (its provider reference derives from it, so a retry
 * can never pay twice); farmers by WeChat transfer, cooperatives and enterprises in the day's bank
 * batch; SUCCEEDED with a balanced ledger entry (payable → cash) once the provider or the bank says so.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type Operator, requireCounty, requireProvinceAdmin } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { type Payee, type Payout, fixPayoutAmount, maskPayee, overpaidFen, payableFen, payoutIdFor, payoutReference, REAL_NAME_FROM_FEN } from '../domain/payout.js';
import { paidOutEntry } from '../domain/settlement.js';
import { logger, metrics } from '../shared/powertools.js';
import { formatYuan } from '../domain/money.js';
import { csvCell } from '../settlement/views.js';
import { parseBankReturnFile } from './bank-return-file.js';
import type { PayoutDeps, TransferState } from './ports.js';

/** Starts the payouts of a settled show: safe to run again and concurrently (Show Settled arrives at least once). */
export async function startPayouts(deps: PayoutDeps, showId: string, notifyUrl?: string): Promise<{ submitted: number; failed: number; skipped: number }> {
  const show = await deps.payouts.settledShow(showId);
  if (!show || show.status !== 'SETTLED') return { submitted: 0, failed: 0, skipped: 0 };
  const existing = new Map((await deps.payouts.list(showId)).map((p) => [p.sellerId, p]));
  let submitted = 0, failed = 0, skipped = 0;
  for (const seller of show.sellers) {
    const amountFen = payableFen(seller.netPayoutFen);
    if (amountFen === 0) continue; // nothing to pay (everything refunded)
    let payout = existing.get(seller.sellerId);
    if (!payout) {
      const payee = await deps.payees.payeeOf(seller.sellerId);
      const payoutId = payoutIdFor(showId, seller.sellerId);
      const fresh: Payout = {
        payoutId, showId, countyId: show.countyId, sellerId: seller.sellerId, sellerName: seller.name,
        method: payee?.kind === 'bank' ? 'bank' : 'wechat', amountFen, status: 'PENDING', reference: payoutReference(payoutId),
        payee: payee ? maskPayee(payee) : { kind: 'wechat', openid: '(none)' }, createdAt: deps.now().toISOString(), attempts: 1,
      };
      await deps.payouts.create(fresh); // false: another run created it; it is read below either way
      payout = (await deps.payouts.get(payoutId))!;
    }
    if (payout.status !== 'PENDING') {
      skipped++;
      continue;
    }
    const outcome = await submit(deps, payout, notifyUrl);
    if (outcome === 'FAILED') failed++;
    else submitted++;
  }
  await deps.payouts.payoutsMade(showId); // every seller has its payout: the show leaves the sweep's list
  return { submitted, failed, skipped };
}

/** Sends a PENDING payout on its way: its amount is fixed first (once), then asked of the provider or put in the bank batch. */
async function submit(deps: PayoutDeps, pending: Payout, notifyUrl?: string): Promise<Payout['status']> {
  const at = deps.now().toISOString();
  const payee = await deps.payees.payeeOf(pending.sellerId);
  if (!payee) return fail(deps, pending, at, 'no payee: set the seller\'s payee (PUT /sellers/{sellerId}/payee), then retry');
  const payout = await fixAmount(deps, pending);
  if (payout.status !== 'PENDING') return payout.status; // another run took it on meanwhile
  return send(deps, payout, payee, at, notifyUrl);
}

/** A fixed payout asked of WeChat Pay (the same reference and amount however often), or put in the day's bank batch. */
async function send(deps: PayoutDeps, payout: Payout, payee: Payee, at: string, notifyUrl?: string): Promise<Payout['status']> {
  if (payout.amountFen === 0) {
    // the seller's receivables from earlier refunds took all of it: nothing to transfer, and nothing moves in the ledger
    await deps.payouts.succeeded(payout, at, undefined);
    return 'SUCCEEDED';
  }
  if (payee.kind === 'wechat' && payout.amountFen >= REAL_NAME_FROM_FEN && !payee.realName) {
    return fail(deps, payout, at, 'WeChat Pay needs the real name for 2,000 yuan or more: add it to the payee, then retry');
  }
  // the payee as it is now (it may have been set or corrected since the payout was made)
  const current = { method: payee.kind, payee: maskPayee(payee) } as const;
  if (payee.kind === 'bank') {
    // listed in the day's bank batch, which the province's finance office uploads to its bank
    await deps.payouts.submitted(payout, { status: 'SUBMITTED', submittedAt: at, ...current });
    return 'SUBMITTED';
  }
  let state: TransferState;
  try {
    state = await deps.transfers.transfer({ reference: payout.reference, openid: payee.openid, ...(payee.realName ? { realName: payee.realName } : {}), amountFen: payout.amountFen, remark: '县长直播助农货款 (live show sales)', ...(notifyUrl ? { notifyUrl } : {}) });
  } catch (error) {
    // a timeout may have transferred anyway: the payout stays PENDING and the next run asks again under the same reference and amount
    logger.warn('transfer not confirmed; it will be asked again under the same reference', { payoutId: payout.payoutId, error: String((error as Error).message ?? error) });
    throw error;
  }
  return applyTransferState(deps, payout, state, at, current);
}

/**
 * Fixes the payout's amount once, before anything is asked of a provider: what the statement owes
 * now (refunds so far lowered it) less the seller's receivables from earlier payouts. Later refunds
 * become a receivable (carryAdjustment), never a change to an amount the provider may have seen.
 */
async function fixAmount(deps: PayoutDeps, pending: Payout): Promise<Payout> {
  let payout = pending;
  for (let attempt = 0; !payout.fixedAt; attempt++) {
    if (attempt === 5) throw new Error(`payout ${payout.payoutId}: its statement or the seller's receivables kept changing; it is fixed on the next run`);
    const due = await deps.payouts.statementDue(payout.showId, payout.sellerId);
    if (!due) throw new Error(`payout ${payout.payoutId} has no statement`);
    const receivables = (await deps.payouts.receivablesOf(payout.sellerId)).filter((r) => r.showId !== payout.showId);
    const { recovered, ...fix } = fixPayoutAmount(due.netFen, receivables);
    await deps.payouts.fixAmount(payout, due.payoutReversedFen, { ...fix, fixedAt: deps.now().toISOString() }, recovered);
    payout = (await deps.payouts.get(payout.payoutId))!; // fixed by this run or another
    if (payout.status !== 'PENDING') return payout;
  }
  if (payout.offsetFen) logger.info('receivables taken off the payout', { payoutId: payout.payoutId, offsetFen: payout.offsetFen, offsets: payout.offsets });
  return payout;
}

/**
 * A refund after settlement lowered some sellers' statements of a show (Settlement Adjusted). A
 * payout whose amount was fixed before it now pays more than is owed: the difference becomes the
 * seller's receivable, taken off their next payout. Safe to run again and late: what is owed is
 * recomputed from the statement and only ever grows.
 */
export async function carryAdjustment(deps: PayoutDeps, showId: string, sellerIds: readonly string[]): Promise<{ carried: number }> {
  let carried = 0;
  for (const sellerId of new Set(sellerIds)) {
    const payout = await deps.payouts.get(payoutIdFor(showId, sellerId));
    if (!payout?.fixedAt) continue; // not fixed yet: it will be fixed from the lowered statement
    const due = await deps.payouts.statementDue(showId, sellerId);
    const owedFen = overpaidFen(payout, due?.netFen ?? 0);
    if (owedFen === 0) continue;
    if (await deps.payouts.recordReceivable({ sellerId, countyId: payout.countyId, showId, owedFen, recoveredFen: 0, at: deps.now().toISOString() })) {
      carried++;
      logger.info('receivable carried to the seller\'s next payout', { payoutId: payout.payoutId, owedFen });
    }
  }
  return { carried };
}

async function fail(deps: PayoutDeps, payout: Payout, at: string, failure: string): Promise<'FAILED'> {
  await deps.payouts.failed(payout, at, failure);
  metrics.addMetric('PayoutsFailed', MetricUnit.Count, 1);
  logger.error('payout failed', { payoutId: payout.payoutId, failure });
  return 'FAILED';
}

/** The provider's word on a transfer, applied to its payout (once, whichever way it arrives). */
async function applyTransferState(deps: PayoutDeps, payout: Payout, state: TransferState, at: string, current: Partial<Pick<Payout, 'method' | 'payee'>> = {}): Promise<Payout['status']> {
  switch (state.state) {
    case 'SUCCESS':
      await deps.payouts.succeeded(payout, at, paidOutEntry(payout, at));
      return 'SUCCEEDED';
    case 'FAIL':
    case 'CANCELLED':
      return fail(deps, payout, at, `WeChat Pay: ${state.failReason ?? state.state}`);
    case 'WAIT_USER_CONFIRM':
      await deps.payouts.submitted(payout, { status: 'AWAITING_CONFIRMATION', submittedAt: payout.submittedAt ?? at, ...(state.billNo ? { providerRef: state.billNo } : {}), awaiting: 'the farmer confirms receipt in WeChat (收款确认)', ...current });
      return 'AWAITING_CONFIRMATION';
    default:
      await deps.payouts.submitted(payout, { status: 'SUBMITTED', submittedAt: payout.submittedAt ?? at, ...(state.billNo ? { providerRef: state.billNo } : {}), ...current });
      return 'SUBMITTED';
  }
}

/** A transfer notification (verified by the payments context), or a query's answer. */
export async function transferFinished(deps: PayoutDeps, payoutId: string, state: TransferState): Promise<void> {
  const payout = await deps.payouts.get(payoutId);
  if (!payout || payout.status === 'SUCCEEDED' || payout.status === 'FAILED') return; // once
  await applyTransferState(deps, payout, state, deps.now().toISOString());
}

/** The bank's answer for one line of a batch, recorded by a province admin. */
export async function recordBankResult(deps: PayoutDeps, operator: Operator, payoutId: string, succeeded: boolean, reason: string | undefined): Promise<Payout> {
  requireProvinceAdmin(operator);
  const payout = await deps.payouts.get(payoutId);
  if (!payout || payout.method !== 'bank') throw new DomainError('NOT_FOUND', `no bank payout ${payoutId}`, 'payoutId');
  if (payout.status !== 'SUBMITTED' && payout.status !== (succeeded ? 'SUCCEEDED' : 'FAILED')) {
    throw new DomainError('ORDER_STATE_CONFLICT', `payout ${payoutId} is ${payout.status}: only a submitted bank payout takes the bank's answer`);
  }
  const at = deps.now().toISOString();
  if (succeeded) await deps.payouts.succeeded(payout, at, paidOutEntry(payout, at));
  else await fail(deps, payout, at, `bank: ${maskDigits(reason ?? 'refused')}`);
  return (await deps.payouts.get(payoutId))!;
}

/**
 * The bank's return file for a batch, imported by a province admin: each line's answer goes on its
 * payout as if recorded one by one. A line that names no bank payout, whose amount differs from the
 * payout, or whose result is unreadable is REFUSED (and changes nothing); a payout already
 * answered the same way is ALREADY, so importing the same file twice changes nothing.
 */
export async function importBankReturns(deps: PayoutDeps, operator: Operator, file: string) {
  requireProvinceAdmin(operator);
  const lines = parseBankReturnFile(file);
  const results: { line: number; ref: string; outcome: 'SUCCEEDED' | 'FAILED' | 'ALREADY' | 'REFUSED'; reason?: string }[] = [];
  for (const l of lines) {
    const refuse = (reason: string) => results.push({ line: l.line, ref: l.ref, outcome: 'REFUSED', reason });
    const payoutId = l.ref.startsWith('payout:') ? l.ref : await deps.payouts.payoutIdOfReference(l.ref);
    const payout = payoutId ? await deps.payouts.get(payoutId) : undefined;
    if (!payout || payout.method !== 'bank') { refuse(`no bank payout ${l.ref}`); continue; }
    if (l.attempt !== payout.attempts) { refuse(`an answer for attempt ${l.attempt ?? '(none)'}; payout ${payout.payoutId} is on attempt ${payout.attempts} (retried since: that answer is not this attempt's)`); continue; }
    if (l.amountFen === undefined) { refuse('amount_yuan is not an amount in yuan with at most two decimals'); continue; }
    if (l.amountFen !== payout.amountFen) { refuse(`the bank's amount ${formatYuan(l.amountFen)} differs from the payout's ${formatYuan(payout.amountFen)}: check with the bank`); continue; }
    if (l.succeeded === undefined) { refuse('result must be SUCCESS/成功 or FAILED/失败'); continue; }
    const answered = l.succeeded ? 'SUCCEEDED' : 'FAILED';
    if (payout.status === answered) { results.push({ line: l.line, ref: l.ref, outcome: 'ALREADY' }); continue; }
    if (payout.status !== 'SUBMITTED') { refuse(`payout ${payout.payoutId} is ${payout.status}: only a submitted bank payout takes the bank's answer`); continue; }
    const at = deps.now().toISOString();
    if (l.succeeded) await deps.payouts.succeeded(payout, at, paidOutEntry(payout, at));
    else await fail(deps, payout, at, `bank: ${maskDigits(l.reason ?? 'refused')}`);
    results.push({ line: l.line, ref: l.ref, outcome: answered, ...(l.reason ? { reason: l.reason } : {}) });
  }
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  return { lines: lines.length, succeeded: count('SUCCEEDED'), failed: count('FAILED'), already: count('ALREADY'), refused: count('REFUSED'), results };
}

/** A bank's free-text reason may quote an account number: long digit runs are masked before it is kept, shown or logged. */
const maskDigits = (text: string) => text.replace(/\d{6,}/g, (d) => `${d.slice(0, 4)}****${d.slice(-4)}`);

/** An operator retries a FAILED payout (after correcting the payee): the same id and reference. */
export async function retryPayout(deps: PayoutDeps, operator: Operator, payoutId: string, notifyUrl?: string): Promise<Payout> {
  const payout = await deps.payouts.get(payoutId);
  const notFound = () => new DomainError('NOT_FOUND', `no payout ${payoutId}`, 'payoutId');
  if (!payout) throw notFound();
  requireCounty(operator, payout.countyId, notFound);
  if (payout.status !== 'FAILED') throw new DomainError('ORDER_STATE_CONFLICT', `payout ${payoutId} is ${payout.status}; only a FAILED one is retried`);
  await deps.payouts.retry(payout);
  await submit(deps, (await deps.payouts.get(payoutId))!, notifyUrl);
  return (await deps.payouts.get(payoutId))!;
}

/** A show's payouts for an operator of its county (masked payees). */
export async function listPayouts(deps: PayoutDeps, operator: Operator, showId: string): Promise<{ showId: string; payouts: Payout[]; paidOutFen: number }> {
  const show = await deps.payouts.settlementOf(showId);
  const notFound = () => new DomainError('NOT_FOUND', `show ${showId} has no settlement (yet)`, 'showId');
  if (!show) throw notFound();
  requireCounty(operator, show.countyId, notFound);
  const payouts = await deps.payouts.list(showId);
  return { showId, payouts, paidOutFen: payouts.filter((p) => p.status === 'SUCCEEDED').reduce((n, p) => n + p.amountFen, 0) };
}

/**
 * The day's bank batch (China time) for the province's finance office to upload to its bank: one
 * line per cooperative or enterprise payout submitted that day, the account in full (this function
 * may read it), UTF-8 with a byte-order mark, amounts in yuan with two decimals (and fen), the payout
 * id as the reference the bank's answer comes back with.
 */
export async function bankBatchCsv(deps: PayoutDeps, operator: Operator, day: string): Promise<{ csv: string; lines: number; totalFen: number }> {
  requireProvinceAdmin(operator);
  const payouts = await deps.payouts.bankBatch(day);
  const header = ['payout_id', 'reference', 'payee_name', 'account_number', 'bank', 'branch', 'amount_yuan', 'amount_fen', 'county_id', 'show_id', 'status', 'attempt'];
  const rows: (string | number)[][] = [];
  for (const p of payouts) {
    const payee = await deps.payees.payeeOf(p.sellerId);
    if (payee?.kind !== 'bank') continue;
    rows.push([p.payoutId, p.reference, payee.accountName, payee.accountNumber.replace(/\s+/g, ''), payee.bank, payee.branch, formatYuan(p.amountFen), p.amountFen, p.countyId, p.showId, p.status, p.attempts]);
  }
  const csv = '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return { csv, lines: rows.length, totalFen: rows.reduce((n, r) => n + Number(r[7]), 0) };
}

/**
 * The backstop: every payout not final is looked at again. A PENDING one (never submitted: a crash,
 * a timeout) is submitted again under its one reference; a WeChat transfer in flight is asked about
 * (its notification may be lost). Bank payouts wait for the bank's answer.
 */
export async function sweepPayouts(deps: PayoutDeps): Promise<{ inFlight: number; resubmitted: number; finished: number; overdue: number; showsStarted: number }> {
  let resubmitted = 0, finished = 0;
  // settled shows whose payouts were never all made (their Show Settled lost, or a run that died)
  const awaiting = await deps.payouts.showsAwaitingPayouts();
  for (const showId of awaiting) {
    try {
      await startPayouts(deps, showId);
    } catch (error) {
      logger.warn('payouts of a settled show not started; next time', { showId, error: String((error as Error).message ?? error) });
    }
  }
  const inFlight = await deps.payouts.inFlight();
  // a payout not settled a day after it was made needs a person (the alarm on PayoutsOverdue)
  const overdue = inFlight.filter((p) => deps.now().getTime() - Date.parse(p.createdAt) > 24 * 3600_000).length;
  if (overdue > 0) metrics.addMetric('PayoutsOverdue', MetricUnit.Count, overdue);
  for (const payout of inFlight) {
    try {
      if (payout.status === 'PENDING') {
        await submit(deps, payout);
        resubmitted++;
      } else if (payout.method === 'wechat') {
        const state = await deps.transfers.queryTransfer(payout.reference);
        if (!state) {
          // WeChat Pay knows no transfer by this reference: ask for it again, the same reference and fixed amount (it cannot pay twice)
          const payee = await deps.payees.payeeOf(payout.sellerId);
          if (payee && payout.fixedAt) {
            await send(deps, payout, payee, deps.now().toISOString());
            resubmitted++;
          }
          continue;
        }
        const status = await applyTransferState(deps, payout, state, deps.now().toISOString());
        if (status === 'SUCCEEDED' || status === 'FAILED') finished++;
      }
    } catch (error) {
      logger.warn('payout not swept; next time', { payoutId: payout.payoutId, error: String((error as Error).message ?? error) });
    }
  }
  return { inFlight: inFlight.length, resubmitted, finished, overdue, showsStarted: awaiting.length };
}
