/**
 * The payees table's layout: a seller's full payee details (WeChat openid and real name, or bank
 * account), apart from the catalog so that IAM lets only the functions that pay read them.
 */
import type { Payee } from '../../domain/payout.js';
import type { Item } from './item.js';

export const payeesTable = {
  payeeKey: (sellerId: string) => ({ pk: `SELLER#${sellerId}`, sk: 'PAYEE' }),
  payeeItem: (sellerId: string, payee: Payee, at: string): Item => ({ ...payeesTable.payeeKey(sellerId), payee, updatedAt: at }),
  toPayee: (item: Item) => item.payee as Payee,
};
