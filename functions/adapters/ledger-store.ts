/**
 * The ledger: an append-only journal. Entries are put (only where none is) and read, never
 * updated or deleted; the codec refuses any entry that does not balance before it is written.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { JournalEntry } from '../domain/settlement.js';
import type { LedgerStore } from '../settlement/ports.js';
import { tableName } from '../shared/env.js';
import { ledgerTable } from './codecs/ledger.js';
import { ddb } from './dynamo.js';

/** The conditional put of an entry, for a unit of work that appends it together with other writes. */
export function ledgerAppend(entry: JournalEntry) {
  return { Put: { TableName: tableName('ledger'), Item: ledgerTable.entryItem(entry), ConditionExpression: 'attribute_not_exists(pk)' } };
}

export const ledgerStore: LedgerStore = {
  async append(entry) {
    try {
      await ddb.send(new PutCommand(ledgerAppend(entry).Put));
      return 'appended';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  },

  async get(entryId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('ledger'), Key: ledgerTable.entryKey(entryId), ConsistentRead: true }));
    return Item ? ledgerTable.toEntry(Item) : undefined;
  },
};
