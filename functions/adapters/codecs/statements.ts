/**
 * The statements table's layout: per show, one statement per seller, under the show's partition
 * (the same key as the show's settlement). Apart from the settlements table because statements
 * give no events: that table's stream is an outbox, and this table has none. The only code that
 * knows these keys.
 */
import type { Statement } from '../../settlement/ports.js';
import { type Item, strip } from './item.js';

const partition = (showId: string) => `SETTLEMENT#${showId}`;
const KEYS = ['pk', 'sk'] as const;

export const statementsTable = {
  /** A show's statements: Query pk = partition(showId). */
  partition,
  statementKey: (showId: string, sellerId: string) => ({ pk: partition(showId), sk: `SELLER#${sellerId}` }),
  statementItem: (s: Statement): Item => ({ ...statementsTable.statementKey(s.showId, s.sellerId), ...s }),
  toStatement: (item: Item) => strip<Statement>(item, KEYS),
};
