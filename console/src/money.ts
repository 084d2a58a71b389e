/**
 * Money in the console: the API speaks integer fen (1 yuan = 100 fen). Display and input convert
 * with integer and string arithmetic only, never through a floating-point yuan amount.
 */

/** `2990` → `¥29.90`, `-105` → `-¥1.05`, `123456789` → `¥1,234,567.89`. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  const negative = fen < 0;
  const abs = negative ? -fen : fen;
  const yuan = Math.floor(abs / 100); // exact: abs is a safe integer
  const cents = abs % 100;
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${grouped}.${String(cents).padStart(2, '0')}`;
}

/** `2990` → `29.90`, `3000` → `30.00`: the value an input in yuan starts from. */
export function fenToYuanInput(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not a price in fen: ${fen}`);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

export type YuanParse =
  | { ok: true; fen: number }
  | { ok: false; reason: 'empty' | 'format' | 'decimals' | 'range' };

const FULL_WIDTH = /[０-９．]/g;

/**
 * What the operator typed in yuan (`29.9`, `29.90`, `¥29`, `0.05`, full-width digits from a
 * Chinese keyboard) as whole fen, read digit by digit. More than two decimals is refused
 * (`decimals`), not rounded; so are signs, exponents, separators and other text (`format`).
 */
export function parseYuan(input: string): YuanParse {
  const text = input.trim().replace(FULL_WIDTH, (c) => (c === '．' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0))).replace(/^[¥￥]\s*/, '');
  if (text === '') return { ok: false, reason: 'empty' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return { ok: false, reason: 'format' };
  const whole = match[1] ?? '';
  const fraction = match[2];
  if (fraction !== undefined && fraction.length === 0) return { ok: false, reason: 'format' };
  if (fraction !== undefined && fraction.length > 2) return { ok: false, reason: 'decimals' };
  const digits = `${whole.replace(/^0+(?=\d)/, '') || '0'}${(fraction ?? '').padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return { ok: false, reason: 'range' }; // beyond 10^15 fen is not a price
  return { ok: true, fen: Number(digits) };
}
