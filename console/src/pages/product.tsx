import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { call, type Product } from '../api.js';
import { useServices } from '../app.js';
import { keys, useSellers } from '../data.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { fenToYuanInput, formatFen } from '../money.js';
import { Link, navigate, useRoute } from '../router.js';
import { formatChinaTime } from '../time.js';
import { ErrorNotice, FormErrors, Loading, SelectField, TextField } from '../ui.js';
import { priceFen } from './lineup.js';

const MAX_STOCK = 10_000_000;

/** A whole number of units in [min, max], or the message key saying what is wrong. */
function units(text: string, min: number): { n: number } | { error: MessageKey } {
  const s = text.trim();
  if (s === '') return { error: 'form.required' };
  if (!/^\d+$/.test(s)) return { error: 'form.wholeNumber' };
  const n = Number(s);
  if (n < min || n > MAX_STOCK) return { error: 'form.outOfRange' };
  return { n };
}

export function ProductNewPage() {
  const { t } = useI18n();
  const { api, county } = useServices();
  const { query } = useRoute();
  const queryClient = useQueryClient();
  const sellers = useSellers();
  const list = sellers.data?.pages.flatMap((p) => p.sellers) ?? [];
  const [sellerId, setSellerId] = useState(query.get('sellerId') ?? '');
  const [name, setName] = useState('');
  const [unit, setUnit] = useState('');
  const [price, setPrice] = useState('');
  const [stock, setStock] = useState('0');
  const [local, setLocal] = useState<Record<string, MessageKey>>({});
  const create = useMutation({
    mutationFn: (body: { sellerId: string; name: string; unit: string; priceFen: number; stock: number }) => call(api.POST('/products', { body })),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: keys.products(county) });
      navigate('/catalog');
    },
  });
  const errors = new FormErrors(local, create.error, t);
  const chosen = sellerId || list[0]?.sellerId || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, MessageKey> = {};
    if (!chosen) found.sellerId = 'form.required';
    if (!name.trim()) found.name = 'form.required';
    if (!unit.trim()) found.unit = 'form.required';
    const fen = priceFen(price);
    if ('error' in fen) found.priceFen = fen.error;
    const s = units(stock, 0);
    if ('error' in s) found.stock = s.error;
    setLocal(found);
    if (Object.keys(found).length > 0 || !('fen' in fen) || !('n' in s)) return;
    create.mutate({ sellerId: chosen, name: name.trim(), unit: unit.trim(), priceFen: fen.fen, stock: s.n });
  };
  return (
    <>
      <p className="crumbs">
        <Link to="/catalog">{t('nav.catalog')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('page.productNew')}</h1>
      <ErrorNotice error={sellers.error} onRetry={() => void sellers.refetch()} />
      <form onSubmit={submit} noValidate className="form" data-testid="product-form">
        <ErrorNotice error={errors.top(['sellerId', 'name', 'unit', 'priceFen', 'stock'])} onRetry={() => create.variables && create.mutate(create.variables)} />
        <SelectField id="product-seller" testid="product-seller" label={t('product.seller')} value={chosen} onChange={(e) => setSellerId(e.target.value)} error={errors.at('sellerId')}>
          {list.length === 0 ? <option value="">{t('seller.none')}</option> : null}
          {list.map((s) => (
            <option key={s.sellerId} value={s.sellerId}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <TextField id="product-name" testid="product-name" label={t('product.name')} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required error={errors.at('name')} />
        <TextField id="product-unit" testid="product-unit" label={t('product.unit')} hint={t('product.unitHint')} value={unit} onChange={(e) => setUnit(e.target.value)} maxLength={20} required error={errors.at('unit')} />
        <TextField id="product-price" testid="product-price" label={t('product.price')} hint={t('money.hint')} inputMode="decimal" autoComplete="off" value={price} onChange={(e) => setPrice(e.target.value)} required error={errors.at('priceFen')} />
        <TextField id="product-stock" testid="product-stock" label={t('product.stock')} inputMode="numeric" autoComplete="off" value={stock} onChange={(e) => setStock(e.target.value)} required error={errors.at('stock')} />
        <div className="actions">
          <button type="submit" className="primary" disabled={create.isPending} data-testid="product-save">
            {create.isPending ? t('state.saving') : t('action.save')}
          </button>
        </div>
      </form>
    </>
  );
}

export function ProductPage({ productId }: { productId: string }) {
  const { t, lang } = useI18n();
  const { api } = useServices();
  // The operators' read of a product is its stock record: the product (with its version) and its changes.
  const record = useInfiniteQuery({
    queryKey: keys.product(productId),
    queryFn: ({ pageParam }) => call(api.GET('/products/{productId}/stock-changes', { params: { path: { productId }, query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 0,
  });
  const product = record.data?.pages[0]?.product;
  const changes = record.data?.pages.flatMap((p) => p.changes) ?? [];
  return (
    <>
      <p className="crumbs">
        <Link to="/catalog">{t('nav.catalog')}</Link>
      </p>
      <h1 tabIndex={-1}>{product ? product.name : t('page.product')}</h1>
      {record.isPending ? <Loading /> : null}
      <ErrorNotice error={record.error} onRetry={() => void record.refetch()} />
      {product ? (
        <>
          <p className="facts-line">
            <strong data-testid="product-price-view">
              {formatFen(product.priceFen)}/{product.unit}
            </strong>{' '}
            · <span data-testid="product-stock-view">{t('product.stockN', { n: product.stock })}</span>
          </p>
          <ProductForm key={product.version} product={product} reload={() => void record.refetch()} />
          <StockForm product={product} />
          <section className="panel" aria-labelledby="history-title">
            <h2 id="history-title">{t('stock.history')}</h2>
            {changes.length === 0 ? <p className="muted">{t('stock.noChanges')}</p> : null}
            <ol className="rows compact" data-testid="stock-history">
              {changes.map((c) => (
                <li key={c.changeId} className="row">
                  <div className="row-main">
                    <strong className={c.deltaUnits < 0 ? 'warn-text' : 'ok-text'}>{c.deltaUnits > 0 ? `+${c.deltaUnits}` : String(c.deltaUnits)}</strong>
                    <time dateTime={c.at}>{formatChinaTime(c.at, lang)}</time>
                  </div>
                  <span>{c.reason}</span>
                  <span className="muted">{t('stock.by', { by: c.by })}</span>
                </li>
              ))}
            </ol>
            {record.hasNextPage ? (
              <button type="button" onClick={() => void record.fetchNextPage()} disabled={record.isFetchingNextPage}>
                {t('action.loadMore')}
              </button>
            ) : null}
          </section>
        </>
      ) : null}
    </>
  );
}

function ProductForm({ product, reload }: { product: Product; reload: () => void }) {
  const { t } = useI18n();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const [name, setName] = useState(product.name);
  const [unit, setUnit] = useState(product.unit);
  const [price, setPrice] = useState(fenToYuanInput(product.priceFen));
  const [local, setLocal] = useState<Record<string, MessageKey>>({});
  const save = useMutation({
    mutationFn: (body: { version: number; name: string; unit: string; priceFen: number }) => call(api.PATCH('/products/{productId}', { params: { path: { productId: product.productId } }, body })),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: keys.product(saved.productId) });
      void queryClient.invalidateQueries({ queryKey: keys.products(saved.countyId) });
    },
  });
  const errors = new FormErrors(local, save.error, t);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, MessageKey> = {};
    if (!name.trim()) found.name = 'form.required';
    if (!unit.trim()) found.unit = 'form.required';
    const fen = priceFen(price);
    if ('error' in fen) found.priceFen = fen.error;
    setLocal(found);
    if (Object.keys(found).length > 0 || !('fen' in fen)) return;
    save.mutate({ version: product.version, name: name.trim(), unit: unit.trim(), priceFen: fen.fen });
  };
  return (
    <section className="panel" aria-labelledby="product-edit-title">
      <h2 id="product-edit-title">{t('product.edit')}</h2>
      <form onSubmit={submit} noValidate className="form" data-testid="product-form">
        <ErrorNotice error={errors.top(['name', 'unit', 'priceFen'])} onRetry={() => save.variables && save.mutate(save.variables)} onReload={reload} />
        <TextField id="product-name" testid="product-name" label={t('product.name')} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required error={errors.at('name')} />
        <TextField id="product-unit" testid="product-unit" label={t('product.unit')} value={unit} onChange={(e) => setUnit(e.target.value)} maxLength={20} required error={errors.at('unit')} />
        <TextField id="product-price" testid="product-price" label={t('product.price')} hint={t('money.hint')} inputMode="decimal" autoComplete="off" value={price} onChange={(e) => setPrice(e.target.value)} required error={errors.at('priceFen')} />
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending} data-testid="product-save">
            {save.isPending ? t('state.saving') : t('action.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Stock added or removed with a reason (also the live control room's top-up); `onDone` after a change. */
export function StockForm({ product, onDone, embedded }: { product: Product; onDone?: () => void; embedded?: boolean }) {
  const { t } = useI18n();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<Record<string, MessageKey>>({});
  const adjust = useMutation({
    mutationFn: (body: { deltaUnits: number; reason: string }) => call(api.POST('/products/{productId}/stock', { params: { path: { productId: product.productId } }, body })),
    onSuccess: (answer) => {
      setAmount('');
      setReason('');
      void queryClient.invalidateQueries({ queryKey: keys.product(answer.product.productId) });
      void queryClient.invalidateQueries({ queryKey: keys.products(answer.product.countyId) });
      onDone?.();
    },
  });
  const errors = new FormErrors(local, adjust.error, t);
  const go = (sign: 1 | -1) => {
    const found: Record<string, MessageKey> = {};
    const n = units(amount, 1);
    if ('error' in n) found.deltaUnits = n.error;
    if (!reason.trim()) found.reason = 'form.required';
    setLocal(found);
    if (Object.keys(found).length > 0 || !('n' in n)) return;
    adjust.mutate({ deltaUnits: sign * n.n, reason: reason.trim() });
  };
  const form = (
    <form onSubmit={(e) => { e.preventDefault(); go(1); }} noValidate className="form" data-testid="stock-form">
      <ErrorNotice error={errors.top(['deltaUnits', 'reason'])} onRetry={() => adjust.variables && adjust.mutate(adjust.variables)} />
      {adjust.isSuccess ? (
        <p className="notice ok" role="status">
          {t('stock.done', { n: adjust.data.product.stock })}
        </p>
      ) : null}
      <TextField id="stock-units" testid="stock-units" label={t('stock.units', { unit: product.unit })} inputMode="numeric" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} required error={errors.at('deltaUnits')} />
      <TextField id="stock-reason" testid="stock-reason" label={t('stock.reason')} hint={t('stock.reasonHint')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} required error={errors.at('reason')} />
      <div className="actions">
        <button type="submit" disabled={adjust.isPending} data-testid="stock-add">
          {t('stock.add')}
        </button>
        <button type="button" className="danger" disabled={adjust.isPending} onClick={() => go(-1)} data-testid="stock-remove">
          {t('stock.remove')}
        </button>
      </div>
    </form>
  );
  if (embedded) return form;
  return (
    <section className="panel" aria-labelledby="stock-title">
      <h2 id="stock-title">{t('stock.title')}</h2>
      {form}
    </section>
  );
}
