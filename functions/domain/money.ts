import { DomainError } from './errors.js';

/** Money is integer fen (1 yuan = 100 fen). Never a float. */
export type Fen = number;

/** The largest amount the system accepts for one order: 100 million yuan. */
export const MAX_ORDER_FEN = 10_000_000_000;

export function isFen(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** price × quantity, refused rather than rounded or overflowed. */
export function lineAmount(priceFen: Fen, quantity: number, field: string): Fen {
  const amount = priceFen * quantity;
  if (!isFen(priceFen) || !Number.isSafeInteger(quantity) || !isFen(amount) || amount > MAX_ORDER_FEN) {
    throw new DomainError('VALIDATION_FAILED', `${field}: amount is too large`, field);
  }
  return amount;
}

export function sumFen(amounts: readonly Fen[]): Fen {
  let total = 0;
  for (const a of amounts) total += a;
  if (!isFen(total)) throw new RangeError('sum of fen amounts is not a safe integer');
  return total;
}

/** "123.45" for 12345 fen, exact (no float arithmetic). */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
