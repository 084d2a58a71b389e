import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Payout } from '../domain/payout.js';
import type { Books, Mismatch, Reconciliation, ReconciliationStore } from '../reconciliation/ports.js';
import { tableName } from '../shared/env.js';
import { ordersTable } from './codecs/orders.js';
import { paymentsTable } from './codecs/payments.js';
import { settlementsTable } from './codecs/settlements.js';
import { ddb, queryPages } from './dynamo.js';
import { payoutIdOfReference, payoutStore } from './payout-store.js';

/** A day's reconciliation beside the settlements (the table's stream publishes each new mismatch). */
export const reconciliationStore: ReconciliationStore = {
  async save(reconciliation, mismatches) {
    // each mismatch once, under its own key: a re-run that finds it again changes nothing (and publishes nothing)
    for (const m of mismatches) {
      try {
        await ddb.send(new PutCommand({ TableName: tableName('settlements'), Item: settlementsTable.mismatchItem(m), ConditionExpression: 'attribute_not_exists(pk)' }));
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    // the summary last: a day with a summary has all of its mismatches written
    await ddb.send(new PutCommand({ TableName: tableName('settlements'), Item: settlementsTable.reconciliationItem(reconciliation) }));
  },

  async get(day) {
    let reconciliation: Reconciliation | undefined;
    const mismatches: Mismatch[] = [];
    for await (const items of queryPages({ TableName: tableName('settlements'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': settlementsTable.reconciliationPartition(day) }, ConsistentRead: true })) {
      for (const item of items) {
        const d = settlementsTable.decode(item);
        if (d?.kind === 'reconciliation') reconciliation = d.reconciliation;
        if (d?.kind === 'mismatch') mismatches.push(d.mismatch);
      }
    }
    // what the latest run found: a mismatch an earlier run found and a later one did not is resolved (kept, not shown)
    const current = new Set(reconciliation?.current ?? []);
    return reconciliation ? { reconciliation, mismatches: mismatches.filter((m) => current.has(`${m.kind}#${m.ref}`)) } : undefined;
  },
};

/** What the province recorded, by key. */
export const books: Books = {
  async order(orderId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('orders'), Key: ordersTable.orderKey(orderId), ConsistentRead: true }));
    return Item ? ordersTable.toOrder(Item) : undefined;
  },

  async payoutOfReference(reference) {
    const payoutId = await payoutIdOfReference(reference);
    return payoutId ? payoutStore.get(payoutId) : undefined;
  },

  async payoutsSucceededOn(day) {
    const out: Payout[] = [];
    for await (const items of queryPages({ TableName: tableName('payments'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': paymentsTable.paidOutOf(day) } })) {
      for (const item of items) {
        const payout = await payoutStore.get(String(item.payoutId));
        if (payout?.status === 'SUCCEEDED') out.push(payout);
      }
    }
    return out;
  },
};
