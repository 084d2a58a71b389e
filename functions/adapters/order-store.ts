import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import type { Order, OrderLine } from '../domain/order.js';
import { tableName } from '../shared/env.js';
import { stockByShard, stockKey } from './catalog-store.js';
import { ShardCursor } from '../domain/stock.js';
import { ddb, fromItem, queryPages } from './dynamo.js';
import { showGateKey } from './show-store.js';

/** The sparse expiry index is spread over this many partitions so reservations never hot-spot one. */
export const RESERVED_SHARDS = 32;

export const orderKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' });

/** The reservation's order id is taken: the same idempotency key was used before. */
export class OrderExistsError extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} exists`);
  }
}

/** A show's paid orders are spread over this many index partitions (settlement reads them all). */
export const PAID_SHARDS = 32;

const hashOf = (orderId: string) => createHash('sha256').update(orderId).digest().readUInt32BE(0);

export function reservedShard(orderId: string): string {
  return `RESERVED#${hashOf(orderId) % RESERVED_SHARDS}`;
}

/** The partition of the sparse paid-orders index an order goes to once PAID. */
export function paidShowShard(showId: string, orderId: string): string {
  return `${showId}#${String(hashOf(orderId) % PAID_SHARDS).padStart(2, '0')}`;
}

/** Storage attributes that are not part of the order. */
const STORAGE_ATTRIBUTES = ['reservedShard', 'showShard', 'paidShow'];

export const toOrder = (item: Record<string, unknown>) => fromItem<Order>(item, ...STORAGE_ATTRIBUTES);

export interface OrderStore {
  /**
   * Takes the stock and writes the order in one transaction, only while the show is LIVE. A line
   * of a sharded product takes from one shard, moving on to the next when that one is short;
   * the order returned says which shard each line took from.
   */
  reserve(order: Order, stockShards: (productId: string) => number): Promise<Order>;
  get(orderId: string): Promise<Order | undefined>;
  /** RESERVED, unexpired and the storefront's own → PAID. Returns undefined when the condition failed. */
  pay(orderId: string, paymentRef: string, now: Date, storefrontId: string): Promise<Order | undefined>;
  /** RESERVED → CANCELLED or EXPIRED, returning the stock in the same transaction. False when the order had left RESERVED (or, for expiry, is not yet due). */
  release(order: Order, to: 'CANCELLED' | 'EXPIRED', now: Date): Promise<boolean>;
  /** Reservations whose expiry has passed, from the sparse index, page by page. */
  expiredReservations(now: Date): AsyncGenerator<Order>;
  /** A show's PAID orders, from the sparse index, one page at a time. */
  paidOrders(showId: string, pageSize?: number): AsyncGenerator<Order[]>;
}


export const orderStore: OrderStore = {
  async reserve(order, stockShards) {
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
                  Key: showGateKey(order.showId, hashOf(order.orderId)),
                  ConditionExpression: '#status = :live',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':live': 'LIVE' },
                },
              },
              ...items.map((line) => ({
                Update: {
                  TableName: tableName('catalog'),
                  Key: stockKey(line.productId, line.stockShard),
                  UpdateExpression: 'SET stock = stock - :q',
                  ConditionExpression: 'attribute_exists(pk) AND stock >= :q',
                  ExpressionAttributeValues: { ':q': line.quantity },
                },
              })),
              {
                Put: {
                  TableName: tableName('orders'),
                  Item: {
                    ...orderKey(order.orderId),
                    ...placed,
                    reservedShard: reservedShard(order.orderId),
                    showShard: paidShowShard(order.showId, order.orderId),
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return placed;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          throw new DomainError('SHOW_NOT_LIVE', `show ${order.showId} is no longer LIVE`, 'showId');
        }
        if (reasons[items.length + 1]?.Code === 'ConditionalCheckFailed') throw new OrderExistsError(order.orderId);
        const short = items.findIndex((_, i) => reasons[i + 1]?.Code === 'ConditionalCheckFailed');
        if (short < 0) throw error;
        const cursor = cursors[short]!;
        // that shard is short: move to one that still holds enough (a fresh read of the shards)
        if (cursor.shards > 1 && cursor.next(await stockByShard(items[short]!.productId), items[short]!.quantity)) continue;
        const field = `items[${short}].productId`;
        throw new DomainError('OUT_OF_STOCK', `${field}: not enough stock of ${items[short]!.productId} for ${items[short]!.quantity}`, field);
      }
    }
  },

  async get(orderId) {
    const { Item } = await ddb.send(
      new GetCommand({ TableName: tableName('orders'), Key: orderKey(orderId), ConsistentRead: true }),
    );
    return Item ? toOrder(Item) : undefined;
  },

  async pay(orderId, paymentRef, now, storefrontId) {
    try {
      const { Attributes } = await ddb.send(
        new UpdateCommand({
          TableName: tableName('orders'),
          Key: orderKey(orderId),
          // paidShow puts the order in the sparse index settlement reads (one of the show's partitions)
          UpdateExpression: 'SET #status = :paid, paidAt = :now, paymentRef = :ref, paidShow = showShard REMOVE reservedShard',
          ConditionExpression: '#status = :reserved AND expiresAt > :now AND storefrontId = :sf',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':paid': 'PAID', ':reserved': 'RESERVED', ':now': now.toISOString(), ':ref': paymentRef, ':sf': storefrontId },
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
    let lines = order.items;
    for (;;) {
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
              ...lines.map((line) => ({
                Update: {
                  TableName: tableName('catalog'),
                  Key: stockKey(line.productId, line.stockShard),
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
        const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : undefined;
        if (!reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return false; // the order had left RESERVED (or is not due)
        const gone = lines.map((_, i) => reasons[i + 1]?.Code === 'ConditionalCheckFailed');
        if (!gone.some(Boolean)) throw error;
        // a shard removed by resharding: its units go back onto the product item
        lines = lines.map((line, i) => (gone[i] ? { ...line, stockShard: undefined } : line));
      }
    }
  },

  async *paidOrders(showId, pageSize = 1000) {
    for (let shard = 0; shard < PAID_SHARDS; shard++) {
      for await (const items of queryPages({
        TableName: tableName('orders'),
        IndexName: 'paidByShow',
        KeyConditionExpression: 'paidShow = :partition',
        ExpressionAttributeValues: { ':partition': `${showId}#${String(shard).padStart(2, '0')}` },
        Limit: pageSize,
      })) {
        if (items.length) yield items.map(toOrder);
      }
    }
  },

  async *expiredReservations(now) {
    for (let shard = 0; shard < RESERVED_SHARDS; shard++) {
      for await (const keys of queryPages({
        TableName: tableName('orders'),
        IndexName: 'reservedByExpiry',
        KeyConditionExpression: 'reservedShard = :shard AND expiresAt <= :now',
        ExpressionAttributeValues: { ':shard': `RESERVED#${shard}`, ':now': now.toISOString() },
      })) {
        // the index holds keys only: read each due order (the sweep is not on a hot path)
        for (const key of keys) {
          const order = await orderStore.get(String(key.pk).slice('ORDER#'.length));
          if (order?.status === 'RESERVED') yield order;
        }
      }
    }
  },
};
