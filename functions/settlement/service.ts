/**
 * Settlement use cases: register a show when it ends, settle it once its payment window has
 * closed (resumable, exactly once), refund after settlement with reversal entries.
 */
import { type Operator, requireCounty, requireCountyToCreate, type StorefrontCaller } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { sellerFacts } from '../domain/facts.js';
import { isOwnedBy, type Order, refundRefusal, sellerAmounts } from '../domain/order.js';
import { payoutEntry, reversalEntry, reversalFor, SalesTally } from '../domain/settlement.js';
import { orderView, type OrderView } from '../orders/views.js';
import { SELLERS_PER_WRITE, type Settlement, type SettlementDeps, type SettlementWithStatements, type Statement } from './ports.js';

/** A run holds the settlement this long; a run that dies is resumed after it. */
export const LEASE_MS = 15 * 60_000;
export const RETRY_AFTER_MS = 60_000;
export const MAX_ATTEMPTS = 5;
/**
 * What the statements keep about sellers (name and facts) and products (certified), read in
 * batches of 100 while the orders are still being read. Memory: one entry per seller and product.
 */
class BatchedLookup<T> {
  private readonly found = new Map<string, T>();
  private readonly seen = new Set<string>();
  private batch: string[] = [];
  private readonly pending: Promise<void>[] = [];

  constructor(private readonly read: (ids: string[]) => Promise<ReadonlyMap<string, T>>) {}

  want(id: string): void {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.batch.push(id);
    if (this.batch.length === 100) this.flush();
  }

  private flush(): void {
    const ids = this.batch;
    this.batch = [];
    this.pending.push(this.read(ids).then((found) => void found.forEach((v, id) => this.found.set(id, v))));
  }

  async all(): Promise<ReadonlyMap<string, T>> {
    if (this.batch.length) this.flush();
    await Promise.all(this.pending);
    return this.found;
  }
}

/** Transactions of statements and entries written at once. */
const WRITERS = 4;

async function inParallel<T>(limit: number, items: T[], task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  }));
}

/** Safety margin on top of the reservation timeout. */
const CUTOFF_MARGIN_MS = 60_000;

/**
 * Cut-off: a show is settled only after its payment window has closed. Reservations are taken
 * only while the show is LIVE (a condition in the reservation transaction), so every reservation
 * of an ended show was made before this event was received and expires within the reservation
 * timeout; after that no order of the show can become PAID.
 */
export async function registerSettlement(
  deps: Pick<SettlementDeps, 'settlements' | 'now' | 'reservationTimeoutMinutes' | 'sellerShareBps'> & Partial<Pick<SettlementDeps, 'endedShows'>>,
  show: { showId: string; countyId: string },
): Promise<{ registered: boolean; dueAt: string }> {
  const now = deps.now();
  const dueAt = new Date(now.getTime() + deps.reservationTimeoutMinutes * 60_000 + CUTOFF_MARGIN_MS).toISOString();
  const registered = await deps.settlements.register({
    showId: show.showId,
    countyId: show.countyId,
    status: 'PENDING',
    sellerShareBps: deps.sellerShareBps,
    registeredAt: now.toISOString(),
    dueAt,
    attempts: 0,
  });
  await deps.endedShows?.settlementRegistered(show.showId);
  return { registered, dueAt };
}

/**
 * The backstop for a Show Ended event that never arrived (its delivery dead-lettered): every
 * ended show whose settlement is not registered gets one. Safe to run repeatedly and alongside
 * the event: registering is once per show.
 */
export async function registerEndedShows(deps: SettlementDeps): Promise<number> {
  let registered = 0;
  for await (const show of deps.endedShows.awaitingSettlement()) {
    if ((await registerSettlement(deps, show)).registered) registered++;
  }
  return registered;
}

export type SettleOutcome = 'settled' | 'not-claimed';

