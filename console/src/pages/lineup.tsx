/** The lineup picker: the county's products, each added with its show price (yuan) and, for a flash sale, stock shards. */
import type { LineupItem, Product } from '../api.js';
import { useProducts, useSellers } from '../data.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { fenToYuanInput, formatFen, parseYuan } from '../money.js';
import { ErrorNotice, FieldError, type FormErrors } from '../ui.js';

export interface LineupRow {
  productId: string;
  price: string;
  shards: string;
}

export const MIN_PRICE_FEN = 1;
export const MAX_PRICE_FEN = 100_000_000;

/** A price in yuan as fen, or the message key saying what is wrong with it. */
export function priceFen(text: string): { fen: number } | { error: MessageKey } {
  const parsed = parseYuan(text);
  if (!parsed.ok) return { error: parsed.reason === 'empty' ? 'form.required' : parsed.reason === 'decimals' ? 'money.decimals' : parsed.reason === 'range' ? 'money.range' : 'money.format' };
  if (parsed.fen < MIN_PRICE_FEN || parsed.fen > MAX_PRICE_FEN) return { error: 'money.range' };
  return { fen: parsed.fen };
}

/** The lineup to send, or the errors by API field name (`lineup[0].showPriceFen`). */
export function buildLineup(rows: LineupRow[]): { lineup: LineupItem[]; errors: Record<string, MessageKey> } {
  const errors: Record<string, MessageKey> = {};
  const lineup: LineupItem[] = [];
  rows.forEach((row, i) => {
    const price = priceFen(row.price);
    if ('error' in price) errors[`lineup[${i}].showPriceFen`] = price.error;
    let shards: number | undefined;
    if (row.shards.trim() !== '') {
      shards = /^\d+$/.test(row.shards.trim()) ? Number(row.shards.trim()) : NaN;
      if (!(shards >= 1 && shards <= 64)) errors[`lineup[${i}].stockShards`] = 'lineup.shardsRange';
    }
    if ('fen' in price) lineup.push({ productId: row.productId, showPriceFen: price.fen, ...(shards !== undefined && !Number.isNaN(shards) ? { stockShards: shards } : {}) });
  });
  return { lineup, errors };
}

export function rowsOf(lineup: LineupItem[]): LineupRow[] {
  return lineup.map((item) => ({ productId: item.productId, price: fenToYuanInput(item.showPriceFen), shards: item.stockShards && item.stockShards > 1 ? String(item.stockShards) : '' }));
}

/** The API fields a lineup editor shows (errors at these appear next to their input). */
export function lineupFields(rows: LineupRow[]): string[] {
  return ['lineup', ...rows.flatMap((_, i) => [`lineup[${i}].showPriceFen`, `lineup[${i}].stockShards`, `lineup[${i}].productId`, `lineup[${i}]`])];
}

export function LineupEditor({ rows, onChange, errors }: { rows: LineupRow[]; onChange: (rows: LineupRow[]) => void; errors: FormErrors }) {
  const { t } = useI18n();
  const products = useProducts();
  const sellers = useSellers();
  const all = products.data?.pages.flatMap((p) => p.products) ?? [];
  const byId = new Map(all.map((p) => [p.productId, p] as const));
  const sellerName = new Map((sellers.data?.pages.flatMap((p) => p.sellers) ?? []).map((s) => [s.sellerId, s.name] as const));
  const inLineup = new Set(rows.map((r) => r.productId));
  const update = (i: number, patch: Partial<LineupRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const add = (p: Product) => onChange([...rows, { productId: p.productId, price: fenToYuanInput(p.priceFen), shards: '' }]);
  const remove = (i: number) => onChange(rows.filter((_, j) => j !== i));
  return (
    <fieldset className="lineup" data-testid="lineup">
      <legend>{t('lineup.title')}</legend>
      <FieldError id="lineup-error" message={errors.at('lineup')} />
      {rows.length === 0 ? <p className="muted">{t('lineup.empty')}</p> : null}
      <ol className="rows">
        {rows.map((row, i) => {
          const p = byId.get(row.productId);
          const pid = row.productId;
          const priceError = errors.at(`lineup[${i}].showPriceFen`);
          const shardsError = errors.at(`lineup[${i}].stockShards`);
          const rowError = errors.at(`lineup[${i}].productId`) ?? errors.at(`lineup[${i}]`);
          return (
            <li key={pid} className="row lineup-row" data-testid={`lineup-row-${pid}`}>
              <div className="row-main">
                <strong>{p?.name ?? pid}</strong>
                {p ? (
                  <span className="muted">
                    {t('lineup.listPrice', { price: formatFen(p.priceFen), unit: p.unit })} · {t('product.stockN', { n: p.stock })}
                  </span>
                ) : null}
              </div>
              <FieldError id={`lineup-${i}-error`} message={rowError} />
              <div className="inline-fields">
                <div className="field">
                  <label htmlFor={`lineup-price-${pid}`}>{t('lineup.showPrice')}</label>
                  <input
                    id={`lineup-price-${pid}`}
                    data-testid={`lineup-price-${pid}`}
                    inputMode="decimal"
                    autoComplete="off"
                    value={row.price}
                    onChange={(e) => update(i, { price: e.target.value })}
                    aria-invalid={priceError ? true : undefined}
                    aria-describedby={priceError ? `lineup-price-${pid}-error` : undefined}
                  />
                  <FieldError id={`lineup-price-${pid}-error`} message={priceError} />
                </div>
                <div className="field">
                  <label htmlFor={`lineup-shards-${pid}`}>{t('lineup.shards')}</label>
                  <input
                    id={`lineup-shards-${pid}`}
                    data-testid={`lineup-shards-${pid}`}
                    inputMode="numeric"
                    autoComplete="off"
                    placeholder="1"
                    value={row.shards}
                    onChange={(e) => update(i, { shards: e.target.value })}
                    aria-invalid={shardsError ? true : undefined}
                    aria-describedby={`lineup-shards-${pid}-hint${shardsError ? ` lineup-shards-${pid}-error` : ''}`}
                  />
                  <p className="hint" id={`lineup-shards-${pid}-hint`}>
                    {t('lineup.shardsHint')}
                  </p>
                  <FieldError id={`lineup-shards-${pid}-error`} message={shardsError} />
                </div>
                <button type="button" className="link" onClick={() => remove(i)} data-testid={`lineup-remove-${pid}`}>
                  {t('lineup.remove', { name: p?.name ?? pid })}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <p className="subhead">{t('lineup.pick')}</p>
      <ErrorNotice error={products.error} onRetry={() => void products.refetch()} />
      {products.isSuccess && all.length === 0 ? <p className="muted">{t('lineup.noProducts')}</p> : null}
      <ul className="rows compact" data-testid="lineup-products">
        {all
          .filter((p) => !inLineup.has(p.productId))
          .map((p) => (
            <li key={p.productId} className="row">
              <div className="row-main">
                <span>
                  {p.name} <span className="muted">{sellerName.get(p.sellerId) ?? ''}</span>
                </span>
                <span className="muted">
                  {formatFen(p.priceFen)}/{p.unit} · {t('product.stockN', { n: p.stock })}
                </span>
              </div>
              <button type="button" onClick={() => add(p)} data-testid={`lineup-add-${p.productId}`} disabled={rows.length >= 100}>
                {t('lineup.add', { name: p.name })}
              </button>
            </li>
          ))}
      </ul>
      {products.hasNextPage ? (
        <button type="button" onClick={() => void products.fetchNextPage()} disabled={products.isFetchingNextPage}>
          {t('action.loadMore')}
        </button>
      ) : null}
    </fieldset>
  );
}
