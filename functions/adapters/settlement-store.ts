import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/order.js';
import type { JournalEntry, Reversal, SellerSplit } from '../domain/settlement.js';
import { tableName } from '../shared/env.js';
import { ddb, fromItem, queryPages } from './dynamo.js';
import { orderKey } from './order-store.js';

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

export interface Statement extends SellerSplit {
  showId: string;
  name: string;
  refundedFen: number;
  payoutReversedFen: number;
  operationsReversedFen: number;
}

export interface Adjustment {
  showId: string;
  orderId: string;
  at: string;
  reversals: Reversal[];
}

export interface SettlementRecord {
  settlement?: Settlement;
  statements: Statement[];
  adjustments: Adjustment[];
}

const pkOf = (showId: string) => `SETTLEMENT#${showId}`;
const headerKey = (showId: string) => ({ pk: pkOf(showId), sk: 'SETTLEMENT' });
const statementKey = (showId: string, sellerId: string) => ({ pk: pkOf(showId), sk: `SELLER#${sellerId}` });
const adjustmentKey = (showId: string, orderId: string) => ({ pk: pkOf(showId), sk: `ADJUSTMENT#${orderId}` });
const ledgerItem = (entry: JournalEntry) => ({ pk: entry.entryId, ...entry });

/** DynamoDB transactions take at most 100 items: 50 sellers (statement + journal entry each). */
export const SELLERS_PER_CHUNK = 50;

export interface SettlementStore {
  /** Registers a show once; false if it already was. */
  register(settlement: Settlement): Promise<boolean>;
  get(showId: string): Promise<Settlement | undefined>;
  record(showId: string): Promise<SettlementRecord>;
  /** Some sellers' statements of a show. */
  statements(showId: string, sellerIds: readonly string[]): Promise<Map<string, Statement>>;
  /** Settlements to run by `now`, oldest first. */
  due(now: Date): Promise<Settlement[]>;
  /** PENDING and due, or SETTLING with an expired lease (a crashed run) → SETTLING, leased. */
  claim(showId: string, now: Date, leaseUntil: Date): Promise<Settlement | undefined>;
  /** Statements and journal entries of up to 50 sellers, all or nothing; what an earlier attempt wrote is kept. */
  writeSellers(statements: Statement[], entries: JournalEntry[]): Promise<void>;
  finish(showId: string, totals: Required<Pick<Settlement, 'grossFen' | 'sellerPayoutFen' | 'operationsFen' | 'sellerCount' | 'orderCount'>>, now: Date): Promise<void>;
  /** Records a failed attempt: retried after `retryAt`, or FAILED for an operator to re-run. */
  failAttempt(showId: string, error: string, retryAt: Date, final: boolean): Promise<void>;
  /** FAILED → PENDING, due now. False if it was not FAILED. */
  rerun(showId: string, now: Date): Promise<boolean>;
  /** PAID → REFUNDED while the show is not settled yet (nothing to adjust). False if settlement started meanwhile. */
  refundUnsettled(order: Order, now: Date): Promise<boolean>;
  /** PAID → REFUNDED after settlement: statements, adjustment and reversal entries in one transaction. */
  refundSettled(order: Order, reversals: { reversal: Reversal; statement: Statement }[], entries: JournalEntry[], now: Date): Promise<boolean>;
}

function cancelledFor(error: unknown): string[] | undefined {
  return error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None') : undefined;
}

const refundOrderUpdate = (order: Order, now: Date) => ({
  Update: {
    TableName: tableName('orders'),
    Key: orderKey(order.orderId),
    UpdateExpression: 'SET #status = :refunded, refundedAt = :now REMOVE paidShow',
    ConditionExpression: '#status = :paid',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':refunded': 'REFUNDED', ':paid': 'PAID', ':now': now.toISOString() },
  },
});