/**
 * Settles one show, exactly once however often and however concurrently it is asked: a
 * conditional claim lets one run at a time; orders are read a page at a time (memory grows with
 * sellers, not orders); statements and journal entries have deterministic ids and are written
 * with conditions, 50 sellers per transaction; a run that dies is resumed by a later one, which
 * keeps what was written and writes the rest.
 */
export async function settleShow(deps: SettlementDeps, showId: string): Promise<SettleOutcome> {
  const now = deps.now();
  const claimed = await deps.settlements.claim(showId, now, new Date(now.getTime() + LEASE_MS));
  if (!claimed) return 'not-claimed';
  try {
    const tally = new SalesTally();
    const sellers = new BatchedLookup((ids) => deps.sellers.getSellers(ids));
    const products = new BatchedLookup((ids) => deps.sellers.getProducts(ids));
    let orderCount = 0;
    for await (const page of deps.orders.paidOrders(showId)) {
      for (const order of page) {
        orderCount++;
        for (const line of order.items) {
          tally.add(line);
          sellers.want(line.sellerId);
          products.want(line.productId);
        }
      }
    }
    const [sellerFound, productFound] = await Promise.all([sellers.all(), products.all()]);
    const split = tally.split(claimed.sellerShareBps);
    const at = claimed.startedAt!; // the same on every attempt: entries come out identical
    const chunks: (typeof split.sellers)[] = [];
    for (let i = 0; i < split.sellers.length; i += SELLERS_PER_WRITE) chunks.push(split.sellers.slice(i, i + SELLERS_PER_WRITE));
    // a few chunks at a time: each is its own all-or-nothing transaction, so their order does not matter
    await inParallel(WRITERS, chunks, async (chunk) => {
      const statements: Statement[] = chunk.map((s) => {
        const seller = sellerFound.get(s.sellerId);
        return {
        ...s,
        // the facts officials count, as they are at this sale: later edits never change this statement
        lines: s.lines.map((l) => ({ ...l, certified: productFound.get(l.productId)?.povertyAlleviation?.certified === true })),
        ...(seller ? { facts: sellerFacts(seller) } : {}),
        showId,
        name: seller?.name ?? s.sellerId,
        refundedFen: 0,
        payoutReversedFen: 0,
        operationsReversedFen: 0,
        };
      });
      await deps.book.writeSellers(statements, chunk.map((s) => payoutEntry(showId, claimed.countyId, s, at)));
    });
    await deps.settlements.finish(
      showId,
      {
        grossFen: split.grossFen,
        sellerPayoutFen: split.sellerPayoutFen,
        operationsFen: split.operationsFen,
        sellerCount: split.sellers.length,
        orderCount,
      },
      deps.now(),
    );
    return 'settled';
  } catch (error) {
    await deps.settlements
      .failAttempt(showId, String((error as Error).message ?? error), new Date(deps.now().getTime() + RETRY_AFTER_MS), claimed.attempts >= MAX_ATTEMPTS)
      .catch(() => undefined); // the lease expires anyway
    throw error;
  }
}

export interface SettleReport {
  onSettled(showId: string, totals: { grossFen: number; sellerPayoutFen: number; operationsFen: number; orderCount: number }, ms: number): void;
  onError(showId: string, error: unknown): void;
}

/** Settles every show that is due. One show's failure does not hold up the others. */
export async function settleDue(deps: SettlementDeps, report: SettleReport) {
  const results = { settled: 0, failed: 0, registered: await registerEndedShows(deps) };
  for (const settlement of await deps.settlements.due(deps.now())) {
    const started = performance.now();
    try {
      if ((await settleShow(deps, settlement.showId)) === 'settled') {
        results.settled++;
        const done = (await deps.settlements.get(settlement.showId))!;
        report.onSettled(settlement.showId, { grossFen: done.grossFen!, sellerPayoutFen: done.sellerPayoutFen!, operationsFen: done.operationsFen!, orderCount: done.orderCount! }, performance.now() - started);
      }
    } catch (error) {
      results.failed++;
      report.onError(settlement.showId, error);
    }
  }
  return results;
}

