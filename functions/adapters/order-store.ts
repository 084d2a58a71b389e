import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Order, OrderLine } from '../domain/order.js';
import { ShardCursor } from '../domain/stock.js';
import type { OrderStore } from '../orders/ports.js';
import type { PaidOrders } from '../settlement/ports.js';
import { tableName } from '../shared/env.js';
import { stockByShard } from './catalog-store.js';
import { catalogTable } from './codecs/catalog.js';
import { ordersTable } from './codecs/orders.js';
import { paymentsTable } from './codecs/payments.js';
import { cancellationCodes, ddb, queryPages } from './dynamo.js';

async function get(orderId: string): Promise<Order | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('orders'), Key: ordersTable.orderKey(orderId), ConsistentRead: true }));
  return Item ? ordersTable.toOrder(Item) : undefined;
}

export const orderStore: OrderStore & PaidOrders = {
  async reserve(order, stockShards) {
    const cursors = order.items.map((line) => new ShardCursor(Math.max(1, stockShards(line.productId))));
    for (let conflicts = 0; ; ) {
      const items = order.items.map((line, i): OrderLine => {
        const { stockShard: _previous, ...rest } = line;
        return cursors[i]!.shards > 1 ? { ...rest, stockShard: cursors[i]!.shard } : rest;
      });
      const placed: Order = { ...order, items };
      try {
        await ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              // each line takes its units only where the product is on sale in this LIVE show at this price
              ...items.map((line) => ({
                Update: {
                  TableName: tableName('catalog'),
                  Key: catalogTable.stockKey(line.productId, line.stockShard),
                  UpdateExpression: 'SET stock = stock - :q',
                  ConditionExpression: catalogTable.SALE_CONDITION,
                  ExpressionAttributeValues: { ':q': line.quantity, ':show': order.showId, ':price': line.showPriceFen },
                },
              })),
              { Put: { TableName: tableName('orders'), Item: ordersTable.orderItem(placed), ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        );
        return { placed };
      } catch (error) {
        const reasons = cancellationCodes(error);
        if (!reasons) throw error;
        if (reasons[items.length] === 'ConditionalCheckFailed') return { refused: 'order-exists' };
        const failed = items.findIndex((_, i) => reasons[i] === 'ConditionalCheckFailed');
        if (failed < 0) {
          // another transaction on one of the items at that moment (other buyers on a hot shard, or the same key asked twice at once): try again
          if (reasons.includes('TransactionConflict') && ++conflicts < 5) {
            await new Promise((r) => setTimeout(r, 10 * conflicts * Math.random()));
            continue;
          }
          // the order itself kept conflicting: the same key is being written right now; anything else is "busy, retry" (503)
          if (reasons[items.length] === 'TransactionConflict') return { refused: 'busy' };
          throw error;
        }
        const line = items[failed]!;
        const { Item } = await ddb.send(new GetCommand({ TableName: tableName('catalog'), Key: catalogTable.stockKey(line.productId, line.stockShard), ConsistentRead: true }));
        const cursor = cursors[failed]!;
        if (Item) {
          const gate = catalogTable.saleOf(Item);
          // not on sale here at this price: the show ended, or the lineup changed since the order was priced
          if (gate?.showId !== order.showId || gate.showPriceFen !== line.showPriceFen) return { refused: 'show-changed', line: failed };
        }
        // that shard is short (or gone with a resharding): move to one that still holds enough (a fresh read of the shards)
        if (cursor.shards > 1 && cursor.next(await stockByShard(line.productId), line.quantity)) continue;
        return { refused: 'out-of-stock', line: failed };
      }
    }
  },

  get,

  async pay(orderId, paymentRef, now, storefrontId) {
    const at = now.toISOString();
    const ref = `${storefrontId}#${paymentRef}`;
    // an order that cannot be paid is refused before anything is written
    const order = await get(orderId);
    if (order?.storefrontId !== storefrontId || order.status !== 'RESERVED' || order.expiresAt <= at) return undefined;
    // the storefront's reference claims the order: it names one order, for good (a claim is never
    // given back or overwritten, so no interleaving of calls lets it pay a second order)
    try {
      await ddb.send(new PutCommand({ TableName: tableName('payments'), Item: paymentsTable.claimItem(ref, orderId, at), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // asked again for the same order (a retry, a double submit): the existing claim answers
      const { Item } = await ddb.send(new GetCommand({ TableName: tableName('payments'), Key: paymentsTable.claimKey(ref), ConsistentRead: true }));
      if (Item?.orderId !== orderId) return 'ref-used';
    }
    // …then the order becomes PAID: two single-item writes instead of a transaction, half the write
    // capacity. paidShow puts the order in the sparse index settlement reads (the partition chosen at reservation).
    try {
      const { Attributes } = await ddb.send(new UpdateCommand({
        TableName: tableName('orders'),
        Key: ordersTable.orderKey(orderId),
        UpdateExpression: 'SET #status = :paid, paidAt = :now, paymentRef = :ref, paidShow = paidPartition',
        ConditionExpression: '#status = :reserved AND expiresAt > :now AND storefrontId = :sf',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':paid': 'PAID', ':reserved': 'RESERVED', ':now': at, ':ref': paymentRef, ':sf': storefrontId },
        ReturnValues: 'ALL_NEW',
      }));
      return ordersTable.toOrder(Attributes!);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return undefined; // paid (by another call), cancelled or expired since it was read: the reference stays this order's
    }
  },

  async release(order, to, now) {
    const at = now.toISOString();
    const due = to === 'EXPIRED' ? ' AND expiresAt <= :now' : '';
    let lines = order.items;
    for (;;) {
      try {
        await ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName('orders'),
                  Key: ordersTable.orderKey(order.orderId),
                  UpdateExpression: `SET #status = :to, ${to === 'CANCELLED' ? 'cancelledAt' : 'expiredAt'} = :now`,
                  ConditionExpression: `#status = :reserved${due}`,
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':to': to, ':reserved': 'RESERVED', ':now': at },
                },
              },
              ...lines.map((line) => ({
                Update: {
                  TableName: tableName('catalog'),
                  Key: catalogTable.stockKey(line.productId, line.stockShard),
                  UpdateExpression: 'SET stock = stock + :q',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeValues: { ':q': line.quantity },
                },
              })),
            ],
          }),
        );
        return true;
      } catch (error) {
        const reasons = cancellationCodes(error);
        if (!reasons) throw error;
        if (reasons[0] === 'ConditionalCheckFailed') return false; // the order had left RESERVED (or is not due)
        const gone = lines.map((_, i) => reasons[i + 1] === 'ConditionalCheckFailed');
        if (!gone.some(Boolean)) throw error;
        // a shard removed by resharding: its units go back onto the product item
        lines = lines.map((line, i) => (gone[i] ? { ...line, stockShard: undefined } : line));
      }
    }
  },

  async *paidOrders(showId, pageSize = 1000) {
    for (const partition of ordersTable.paidPartitions(showId)) {
      for await (const items of queryPages({
        TableName: tableName('orders'),
        IndexName: 'paidByShow',
        KeyConditionExpression: 'paidShow = :partition',
        ExpressionAttributeValues: { ':partition': partition },
        Limit: pageSize,
      })) {
        if (items.length) yield items.map(ordersTable.toOrder);
      }
    }
  },
};
