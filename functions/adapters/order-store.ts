import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Order, OrderLine } from '../domain/order.js';
import { ShardCursor } from '../domain/stock.js';
import type { OrderStore } from '../orders/ports.js';
import type { PaidOrders } from '../settlement/ports.js';
import { tableName } from '../shared/env.js';
import { stockByShard } from './catalog-store.js';
import { catalogTable } from './codecs/catalog.js';
import { ordersTable } from './codecs/orders.js';
import { paymentsTable } from './codecs/payments.js';
import { showsTable } from './codecs/shows.js';
import { cancellationCodes, ddb, queryPages } from './dynamo.js';

async function get(orderId: string): Promise<Order | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('orders'), Key: ordersTable.orderKey(orderId), ConsistentRead: true }));
  return Item ? ordersTable.toOrder(Item) : undefined;
}

export const orderStore: OrderStore & PaidOrders = {
  async reserve(order, lineupVersion, stockShards) {
    const cursors = order.items.map((line) => new ShardCursor(Math.max(1, stockShards(line.productId))));
    for (;;) {
      const items = order.items.map((line, i): OrderLine => {
        const { stockShard: _previous, ...rest } = line;
        return cursors[i]!.shards > 1 ? { ...rest, stockShard: cursors[i]!.shard } : rest;
      });
      const placed: Order = { ...order, items };
      try {
        await ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: tableName('shows'),
                  Key: showsTable.gateKeyFor(order.showId, order.orderId),
                  // still LIVE, and still at the lineup version the order's prices come from
                  ConditionExpression: '#status = :live AND lineupVersion = :lv',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':live': 'LIVE', ':lv': lineupVersion },
                },
              },
              ...items.map((line) => ({
                Update: {
                  TableName: tableName('catalog'),
                  Key: catalogTable.stockKey(line.productId, line.stockShard),
                  UpdateExpression: 'SET stock = stock - :q',
                  ConditionExpression: 'attribute_exists(pk) AND stock >= :q',
                  ExpressionAttributeValues: { ':q': line.quantity },
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
        if (reasons[0] === 'ConditionalCheckFailed') return { refused: 'show-changed' };
        if (reasons[items.length + 1] === 'ConditionalCheckFailed') return { refused: 'order-exists' };
        const short = items.findIndex((_, i) => reasons[i + 1] === 'ConditionalCheckFailed');
        if (short < 0) throw error;
        const cursor = cursors[short]!;
        // that shard is short: move to one that still holds enough (a fresh read of the shards)
        if (cursor.shards > 1 && cursor.next(await stockByShard(items[short]!.productId), items[short]!.quantity)) continue;
        return { refused: 'out-of-stock', line: short };
      }
    }
  },

  get,

  async pay(orderId, paymentRef, now, storefrontId) {
    const at = now.toISOString();
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName('orders'),
                Key: ordersTable.orderKey(orderId),
                // paidShow puts the order in the sparse index settlement reads (the partition chosen at reservation)
                UpdateExpression: 'SET #status = :paid, paidAt = :now, paymentRef = :ref, paidShow = paidPartition REMOVE reservedShard',
                ConditionExpression: '#status = :reserved AND expiresAt > :now AND storefrontId = :sf',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':paid': 'PAID', ':reserved': 'RESERVED', ':now': at, ':ref': paymentRef, ':sf': storefrontId },
              },
            },
            // the storefront's reference pays one order only
            { Put: { TableName: tableName('payments'), Item: paymentsTable.claimItem(`${storefrontId}#${paymentRef}`, orderId, at), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
      return (await get(orderId))!;
    } catch (error) {
      const reasons = cancellationCodes(error);
      if (!reasons) throw error;
      if (reasons[0] !== 'ConditionalCheckFailed' && reasons[1] === 'ConditionalCheckFailed') return 'ref-used';
      return undefined;
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
                  UpdateExpression: `SET #status = :to, ${to === 'CANCELLED' ? 'cancelledAt' : 'expiredAt'} = :now REMOVE reservedShard`,
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

  async *expiredReservations(now) {
    for (const partition of ordersTable.reservedPartitions()) {
      for await (const keys of queryPages({
        TableName: tableName('orders'),
        IndexName: 'reservedByExpiry',
        KeyConditionExpression: 'reservedShard = :shard AND expiresAt <= :now',
        ExpressionAttributeValues: { ':shard': partition, ':now': now.toISOString() },
      })) {
        // the index holds keys only: read each due order (the sweep is not on a hot path)
        for (const key of keys) {
          const order = await get(ordersTable.orderIdOf(key));
          if (order?.status === 'RESERVED') yield order;
        }
      }
    }
  },
};
