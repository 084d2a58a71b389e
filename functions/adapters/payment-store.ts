import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/order.js';
import type { PaymentStore } from '../payments/ports.js';
import { tableName } from '../shared/env.js';
import { ordersTable } from './codecs/orders.js';
import { paymentsTable } from './codecs/payments.js';
import { settlementsTable } from './codecs/settlements.js';
import { cancellationCodes, ddb } from './dynamo.js';

async function getOrder(orderId: string): Promise<Order | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('orders'), Key: ordersTable.orderKey(orderId), ConsistentRead: true }));
  return Item ? ordersTable.toOrder(Item) : undefined;
}

/** A conditional update of one order; false when its condition failed. */
async function updateOrder(orderId: string, update: string, condition: string, values: Record<string, unknown>, names: Record<string, string> = {}): Promise<boolean> {
  try {
    await ddb.send(new UpdateCommand({
      TableName: tableName('orders'),
      Key: ordersTable.orderKey(orderId),
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export const paymentStore: PaymentStore = {
  getOrder,

  async keepNotification(notification) {
    await ddb.send(new PutCommand({ TableName: tableName('payments'), Item: paymentsTable.notificationItem(notification), ConditionExpression: 'attribute_not_exists(pk)' }));
  },

  async markStarted(orderId, payment) {
    const started = await updateOrder(orderId, 'SET payment = :p', '#status = :reserved AND attribute_not_exists(payment)', { ':p': payment, ':reserved': 'RESERVED' }, { '#status': 'status' });
    return started ? getOrder(orderId) : undefined;
  },

  async markPaid({ orderId, showId }, transactionId, paidAt) {
    const at = paidAt.toISOString();
    for (let attempt = 1; ; attempt++) {
      try {
        await ddb.send(new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName('orders'),
                Key: ordersTable.orderKey(orderId),
                // paidShow puts the order in the sparse index settlement reads (the partition chosen at reservation)
                UpdateExpression: 'SET #status = :paid, paidAt = :now, paymentRef = :ref, paidVia = :via, paidShow = paidPartition',
                ConditionExpression: '#status = :reserved',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':paid': 'PAID', ':reserved': 'RESERVED', ':now': at, ':ref': transactionId, ':via': 'wechatpay' },
              },
            },
            { Put: { TableName: tableName('payments'), Item: paymentsTable.claimItem(transactionId, orderId, at), ConditionExpression: 'attribute_not_exists(pk)' } },
            // never after the show's settlement started: it would not count what the farmers are paid from
            {
              ConditionCheck: {
                TableName: tableName('settlements'),
                Key: settlementsTable.settlementKey(showId),
                ConditionExpression: 'attribute_not_exists(pk) OR #status = :pending',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':pending': 'PENDING' },
              },
            },
          ],
        }));
        return { paid: true };
      } catch (error) {
        const reasons = cancellationCodes(error);
        if (!reasons) throw error;
        // the same notification at once (WeChat sends copies): the other one is writing; look again
        if (reasons.includes('TransactionConflict') && attempt < 5) {
          await new Promise((r) => setTimeout(r, 20 * attempt));
          continue;
        }
        const order = await getOrder(orderId);
        if (!order) throw error;
        if (order.paymentRef === transactionId) return { alreadyPaid: order };
        if (reasons[1] === 'ConditionalCheckFailed') {
          const { Item } = await ddb.send(new GetCommand({ TableName: tableName('payments'), Key: paymentsTable.claimKey(transactionId), ConsistentRead: true }));
          return { transactionUsed: String(Item?.orderId) };
        }
        if (reasons[0] === 'ConditionalCheckFailed' || reasons[2] === 'ConditionalCheckFailed') return { notPayable: order }; // not RESERVED, or its show settling: late money
        throw error;
      }
    }
  },

  async lateRefundDone(orderId, refundState) {
    await updateOrder(orderId, 'SET latePayment.refundState = :s', 'attribute_exists(latePayment)', { ':s': refundState });
  },

  recordLatePayment: (orderId, late) =>
    updateOrder(orderId, 'SET latePayment = :late', 'attribute_exists(pk) AND attribute_not_exists(latePayment)', { ':late': late }),

  async decideRefund(orderId, approval, by, at) {
    const order = await getOrder(orderId);
    if (order?.refund?.approval !== 'PENDING') return false;
    try {
      await ddb.send(new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName('orders'),
              Key: ordersTable.orderKey(orderId),
              UpdateExpression: 'SET refund.approval = :a, refund.decidedBy = :by, refund.decidedAt = :at',
              ConditionExpression: 'refund.approval = :pending',
              ExpressionAttributeValues: { ':a': approval, ':by': by, ':at': at, ':pending': 'PENDING' },
            },
          },
          { Delete: { TableName: tableName('payments'), Key: paymentsTable.pendingRefundKey(order.countyId, order.refund.requestedAt, orderId) } },
        ],
      }));
      return true;
    } catch (error) {
      if (cancellationCodes(error)) return false; // decided meanwhile
      throw error;
    }
  },

  async pendingRefunds(countyId) {
    const { Items } = await ddb.send(new QueryCommand({ TableName: tableName('payments'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': paymentsTable.pendingRefundsOf(countyId) }, Limit: 500 }));
    return (Items ?? []).map((i) => ({ orderId: String(i.orderId), showId: String(i.showId), countyId: String(i.countyId), totalFen: Number(i.totalFen), requestedAt: String(i.requestedAt) }));
  },

  async recordRefundRequest(orderId, refund) {
    const order = await getOrder(orderId);
    if (!order || order.status !== 'PAID' || order.refund) return false;
    const update = {
      Update: {
        TableName: tableName('orders'),
        Key: ordersTable.orderKey(orderId),
        UpdateExpression: 'SET refund = :r',
        ConditionExpression: '#status = :paid AND attribute_not_exists(refund)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':r': refund, ':paid': 'PAID' },
      },
    };
    // one waiting for an operator is listed for the county until decided
    const listed = refund.approval === 'PENDING' ? [{ Put: { TableName: tableName('payments'), Item: paymentsTable.pendingRefundItem(order.countyId, refund.requestedAt, orderId, order.showId, order.totalFen) } }] : [];
    try {
      await ddb.send(new TransactWriteCommand({ TransactItems: [update, ...listed] }));
      return true;
    } catch (error) {
      if (cancellationCodes(error)) return false;
      throw error;
    }
  },
};
