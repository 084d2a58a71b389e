/** The ledger table's layout: one item per journal entry, keyed by its deterministic id. */
import { assertBalanced, type JournalEntry } from '../../domain/settlement.js';
import { type Item, strip } from './item.js';

export const ledgerTable = {
  entryKey: (entryId: string) => ({ pk: entryId }),
  /** Refuses an entry that does not balance: nothing unbalanced is ever written. */
  entryItem(entry: JournalEntry): Item {
    assertBalanced(entry);
    return { ...ledgerTable.entryKey(entry.entryId), ...entry };
  },
  toEntry: (item: Item) => strip<JournalEntry>(item, ['pk']),
};
