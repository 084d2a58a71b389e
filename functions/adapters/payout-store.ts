import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Payout, Receivable } from '../domain/payout.js';
import type { PayeeDirectory, PayoutStore } from '../payouts/ports.js';
import { tableName } from '../shared/env.js';
import { ledgerTable } from './codecs/ledger.js';
import { payeesTable } from './codecs/payees.js';
import { paymentsTable } from './codecs/payments.js';
import { settlementsTable } from './codecs/settlements.js';
import { statementsTable } from './codecs/statements.js';
import { cancellationCodes, ddb, queryPages } from './dynamo.js';

/** `payout:<showId>:<sellerId>` → its item's key. */
function keyOf(payoutId: string) {
  const [prefix, showId, sellerId] = payoutId.split(':');
  return prefix === 'payout' && showId && sellerId ? settlementsTable.payoutKey(showId, sellerId) : undefined;
}

/** The China-time day of an instant (the bank batch's day). */
export const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

/** One transaction; false when a condition refused it. */
async function transact(TransactItems: object[]): Promise<boolean> {
  try {
    await ddb.send(new TransactWriteCommand({ TransactItems: TransactItems as never }));
    return true;
  } catch (error) {
    if (cancellationCodes(error)) return false;
    throw error;
  }
}

/** A show's settlement as payouts need it (its county and status); undefined when none is registered. */
async function settlementOf(showId: string): Promise<{ showId: string; countyId: string; status: string } | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('settlements'), Key: settlementsTable.settlementKey(showId), ConsistentRead: true }));
  if (!Item) return undefined;
  const s = settlementsTable.toSettlement(Item);
  return { showId, countyId: s.countyId, status: s.status };
}

async function get(payoutId: string): Promise<Payout | undefined> {
  const Key = keyOf(payoutId);
  if (!Key) return undefined;
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('settlements'), Key, ConsistentRead: true }));
  return Item ? settlementsTable.toPayout(Item) : undefined;
}

/**
 * A payout becomes final (SUCCEEDED or FAILED) once, with what goes with it, and leaves the
 * in-flight list, in one transaction; false when it was final already.
 */
async function finish(payout: Payout, update: string, values: Record<string, unknown>, withIt: object[] = []): Promise<boolean> {
  return transact([
    {
      Update: {
        TableName: tableName('settlements'),
        Key: settlementsTable.payoutKey(payout.showId, payout.sellerId),
        UpdateExpression: update,
        ConditionExpression: 'NOT #status IN (:ok, :failed)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':ok': 'SUCCEEDED', ':failed': 'FAILED', ...values },
      },
    },
    ...withIt,
    { Delete: { TableName: tableName('payments'), Key: paymentsTable.inFlightKey(payout.payoutId) } },
  ]);
}

