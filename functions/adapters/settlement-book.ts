/**
 * The settlement's units of work that span tables, each one DynamoDB transaction, all or
 * nothing: a chunk of seller statements with their payout entries (statements + ledger), and a
 * refund (orders + statements + settlements + ledger). Each table's items come from its codec; ledger entries
 * through the ledger's guarded append.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/order.js';
import type { SettlementBook } from '../settlement/ports.js';
import { tableName } from '../shared/env.js';
import { ordersTable } from './codecs/orders.js';
import { settlementsTable } from './codecs/settlements.js';
import { statementsTable } from './codecs/statements.js';
import { cancellationCodes, ddb } from './dynamo.js';
import { ledgerAppend } from './ledger-store.js';

/** PAID → REFUNDED, leaving the paid index. */
const refundOrderUpdate = (order: Order, now: Date) => ({
  Update: {
    TableName: tableName('orders'),
    Key: ordersTable.orderKey(order.orderId),
    UpdateExpression: 'SET #status = :refunded, refundedAt = :now REMOVE paidShow',
    ConditionExpression: '#status = :paid',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':refunded': 'REFUNDED', ':paid': 'PAID', ':now': now.toISOString() },
  },
});

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Runs a transaction; false when one of its conditions failed (nothing was written). */
async function commit(items: TransactItem[]): Promise<boolean> {
  try {
    await ddb.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.includes('ConditionalCheckFailed')) return false;
    throw error;
  }
}

export const settlementBook: SettlementBook = {
  async writeSellers(statements, entries) {
    let items: TransactItem[] = [
      ...statements.map((s) => ({ Put: { TableName: tableName('statements'), Item: statementsTable.statementItem(s), ConditionExpression: 'attribute_not_exists(pk)' } })),
      ...entries.map(ledgerAppend),
    ];
    while (items.length > 0) {
      try {
        await ddb.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const reasons = cancellationCodes(error);
        if (!reasons?.includes('ConditionalCheckFailed')) throw error;
        // written by an earlier, interrupted attempt: the ids are deterministic, keep them and write the rest
        items = items.filter((_, i) => reasons[i] !== 'ConditionalCheckFailed');
      }
    }
  },

  refundUnsettled(order, now) {
    return commit([
      refundOrderUpdate(order, now),
      {
        ConditionCheck: {
          TableName: tableName('settlements'),
          Key: settlementsTable.settlementKey(order.showId),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'PENDING' },
        },
      },
    ]);
  },

  refundSettled(order, reversals, entries, now) {
    return commit([
      refundOrderUpdate(order, now),
      ...reversals.map(({ reversal, statement }) => ({
        Update: {
          TableName: tableName('statements'),
          Key: statementsTable.statementKey(order.showId, reversal.sellerId),
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
          Item: settlementsTable.adjustmentItem({ showId: order.showId, orderId: order.orderId, at: now.toISOString(), reversals: reversals.map((r) => r.reversal) }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...entries.map(ledgerAppend),
    ]);
  },
};
