import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import { tableName } from '../shared/env.js';
import { productKey } from './catalog-store.js';
import { ddb, fromItem } from './dynamo.js';
import { showKey } from './show-store.js';

/** The sparse expiry index is spread over this many partitions so reservations never hot-spot one. */
export const RESERVED_SHARDS = 8;

export const orderKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' });

export function reservedShard(orderId: string): string {
  const n = createHash('sha256').update(orderId).digest().readUInt32BE(0) % RESERVED_SHARDS;
  return `RESERVED#${n}`;
}

const toOrder = (item: Record<string, unknown>) => fromItem<Order>(item, 'reservedShard', 'paidShow');

export interface OrderStore {
  /** Takes the stock and writes the order in one transaction, only while the show is LIVE. */
  reserve(order: Order): Promise<void>;
  get(orderId: string): Promise<Order | undefined>;
  /** RESERVED and unexpired → PAID. Returns undefined when the condition failed. */
  pay(orderId: string, paymentRef: string, now: Date): Promise<Order | undefined>;
  /** RESERVED → CANCELLED or EXPIRED, returning the stock in the same transaction. False when the order had left RESERVED (or, for expiry, is not yet due). */
  release(order: Order, to: 'CANCELLED' | 'EXPIRED', now: Date): Promise<boolean>;
  /** Reservations whose expiry has passed, from the sparse index, page by page. */
  expiredReservations(now: Date): AsyncGenerator<Order>;
  /** A show's PAID orders, from the sparse index, one page at a time. */
  paidOrders(showId: string, pageSize?: number): AsyncGenerator<Order[]>;
}


function isConditionFailure(error: unknown): boolean {
  return error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
}

export const orderStore: OrderStore = {
  async reserve(order) {
    const items = order.items;
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: tableName('shows'),
                Key: showKey(order.showId),
                ConditionExpression: '#status = :live',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':live': 'LIVE' },
              },
            },
            ...items.map((line) => ({
              Update: {
                TableName: tableName('catalog'),
                Key: productKey(line.productId),
                UpdateExpression: 'SET stock = stock - :q',
                ConditionExpression: 'attribute_exists(pk) AND stock >= :q',
                ExpressionAttributeValues: { ':q': line.quantity },
              },
            })),
            {
              Put: {
                TableName: tableName('orders'),
                Item: { ...orderKey(order.orderId), ...order, reservedShard: reservedShard(order.orderId) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') {
        throw new DomainError('SHOW_NOT_LIVE', `show ${order.showId} is no longer LIVE`, 'showId');
      }
      const short = items.findIndex((_, i) => reasons[i + 1]?.Code === 'ConditionalCheckFailed');
      if (short >= 0) {
        const field = `items[${short}].productId`;
        throw new DomainError('OUT_OF_STOCK', `${field}: not enough stock of ${items[short]!.productId} for ${items[short]!.quantity}`, field);
      }
      throw error;
    }
  },

  async get(orderId) {
    const { Item } = await ddb.send(
      new GetCommand({ TableName: tableName('orders'), Key: orderKey(orderId), ConsistentRead: true }),
    );
    return Item ? toOrder(Item) : undefined;
  },

  async pay(orderId, paymentRef, now) {
    try {
      const { Attributes } = await ddb.send(
        new UpdateCommand({
          TableName: tableName('orders'),
          Key: orderKey(orderId),
          // paidShow puts the order in the sparse index settlement reads
          UpdateExpression: 'SET #status = :paid, paidAt = :now, paymentRef = :ref, paidShow = showId REMOVE reservedShard',
          ConditionExpression: '#status = :reserved AND expiresAt > :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':paid': 'PAID', ':reserved': 'RESERVED', ':now': now.toISOString(), ':ref': paymentRef },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toOrder(Attributes!);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  },

  async release(order, to, now) {
    const at = now.toISOString();
    const due = to === 'EXPIRED' ? ' AND expiresAt <= :now' : '';
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName('orders'),
                Key: orderKey(order.orderId),
                UpdateExpression: `SET #status = :to, ${to === 'CANCELLED' ? 'cancelledAt' : 'expiredAt'} = :now REMOVE reservedShard`,
                ConditionExpression: `#status = :reserved${due}`,
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':to': to, ':reserved': 'RESERVED', ':now': at },
              },
            },
            ...order.items.map((line) => ({
              Update: {
                TableName: tableName('catalog'),
                Key: productKey(line.productId),
                UpdateExpression: 'SET stock = stock + :q',
                ExpressionAttributeValues: { ':q': line.quantity },
              },
            })),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async *paidOrders(showId, pageSize = 1000) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await ddb.send(
        new QueryCommand({
          TableName: tableName('orders'),
          IndexName: 'paidByShow',
          KeyConditionExpression: 'paidShow = :show',
          ExpressionAttributeValues: { ':show': showId },
          ExclusiveStartKey: startKey,
          Limit: pageSize,
        }),
      );
      yield (page.Items ?? []).map(toOrder);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  },

  async *expiredReservations(now) {
    for (let shard = 0; shard < RESERVED_SHARDS; shard++) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await ddb.send(
          new QueryCommand({
            TableName: tableName('orders'),
            IndexName: 'reservedByExpiry',
            KeyConditionExpression: 'reservedShard = :shard AND expiresAt <= :now',
            ExpressionAttributeValues: { ':shard': `RESERVED#${shard}`, ':now': now.toISOString() },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) yield toOrder(item);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
  },
};
