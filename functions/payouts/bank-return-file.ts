/**
 * The bank's return file for a batch, in the layout the README documents (banks differ; the
 * province's finance office maps its bank's export to it): UTF-8 CSV, a header line, then one line
 * per batch line. Columns, by name and in any order: `payout_id` or `reference` (as in the batch),
 * `attempt` (as in the batch: a payout retried after a refusal is a new attempt, and an old
 * answer must never settle it), `amount_yuan` (two decimals), `result` (`SUCCESS`/`成功` or
 * `FAILED`/`失败`), `reason` (optional).
 */
import { DomainError } from '../domain/errors.js';

export interface BankReturnLine {
  line: number;
  ref: string;
  attempt: number | undefined;
  amountFen: number | undefined;
  succeeded: boolean | undefined;
  reason?: string;
}

/** RFC 4180 cells: quoted cells may hold commas, quotes ("") and line breaks. */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += c;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

const RESULT: Record<string, boolean> = { SUCCESS: true, SUCCEEDED: true, 成功: true, FAILED: false, FAIL: false, 失败: false };

export function parseBankReturnFile(text: string): BankReturnLine[] {
  const [header, ...rows] = csvRows(text);
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => names.indexOf(name);
  const refCol = Math.max(col('payout_id'), col('reference'));
  for (const [name, at] of [['payout_id or reference', refCol], ['attempt', col('attempt')], ['amount_yuan', col('amount_yuan')], ['result', col('result')]] as const) {
    if (at < 0) throw new DomainError('VALIDATION_FAILED', `file: the header has no ${name} column (columns: payout_id or reference, attempt, amount_yuan, result, reason)`, 'file');
  }
  return rows
    .map((cells, i) => ({ cells, line: i + 2 }))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''))
    .map(({ cells, line }) => {
      const amount = /^\d+(\.\d{1,2})?$/.exec((cells[col('amount_yuan')] ?? '').trim());
      const [yuan, fen = ''] = (amount?.[0] ?? '').split('.');
      const reason = col('reason') >= 0 ? cells[col('reason')]?.trim() : undefined;
      const attempt = /^[1-9]\d{0,3}$/.test((cells[col('attempt')] ?? '').trim()) ? Number(cells[col('attempt')]!.trim()) : undefined;
      return {
        line,
        attempt,
        // the payout id where the line has one, else the batch's reference
        ref: ((col('payout_id') >= 0 ? cells[col('payout_id')]?.trim() : '') || (col('reference') >= 0 ? cells[col('reference')]?.trim() : '') || '').trim(),
        amountFen: amount ? Number(yuan) * 100 + Number(fen.padEnd(2, '0')) : undefined,
        succeeded: RESULT[(cells[col('result')] ?? '').trim().toUpperCase()],
        ...(reason ? { reason: reason.slice(0, 200) } : {}),
      };
    });
}
