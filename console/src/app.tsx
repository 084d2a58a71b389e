/** The signed-in console: its services (API, config, operator, county), the layout and the routes. */
import { createContext, lazy, type ReactNode, Suspense, useContext, useEffect, useRef } from 'react';
import type { Api } from './api.js';
import type { Operator } from './auth.js';
import type { ConsoleConfig } from './config.js';
import { useI18n } from './i18n/index.js';
import { CatalogPage } from './pages/catalog.js';
import { ProductNewPage, ProductPage } from './pages/product.js';
import { SellerPage } from './pages/seller.js';
import { ShowDetailPage } from './pages/show-detail.js';
import { ShowNewPage } from './pages/show-new.js';
import { ShowsPage } from './pages/shows.js';
import { StorefrontsPage } from './pages/storefronts.js';
import { Link, match, navigate, useRoute } from './router.js';
import { Loading } from './ui.js';

// The live control room and the settlement page load on demand: the first load stays small.
const LivePage = lazy(() => import('./pages/live.js').then((m) => ({ default: m.LivePage })));
const SettlementPage = lazy(() => import('./pages/settlement.js').then((m) => ({ default: m.SettlementPage })));
// The period reports too (one chunk for both pages).
const CountyReportPage = lazy(() => import('./pages/reports.js').then((m) => ({ default: m.CountyReportPage })));
const ProvinceReportPage = lazy(() => import('./pages/reports.js').then((m) => ({ default: m.ProvinceReportPage })));

export interface Services {
  config: ConsoleConfig;
  api: Api;
  operator: Operator;
  /** The county the console shows: the operator's own, or the one a province admin switched to. */
  county: string;
  setCounty: (county: string) => void;
  signOut: () => void;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ value, children }: { value: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const value = useContext(ServicesContext);
  if (!value) throw new Error('useServices outside ServicesProvider');
  return value;
}

export function countyName(config: ConsoleConfig, id: string): string {
  return config.counties.find((c) => c.id === id)?.name ?? id;
}

function Header() {
  const { t, lang, setLang } = useI18n();
  const { config, operator, county, setCounty, signOut } = useServices();
  const { path } = useRoute();
  const section =
    path === '/' || path.startsWith('/shows')
      ? 'shows'
      : path.startsWith('/storefronts')
        ? 'storefronts'
        : path.startsWith('/reports/province')
          ? 'province-report'
          : path.startsWith('/reports')
            ? 'reports'
            : 'catalog';
  const current = (name: string) => (section === name ? ('page' as const) : undefined);
  return (
    <header className="top">
      <div className="brand">
        <Link to="/" className="brand-name">
          {t('app.title')}
        </Link>
        <span className="who" data-testid="who">
          {operator.email || operator.sub}
          {operator.provinceAdmin ? ` · ${t('role.provinceAdmin')}` : ''}
        </span>
      </div>
      <nav aria-label={t('nav.label')}>
        <Link to="/" aria-current={current('shows')} data-testid="nav-shows">
          {t('nav.shows')}
        </Link>
        <Link to="/catalog" aria-current={current('catalog')} data-testid="nav-catalog">
          {t('nav.catalog')}
        </Link>
        <Link to="/reports" aria-current={current('reports')} data-testid="nav-reports">
          {t('nav.reports')}
        </Link>
        {operator.provinceAdmin ? (
          <Link to="/reports/province" aria-current={current('province-report')} data-testid="nav-province-report">
            {t('nav.provinceReport')}
          </Link>
        ) : null}
        {operator.provinceAdmin ? (
          <Link to="/storefronts" aria-current={current('storefronts')} data-testid="nav-storefronts">
            {t('nav.storefronts')}
          </Link>
        ) : null}
      </nav>
      <div className="tools">
        {operator.provinceAdmin ? (
          <span className="county-switch">
            <label htmlFor="county-switch">{t('county.switch')}</label>
            <select id="county-switch" data-testid="county-switch" value={county} onChange={(e) => setCounty(e.target.value)}>
              {config.counties.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </span>
        ) : (
          <span className="county" data-testid="county-name">
            {countyName(config, county)}
          </span>
        )}
        <button type="button" data-testid="lang-switch" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
          <span lang={lang === 'en' ? 'zh-CN' : 'en'}>{t('lang.other')}</span>
        </button>
        <button type="button" data-testid="sign-out" onClick={signOut}>
          {t('action.signOut')}
        </button>
      </div>
    </header>
  );
}

/** Goes elsewhere once rendered (navigating during render would update the router mid-render). */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <h1 tabIndex={-1}>{t('page.notFound')}</h1>
      <p>
        <Link to="/">{t('nav.shows')}</Link>
      </p>
    </>
  );
}

function Page() {
  const { path } = useRoute();
  const { operator } = useServices();
  const { t } = useI18n();
  let m: Record<string, string> | null;
  if (path === '/' || path === '') return <ShowsPage />;
  if (path === '/callback') return <Redirect to="/" />;
  if (match('/shows/new', path)) return <ShowNewPage />;
  if ((m = match('/shows/:id', path))) return <ShowDetailPage key={m.id} showId={m.id!} />;
  if ((m = match('/shows/:id/live', path))) return <LivePage key={m.id} showId={m.id!} />;
  if ((m = match('/shows/:id/settlement', path))) return <SettlementPage key={m.id} showId={m.id!} />;
  if (match('/reports', path)) return <CountyReportPage />;
  if (match('/reports/province', path)) return <ProvinceReportPage />;
  if (match('/catalog', path)) return <CatalogPage />;
  if (match('/sellers/new', path)) return <SellerPage />;
  if ((m = match('/sellers/:id', path))) return <SellerPage key={m.id} sellerId={m.id!} />;
  if (match('/products/new', path)) return <ProductNewPage />;
  if ((m = match('/products/:id', path))) return <ProductPage key={m.id} productId={m.id!} />;
  if (match('/storefronts', path)) {
    return operator.provinceAdmin ? (
      <StorefrontsPage />
    ) : (
      <>
        <h1 tabIndex={-1}>{t('page.storefronts')}</h1>
        <p className="notice">{t('storefront.adminOnly')}</p>
      </>
    );
  }
  return <NotFound />;
}

export function Console() {
  const { path } = useRoute();
  const { t } = useI18n();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After a navigation, move focus to the new page's heading (screen readers announce it).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const heading = main.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.focus();
      return;
    }
    // A page loaded on demand has its heading a moment later.
    const root = main.current;
    if (!root) return;
    const observer = new MutationObserver(() => {
      const h = root.querySelector<HTMLElement>('h1');
      if (h) {
        observer.disconnect();
        h.focus();
      }
    });
    observer.observe(root, { childList: true, subtree: true });
    const stop = setTimeout(() => observer.disconnect(), 5000);
    return () => {
      observer.disconnect();
      clearTimeout(stop);
    };
  }, [path]);
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <Header />
      <main id="main" ref={main}>
        <Suspense fallback={<Loading />}>
          <Page />
        </Suspense>
      </main>
    </>
  );
}