export const payoutStore: PayoutStore = {
  settlementOf,

  async settledShow(showId) {
    const header = await settlementOf(showId);
    if (!header) return undefined;
    // after the header: a header read SETTLED means every statement is written (they are written before it is)
    const sellers: { sellerId: string; name: string; netPayoutFen: number }[] = [];
    for await (const items of queryPages({ TableName: tableName('statements'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': statementsTable.partition(showId) }, ConsistentRead: true })) {
      for (const s of items.map(statementsTable.toStatement)) sellers.push({ sellerId: s.sellerId, name: s.name, netPayoutFen: s.payoutFen - s.payoutReversedFen });
    }
    return { ...header, sellers };
  },

  async list(showId) {
    const out: Payout[] = [];
    for await (const items of queryPages({
      TableName: tableName('settlements'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :payout)',
      ExpressionAttributeValues: { ':pk': settlementsTable.partition(showId), ':payout': settlementsTable.PAYOUT_PREFIX },
      ConsistentRead: true,
    })) out.push(...items.map(settlementsTable.toPayout));
    return out;
  },

  get,
  payoutIdOfReference: (reference) => payoutIdOfReference(reference),

  async statementDue(showId, sellerId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('statements'), Key: statementsTable.statementKey(showId, sellerId), ConsistentRead: true }));
    if (!Item) return undefined;
    const s = statementsTable.toStatement(Item);
    return { netFen: s.payoutFen - s.payoutReversedFen, payoutReversedFen: s.payoutReversedFen };
  },

  async receivablesOf(sellerId) {
    const out: Receivable[] = [];
    for await (const items of queryPages({ TableName: tableName('settlements'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': settlementsTable.receivablesPartition(sellerId) }, ConsistentRead: true })) {
      out.push(...items.map(settlementsTable.toReceivable).filter((r) => r.owedFen > r.recoveredFen));
    }
    return out;
  },

  async fixAmount(payout, seenReversedFen, fix, recovered) {
    return transact([
      {
        Update: {
          TableName: tableName('settlements'),
          Key: settlementsTable.payoutKey(payout.showId, payout.sellerId),
          UpdateExpression: 'SET amountFen = :amount, dueFen = :due, offsetFen = :offset, offsets = :offsets, fixedAt = :at',
          ConditionExpression: '#status = :pending AND attribute_not_exists(fixedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':amount': fix.amountFen, ':due': fix.dueFen, ':offset': fix.offsetFen, ':offsets': fix.offsets, ':at': fix.fixedAt, ':pending': 'PENDING' },
        },
      },
      {
        // no refund reached the statement since its due was read
        ConditionCheck: {
          TableName: tableName('statements'),
          Key: statementsTable.statementKey(payout.showId, payout.sellerId),
          ConditionExpression: 'payoutReversedFen = :seen',
          ExpressionAttributeValues: { ':seen': seenReversedFen },
        },
      },
      ...recovered.map((r) => ({
        Update: {
          TableName: tableName('settlements'),
          Key: settlementsTable.receivableKey(r.sellerId, r.showId),
          UpdateExpression: 'SET recoveredFen = :now',
          ConditionExpression: 'recoveredFen = :before AND owedFen >= :now',
          ExpressionAttributeValues: { ':now': r.recoveredFen, ':before': r.recoveredFen - (fix.offsets.find((o) => o.showId === r.showId)?.fen ?? 0) },
        },
      })),
    ]);
  },

  async recordReceivable(r) {
    try {
      await ddb.send(new UpdateCommand({
        TableName: tableName('settlements'),
        Key: settlementsTable.receivableKey(r.sellerId, r.showId),
        UpdateExpression: 'SET owedFen = :owed, countyId = :county, sellerId = :seller, showId = :show, #at = if_not_exists(#at, :at), recoveredFen = if_not_exists(recoveredFen, :zero)',
        // refunds only ever lower a statement: what is owed only ever grows (a late or repeated event changes nothing)
        ConditionExpression: 'attribute_not_exists(owedFen) OR owedFen < :owed',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':owed': r.owedFen, ':county': r.countyId, ':seller': r.sellerId, ':show': r.showId, ':at': r.at, ':zero': 0 },
      }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  },

  create: (payout) =>
    transact([
      { Put: { TableName: tableName('settlements'), Item: settlementsTable.payoutItem(payout), ConditionExpression: 'attribute_not_exists(pk)' } },
      // its provider reference names it (a transfer notification carries only the reference)
      { Put: { TableName: tableName('payments'), Item: paymentsTable.payoutReferenceItem(payout.reference, payout.payoutId, payout.createdAt), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName('payments'), Item: { ...paymentsTable.inFlightKey(payout.payoutId), payoutId: payout.payoutId, createdAt: payout.createdAt } } },
    ]),

  async submitted(payout, change) {
    const Key = settlementsTable.payoutKey(payout.showId, payout.sellerId);
    const update = {
      TableName: tableName('settlements'),
      Key,
      UpdateExpression: `SET #status = :s, submittedAt = :at${change.providerRef ? ', providerRef = :ref' : ''}${change.awaiting ? ', awaiting = :aw' : ''}${change.method ? ', #method = :method, payee = :payee' : ''}`,
      ConditionExpression: '#status IN (:pending, :submitted, :awaiting)',
      ExpressionAttributeNames: { '#status': 'status', ...(change.method ? { '#method': 'method' } : {}) },
      ExpressionAttributeValues: {
        ':s': change.status, ':at': change.submittedAt, ':pending': 'PENDING', ':submitted': 'SUBMITTED', ':awaiting': 'AWAITING_CONFIRMATION',
        ...(change.method ? { ':method': change.method, ':payee': change.payee } : {}),
        ...(change.providerRef ? { ':ref': change.providerRef } : {}), ...(change.awaiting ? { ':aw': change.awaiting } : {}),
      },
    };
    const listing = (change.method ?? payout.method) === 'bank' && payout.status === 'PENDING' && change.status === 'SUBMITTED';
    // listed in one day's batch only: the listing transaction holds only while the payout is still PENDING
    const listed = listing ? [{ Put: { TableName: tableName('payments'), Item: { ...paymentsTable.bankBatchKey(chinaDay(change.submittedAt!), payout.payoutId), payoutId: payout.payoutId } } }] : [];
    const { ':submitted': _s, ':awaiting': _a, ...pendingOnly } = update.ExpressionAttributeValues;
    return transact([{ Update: listing ? { ...update, ConditionExpression: '#status = :pending', ExpressionAttributeValues: pendingOnly } : update }, ...listed]);
  },

  // the payable moves to cash, once: the entry's id is the payout's (none when receivables took it all)
  succeeded: (payout, at, entry) =>
    finish(payout, 'SET #status = :ok, succeededAt = :at REMOVE awaiting', { ':at': at }, [
      ...(entry ? [{ Put: { TableName: tableName('ledger'), Item: ledgerTable.entryItem(entry), ConditionExpression: 'attribute_not_exists(pk)' } }] : []),
      // listed under the day it was paid, for the day's reconciliation with the provider's bills
      { Put: { TableName: tableName('payments'), Item: { ...paymentsTable.paidOutKey(chinaDay(at), payout.payoutId), payoutId: payout.payoutId } } },
    ]),

  failed: (payout, at, failure) => finish(payout, 'SET #status = :failed, failedAt = :at, failure = :why', { ':at': at, ':why': failure }),

  retry: (payout) =>
    transact([
      {
        Update: {
          TableName: tableName('settlements'),
          Key: settlementsTable.payoutKey(payout.showId, payout.sellerId),
          UpdateExpression: 'SET #status = :pending, attempts = attempts + :one REMOVE failure, failedAt',
          ConditionExpression: '#status = :failed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':failed': 'FAILED', ':one': 1 },
        },
      },
      { Put: { TableName: tableName('payments'), Item: { ...paymentsTable.inFlightKey(payout.payoutId), payoutId: payout.payoutId, createdAt: payout.createdAt } } },
    ]),

  async showsAwaitingPayouts() {
    const shows: string[] = [];
    for await (const items of queryPages({
      TableName: tableName('settlements'),
      IndexName: 'dueSettlements',
      KeyConditionExpression: 'due = :payouts',
      ExpressionAttributeValues: { ':payouts': settlementsTable.PAYOUTS_DUE },
    })) shows.push(...items.map((i) => settlementsTable.toSettlement(i).showId));
    return shows;
  },

  async payoutsMade(showId) {
    try {
      await ddb.send(new UpdateCommand({
        TableName: tableName('settlements'),
        Key: settlementsTable.settlementKey(showId),
        UpdateExpression: 'REMOVE due',
        ConditionExpression: 'due = :payouts',
        ExpressionAttributeValues: { ':payouts': settlementsTable.PAYOUTS_DUE },
      }));
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error; // taken out already
    }
  },

  async inFlight() {
    const out: Payout[] = [];
    for await (const items of queryPages({ TableName: tableName('payments'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': paymentsTable.IN_FLIGHT } })) {
      for (const i of items) {
        const payout = await get(String(i.payoutId));
        if (payout) out.push(payout);
      }
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  },

  async bankBatch(day) {
    const { Items } = await ddb.send(new QueryCommand({ TableName: tableName('payments'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': paymentsTable.bankBatchOf(day) } }));
    const payouts = await Promise.all((Items ?? []).map((i) => get(String(i.payoutId))));
    return payouts.filter((p): p is Payout => p !== undefined).sort((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? '') || a.payoutId.localeCompare(b.payoutId));
  },
};

export const payeeDirectory: PayeeDirectory = {
  async payeeOf(sellerId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('payees'), Key: payeesTable.payeeKey(sellerId), ConsistentRead: true }));
    return Item ? payeesTable.toPayee(Item) : undefined;
  },
};

/** The payout a provider reference names (a transfer notification carries only the reference). */
export async function payoutIdOfReference(reference: string): Promise<string | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('payments'), Key: paymentsTable.claimKey(reference), ConsistentRead: true }));
  return Item?.payoutId === undefined ? undefined : String(Item.payoutId);
}
