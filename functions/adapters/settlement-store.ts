/** The settlements table (settlement headers and adjustments) and the statements table (seller statements). Writes no statement: the settlement book does. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Settlement, SettlementStore, SettlementWithStatements, Statement } from '../settlement/ports.js';
import { tableName } from '../shared/env.js';
import { settlementsTable } from './codecs/settlements.js';
import { statementsTable } from './codecs/statements.js';
import { ddb, queryPages } from './dynamo.js';

const conditionFailed = (error: unknown) => {
  if (error instanceof ConditionalCheckFailedException) return true;
  throw error;
};

export const settlementStore: SettlementStore = {
  async register(settlement) {
    try {
      await ddb.send(new PutCommand({ TableName: tableName('settlements'), Item: settlementsTable.settlementItem(settlement), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      return !conditionFailed(error);
    }
  },

  async get(showId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('settlements'), Key: settlementsTable.settlementKey(showId), ConsistentRead: true }));
    return Item ? settlementsTable.toSettlement(Item) : undefined;
  },

  async getWithStatements(showId) {
    const out: SettlementWithStatements = { statements: [], adjustments: [] };
    for await (const items of queryPages({
      TableName: tableName('settlements'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': settlementsTable.partition(showId) },
      ConsistentRead: true,
    })) {
      for (const item of items) {
        const decoded = settlementsTable.decode(item);
        if (decoded?.kind === 'settlement') out.settlement = decoded.settlement;
        else if (decoded?.kind === 'adjustment') out.adjustments.push(decoded.adjustment);
        else if (decoded?.kind === 'payout') (out.payoutStatus ??= {})[decoded.payout.sellerId] = decoded.payout.status;
      }
    }
    if (!out.settlement) return out; // never registered: no statements either
    // after the header: a header read SETTLED means every statement is written (they are written before it is)
    for await (const items of queryPages({
      TableName: tableName('statements'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': statementsTable.partition(showId) },
      ConsistentRead: true,
    })) out.statements.push(...items.map(statementsTable.toStatement));
    return out;
  },

  async statements(showId, sellerIds) {
    const found = new Map<string, Statement>();
    for (const sellerId of sellerIds) {
      const { Item } = await ddb.send(
        new GetCommand({ TableName: tableName('statements'), Key: statementsTable.statementKey(showId, sellerId), ConsistentRead: true }),
      );
      if (Item) found.set(sellerId, statementsTable.toStatement(Item));
    }
    return found;
  },

  async due(now) {
    const found: Settlement[] = [];
    for await (const items of queryPages({
      TableName: tableName('settlements'),
      IndexName: 'dueSettlements',
      KeyConditionExpression: 'due = :due AND dueAt <= :now',
      ExpressionAttributeValues: { ':due': settlementsTable.DUE, ':now': now.toISOString() },
    })) {
      found.push(...items.map(settlementsTable.toSettlement));
    }
    return found;
  },

  async claim(showId, now, leaseUntil) {
    try {
      const { Attributes } = await ddb.send(
        new UpdateCommand({
          TableName: tableName('settlements'),
          Key: settlementsTable.settlementKey(showId),
          UpdateExpression: 'SET #status = :settling, startedAt = if_not_exists(startedAt, :now), leaseUntil = :lease, attempts = attempts + :one',
          ConditionExpression: '(#status = :pending AND dueAt <= :now) OR (#status = :settling AND leaseUntil <= :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':settling': 'SETTLING', ':pending': 'PENDING', ':now': now.toISOString(), ':lease': leaseUntil.toISOString(), ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return settlementsTable.toSettlement(Attributes!);
    } catch (error) {
      conditionFailed(error);
      return undefined;
    }
  },

  async finish(showId, totals, now) {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('settlements'),
        Key: settlementsTable.settlementKey(showId),
        UpdateExpression:
          // settled: now due for payouts (the payouts context takes it out of the index once they are all made)
          'SET #status = :settled, settledAt = :now, grossFen = :g, sellerPayoutFen = :p, operationsFen = :o, sellerCount = :s, orderCount = :n, due = :payouts REMOVE leaseUntil, lastError',
        ConditionExpression: '#status = :settling',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':settled': 'SETTLED', ':settling': 'SETTLING', ':now': now.toISOString(), ':payouts': settlementsTable.PAYOUTS_DUE,
          ':g': totals.grossFen, ':p': totals.sellerPayoutFen, ':o': totals.operationsFen, ':s': totals.sellerCount, ':n': totals.orderCount,
        },
      }),
    );
  },

  async failAttempt(showId, error, retryAt, final) {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('settlements'),
        Key: settlementsTable.settlementKey(showId),
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
          Key: settlementsTable.settlementKey(showId),
          UpdateExpression: 'SET #status = :pending, due = :due, dueAt = :now, attempts = :zero',
          ConditionExpression: '#status = :failed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':due': settlementsTable.DUE, ':now': now.toISOString(), ':failed': 'FAILED', ':zero': 0 },
        }),
      );
      return true;
    } catch (error) {
      return !conditionFailed(error);
    }
  },
};
