import type { Product, Seller } from '../api.js';
import { countyName, useServices } from '../app.js';
import { useProducts, useSellers } from '../data.js';
import { useI18n } from '../i18n/index.js';
import { formatFen } from '../money.js';
import { Link } from '../router.js';
import { Badge, ErrorNotice, Loading } from '../ui.js';

export function SellerKind({ kind }: { kind: Seller['kind'] }) {
  const { t } = useI18n();
  return <Badge tone="muted">{t(`seller.kind.${kind}`)}</Badge>;
}

export function CatalogPage() {
  const { t } = useI18n();
  const { config, county } = useServices();
  const sellers = useSellers();
  const products = useProducts();
  const bySeller = new Map<string, Product[]>();
  for (const p of products.data?.pages.flatMap((page) => page.products) ?? []) {
    bySeller.set(p.sellerId, [...(bySeller.get(p.sellerId) ?? []), p]);
  }
  const list = sellers.data?.pages.flatMap((p) => p.sellers) ?? [];
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>{t('page.catalog')}</h1>
        <Link to="/sellers/new" className="button primary" data-testid="seller-new">
          {t('seller.new')}
        </Link>
      </div>
      <p className="muted">{countyName(config, county)}</p>
      {sellers.isPending ? <Loading /> : null}
      <ErrorNotice error={sellers.error} onRetry={() => void sellers.refetch()} />
      <ErrorNotice error={products.error} onRetry={() => void products.refetch()} />
      {sellers.isSuccess && list.length === 0 ? <p className="muted">{t('seller.none')}</p> : null}
      {list.map((s) => {
        const own = bySeller.get(s.sellerId) ?? [];
        return (
          <section key={s.sellerId} className="panel" aria-labelledby={`seller-${s.sellerId}`} data-testid="seller-row" data-seller-id={s.sellerId}>
            <div className="page-head">
              <h2 id={`seller-${s.sellerId}`}>{s.name}</h2>
              <SellerKind kind={s.kind} />
            </div>
            <p className="muted">{s.contact ? t('seller.contactIs', { contact: s.contact }) : t('seller.noContact')}</p>
            <div className="actions">
              <Link to={`/sellers/${encodeURIComponent(s.sellerId)}`} className="button" data-testid={`seller-edit-${s.sellerId}`}>
                {t('seller.edit', { name: s.name })}
              </Link>
              <Link to={`/products/new?sellerId=${encodeURIComponent(s.sellerId)}`} className="button" data-testid={`product-new-${s.sellerId}`}>
                {t('product.new')}
              </Link>
            </div>
            {own.length === 0 ? (
              products.isSuccess && !products.hasNextPage ? <p className="muted">{t('product.none')}</p> : null
            ) : (
              <ul className="rows compact">
                {own.map((p) => (
                  <li key={p.productId} className="row" data-testid="product-row" data-product-id={p.productId}>
                    <div className="row-main">
                      <Link to={`/products/${encodeURIComponent(p.productId)}`}>{p.name}</Link>
                      <strong>
                        {formatFen(p.priceFen)}/{p.unit}
                      </strong>
                    </div>
                    <span className={p.stock === 0 ? 'warn-text' : 'muted'}>{t('product.stockN', { n: p.stock })}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
      <div className="actions">
        {sellers.hasNextPage ? (
          <button type="button" onClick={() => void sellers.fetchNextPage()} disabled={sellers.isFetchingNextPage} data-testid="sellers-more">
            {t('seller.more')}
          </button>
        ) : null}
        {products.hasNextPage ? (
          <button type="button" onClick={() => void products.fetchNextPage()} disabled={products.isFetchingNextPage} data-testid="products-more">
            {t('product.more')}
          </button>
        ) : null}
      </div>
    </>
  );
}