export const settlementStore: SettlementStore = {
  async register(settlement) {
    try {
      await ddb.send(
        new PutCommand({
          TableName: tableName('settlements'),
          Item: { ...headerKey(settlement.showId), ...settlement, due: 'DUE' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  async get(showId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('settlements'), Key: headerKey(showId), ConsistentRead: true }));
    return Item ? fromItem<Settlement>(Item, 'due') : undefined;
  },

  async record(showId) {
    const out: SettlementRecord = { statements: [], adjustments: [] };
    for await (const items of queryPages({
      TableName: tableName('settlements'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pkOf(showId) },
      ConsistentRead: true,
    })) {
      for (const item of items) {
        const sk = String(item.sk);
        if (sk === 'SETTLEMENT') out.settlement = fromItem<Settlement>(item, 'due');
        else if (sk.startsWith('SELLER#')) out.statements.push(fromItem<Statement>(item));
        else if (sk.startsWith('ADJUSTMENT#')) out.adjustments.push(fromItem<Adjustment>(item));
      }
    }
    return out;
  },

  async statements(showId, sellerIds) {
    const found = new Map<string, Statement>();
    for (const sellerId of sellerIds) {
      const { Item } = await ddb.send(
        new GetCommand({ TableName: tableName('settlements'), Key: statementKey(showId, sellerId), ConsistentRead: true }),
      );
      if (Item) found.set(sellerId, fromItem<Statement>(Item));
    }
    return found;
  },

  async due(now) {
    const found: Settlement[] = [];
    for await (const items of queryPages({
      TableName: tableName('settlements'),
      IndexName: 'dueSettlements',
      KeyConditionExpression: 'due = :due AND dueAt <= :now',
      ExpressionAttributeValues: { ':due': 'DUE', ':now': now.toISOString() },
    })) {
      found.push(...items.map((i) => fromItem<Settlement>(i, 'due')));
    }
    return found;
  },

  async claim(showId, now, leaseUntil) {
    try {
      const { Attributes } = await ddb.send(
        new UpdateCommand({
          TableName: tableName('settlements'),
          Key: headerKey(showId),
          UpdateExpression: 'SET #status = :settling, startedAt = if_not_exists(startedAt, :now), leaseUntil = :lease, attempts = attempts + :one',
          ConditionExpression: '(#status = :pending AND dueAt <= :now) OR (#status = :settling AND leaseUntil <= :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':settling': 'SETTLING', ':pending': 'PENDING', ':now': now.toISOString(), ':lease': leaseUntil.toISOString(), ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem<Settlement>(Attributes!, 'due');
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  },

  async writeSellers(statements, entries) {
    let items = [
      ...statements.map((s) => ({ TableName: tableName('settlements'), Item: { ...statementKey(s.showId, s.sellerId), ...s } })),
      ...entries.map((e) => ({ TableName: tableName('ledger'), Item: ledgerItem(e) })),
    ];
    while (items.length > 0) {
      try {
        await ddb.send(
          new TransactWriteCommand({
            TransactItems: items.map((Put) => ({ Put: { ...Put, ConditionExpression: 'attribute_not_exists(pk)' } })),
          }),
        );
        return;
      } catch (error) {
        const reasons = cancelledFor(error);
        if (!reasons?.includes('ConditionalCheckFailed')) throw error;
        // written by an earlier, interrupted attempt: the ids are deterministic, keep them and write the rest
        items = items.filter((_, i) => reasons[i] !== 'ConditionalCheckFailed');
      }
    }
  },

  async finish(showId, totals, now) {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('settlements'),
        Key: headerKey(showId),
        UpdateExpression:
          'SET #status = :settled, settledAt = :now, grossFen = :g, sellerPayoutFen = :p, operationsFen = :o, sellerCount = :s, orderCount = :n REMOVE due, leaseUntil, lastError',
        ConditionExpression: '#status = :settling',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':settled': 'SETTLED', ':settling': 'SETTLING', ':now': now.toISOString(),
          ':g': totals.grossFen, ':p': totals.sellerPayoutFen, ':o': totals.operationsFen, ':s': totals.sellerCount, ':n': totals.orderCount,
        },
      }),
    );
  },

  async failAttempt(showId, error, retryAt, final) {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('settlements'),
        Key: headerKey(showId),
        UpdateExpression: final ? 'SET #status = :failed, lastError = :e REMOVE due, leaseUntil' : 'SET leaseUntil = :retry, dueAt = :retry, lastError = :e',
        ConditionExpression: '#status = :settling',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: final
          ? { ':failed': 'FAILED', ':e': error.slice(0, 1000), ':settling': 'SETTLING' }
          : { ':retry': retryAt.toISOString(), ':e': error.slice(0, 1000), ':settling': 'SETTLING' },
      }),
    );
  },

  async rerun(showId, now) {
    try {
      await ddb.send(
        new UpdateCommand({
          TableName: tableName('settlements'),
          Key: headerKey(showId),
          UpdateExpression: 'SET #status = :pending, due = :due, dueAt = :now, attempts = :zero',
          ConditionExpression: '#status = :failed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':due': 'DUE', ':now': now.toISOString(), ':failed': 'FAILED', ':zero': 0 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  async refundUnsettled(order, now) {
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            refundOrderUpdate(order, now),
            {
              ConditionCheck: {
                TableName: tableName('settlements'),
                Key: headerKey(order.showId),
                ConditionExpression: 'attribute_not_exists(pk) OR #status = :pending',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':pending': 'PENDING' },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancelledFor(error)?.includes('ConditionalCheckFailed')) return false;
      throw error;
    }
  },

  async refundSettled(order, reversals, entries, now) {
    const at = now.toISOString();
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            refundOrderUpdate(order, now),
            ...reversals.map(({ reversal, statement }) => ({
              Update: {
                TableName: tableName('settlements'),
                Key: statementKey(order.showId, reversal.sellerId),
                UpdateExpression: 'SET refundedFen = :r, payoutReversedFen = payoutReversedFen + :p, operationsReversedFen = operationsReversedFen + :o',
                ConditionExpression: 'refundedFen = :expected',
                ExpressionAttributeValues: {
                  ':r': statement.refundedFen + reversal.refundFen,
                  ':p': reversal.payoutReversalFen,
                  ':o': reversal.operationsReversalFen,
                  ':expected': statement.refundedFen,
                },
              },
            })),
            {
              Put: {
                TableName: tableName('settlements'),
                Item: { ...adjustmentKey(order.showId, order.orderId), showId: order.showId, orderId: order.orderId, at, reversals: reversals.map((r) => r.reversal) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...entries.map((e) => ({ Put: { TableName: tableName('ledger'), Item: ledgerItem(e), ConditionExpression: 'attribute_not_exists(pk)' } })),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancelledFor(error)?.includes('ConditionalCheckFailed')) return false;
      throw error;
    }
  },
};