/** An operator re-runs a FAILED settlement (it becomes due now; the sweep runs it). */
export async function rerunSettlement(deps: Pick<SettlementDeps, 'settlements' | 'now'>, operator: Operator, showId: string): Promise<Settlement> {
  const notFound = () => new DomainError('NOT_FOUND', `show ${showId} has no settlement`, 'showId');
  const settlement = await deps.settlements.get(showId);
  if (!settlement) throw notFound();
  requireCounty(operator, settlement.countyId, notFound);
  if (!(await deps.settlements.rerun(showId, deps.now()))) {
    const current = (await deps.settlements.get(showId))!;
    throw new DomainError('SETTLEMENT_NOT_FAILED', `the settlement of show ${showId} is ${current.status}; only a FAILED one can be re-run`);
  }
  return (await deps.settlements.get(showId))!;
}

const BUYER_REFUND = '买家申请退款 (buyer refund)';

/**
 * A storefront refunds one of its PAID orders. Before settlement: at once (a merchant of record's
 * own payment), or asked of the provider (the order becomes REFUNDED when it confirms; until then
 * it shows `refundRequestedAt`). After settlement the farmers were counted their share: the
 * request waits for an operator of the show's county to approve it (`refundApproval: PENDING`).
 */
export async function refundOrder(deps: SettlementDeps, caller: StorefrontCaller, orderId: string, notifyUrl: string): Promise<{ order: OrderView }> {
  const order = await deps.orders.get(orderId);
  if (!isOwnedBy(order, caller.storefrontId)) throw new DomainError('NOT_FOUND', `order ${orderId} does not exist`, 'orderId');
  const refusal = refundRefusal(order);
  if (refusal) throw refusal;
  const settlement = await deps.settlements.get(order.showId);
  // a refund asked before settlement (no approval needed) carries on, asked again under its one number
  const askedBeforeSettlement = order.refund !== undefined && order.refund.approval === undefined;
  if (settlement && settlement.status !== 'PENDING' && order.refund?.approval !== 'APPROVED' && !askedBeforeSettlement) {
    if (!order.refund) await deps.refunds.awaitApproval(order, BUYER_REFUND, deps.now().toISOString());
    return { order: orderView((await deps.orders.get(orderId))!) };
  }
  return { order: orderView(await refundNow(deps, order, notifyUrl)) };
}

/** Through the provider when it was paid there, else at once. */
async function refundNow(deps: SettlementDeps, order: Order, notifyUrl: string): Promise<Order> {
  if (order.paidVia === 'wechatpay') return deps.refunds.request(order, order.refund?.reason ?? BUYER_REFUND, notifyUrl);
  const outcome = await applyRefund(deps, order.orderId);
  if (outcome === 'settlement-in-progress') {
    throw new DomainError('SETTLEMENT_IN_PROGRESS', `the settlement of show ${order.showId} is under way; retry the refund once it is SETTLED`);
  }
  const now = (await deps.orders.get(order.orderId))!;
  if (outcome === 'not-refundable') throw refundRefusal(now)!;
  return now;
}

/**
 * An operator of the show's county approves or refuses a refund asked after settlement. Approved,
 * it goes ahead (through the provider, or at once); the same decision again answers the same.
 */
export async function decideRefund(deps: SettlementDeps, operator: Operator, orderId: string, approve: boolean, notifyUrl: string): Promise<OrderView> {
  const notFound = () => new DomainError('NOT_FOUND', `order ${orderId} does not exist`, 'orderId');
  const order = await deps.orders.get(orderId);
  if (!order) throw notFound();
  requireCounty(operator, order.countyId, notFound);
  const approval = approve ? 'APPROVED' : 'REFUSED';
  if (order.refund?.approval === 'PENDING') {
    await deps.refunds.decide(orderId, approval, operator.subject, deps.now().toISOString());
  } else if (order.refund?.approval !== approval) {
    throw new DomainError('ORDER_STATE_CONFLICT', `order ${orderId} has no refund waiting for approval${order.refund?.approval ? ` (it was ${order.refund.approval})` : ''}`);
  }
  const decided = (await deps.orders.get(orderId))!;
  if (decided.refund?.approval === 'APPROVED' && decided.status === 'PAID') return orderView(await refundNow(deps, decided, notifyUrl));
  return orderView(decided);
}

/** The refunds after settlement waiting for a county's decision (an operator's own county; a province admin names one). */
export async function pendingRefunds(deps: Pick<SettlementDeps, 'refunds'>, operator: Operator, countyId: string | undefined) {
  const county = countyId ?? operator.countyId;
  if (!county) throw new DomainError('VALIDATION_FAILED', 'countyId: a province admin names the county', 'countyId');
  requireCountyToCreate(operator, county, 'countyId');
  return { countyId: county, refunds: await deps.refunds.pending(county) };
}

/**
 * Makes a PAID order REFUNDED. Before settlement the order simply drops out of it; after
 * settlement an adjustment reverses, per seller, the payout and operations share by the same
 * rounding rule, never more than was paid out, with new journal entries (never an edit).
 */
/** What making a refund needs: the orders, the settlement and its book. */
export type RefundDeps = Pick<SettlementDeps, 'orders' | 'settlements' | 'book' | 'now'>;

export async function applyRefund(deps: RefundDeps, orderId: string): Promise<'refunded' | 'already-refunded' | 'not-refundable' | 'settlement-in-progress'> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const order = await deps.orders.get(orderId);
    if (!order) return 'not-refundable';
    if (order.status === 'REFUNDED') return 'already-refunded';
    if (refundRefusal(order)) return 'not-refundable';
    const now = deps.now();
    const settlement = await deps.settlements.get(order.showId);
    if (!settlement || settlement.status === 'PENDING') {
      if (await deps.book.refundUnsettled(order, now)) return 'refunded';
      continue; // the settlement started or the order changed: look again
    }
    if (settlement.status !== 'SETTLED') return 'settlement-in-progress';
    if (await refundAfterSettlement(deps, order, settlement, now)) return 'refunded';
  }
  throw new DomainError('ORDER_STATE_CONFLICT', `order ${orderId} kept changing while it was being refunded; retry`);
}

async function refundAfterSettlement(deps: RefundDeps, order: Order, settlement: Settlement, now: Date): Promise<boolean> {
  const amounts = sellerAmounts(order);
  const statements = await deps.settlements.statements(order.showId, [...amounts.keys()]);
  const reversals = [...amounts].map(([sellerId, refundFen]) => {
    const statement = statements.get(sellerId);
    if (!statement) throw new Error(`settlement of show ${order.showId} has no statement for seller ${sellerId}`);
    return { statement, reversal: reversalFor(statement.grossFen, statement.refundedFen, refundFen, settlement.sellerShareBps, sellerId) };
  });
  const at = now.toISOString();
  const entries = reversals.map(({ reversal }) => reversalEntry(order.showId, settlement.countyId, order.orderId, reversal, at));
  return deps.book.refundSettled(order, reversals, entries, now);
}

/** A show's settlement for an operator of its county: another county's is "not found". */
export async function getSettlement(deps: Pick<SettlementDeps, 'settlements'>, operator: Operator, showId: string): Promise<SettlementWithStatements & { settlement: Settlement }> {
  const found = await deps.settlements.getWithStatements(showId);
  const notFound = () => new DomainError('NOT_FOUND', `show ${showId} has no settlement (yet)`, 'showId');
  if (!found.settlement) throw notFound();
  requireCounty(operator, found.settlement.countyId, notFound);
  return { ...found, settlement: found.settlement };
}
