/**
 * The live control room of a show (`/shows/:id/live`): broadcasting and viewers, the encoder's
 * settings, the preview with the timed metadata sent, one spotlight button per lineup product,
 * the live figures (read every 2 s while the tab is visible), stock top-up, and ending the show.
 * Loaded on demand (React.lazy) so the console's first load stays small.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiFailure, call, type OperatorShow } from '../api.js';
import { useServices } from '../app.js';
import { BarChart } from '../chart.js';
import { coarsen, fillMinutes } from '../charts.js';
import { keys, useProducts } from '../data.js';
import { useI18n } from '../i18n/index.js';
import { fetchLive, LIVE_MISSING_POLL_MS, LIVE_POLL_MS, type LiveFigures, type LiveSpotlight, mergeSpotlights } from '../live.js';
import { formatFen } from '../money.js';
import { Link } from '../router.js';
import { formatChinaClock, formatChinaTime } from '../time.js';
import { Badge, ConfirmDialog, ErrorNotice, failureMessage, Loading, SelectField } from '../ui.js';
import { Preview } from './preview.js';
import { StockForm } from './product.js';
import { StatusBadge } from './shows.js';
import { WithShow } from './with-show.js';
import { Ingest } from './ingest.js';

export const liveKey = (showId: string) => ['live', showId];

/** The live figures of a show, read every 2 s while it is live and the tab is visible. */
export function useLiveFigures(showId: string, polling: boolean) {
  const { api } = useServices();
  return useQuery({
    queryKey: liveKey(showId),
    queryFn: () => fetchLive(api, showId),
    staleTime: 0,
    refetchInterval: (query) => (!polling ? false : query.state.data === null ? LIVE_MISSING_POLL_MS : LIVE_POLL_MS),
    refetchIntervalInBackground: false, // paused while the tab is hidden
  });
}

export function LivePage({ showId }: { showId: string }) {
  return <WithShow showId={showId}>{(show) => <ControlRoom show={show} />}</WithShow>;
}

function ControlRoom({ show }: { show: OperatorShow }) {
  const { t, lang } = useI18n();
  const { api, county } = useServices();
  const queryClient = useQueryClient();
  const showId = show.showId;
  const isLive = show.status === 'LIVE';
  const live = useLiveFigures(showId, isLive);
  const figures = live.data ?? null;
  const products = useProducts();
  const catalog = new Map((products.data?.pages.flatMap((p) => p.products) ?? []).map((p) => [p.productId, p] as const));
  const nameOf = (productId: string) => figures?.products.find((p) => p.productId === productId)?.name ?? catalog.get(productId)?.name ?? productId;

  // The show as listed for the county carries its playback URL (the operator read does not).
  const listed = useQuery({
    queryKey: ['playback', show.countyId, showId],
    queryFn: () => call(api.GET('/county-shows', { params: { query: { countyId: show.countyId, status: 'LIVE', limit: 100 } } })),
    enabled: isLive,
    staleTime: 60_000,
  });
  const playbackUrl = listed.data?.shows.find((s) => s.showId === showId)?.playbackUrl ?? null;

  // Spotlights seen (the show's, each answer, each read of the figures): the timed metadata sent.
  const [sent, setSent] = useState<LiveSpotlight[]>(() => mergeSpotlights([], [show.spotlight]));
  useEffect(() => setSent((s) => mergeSpotlights(s, [figures?.spotlight])), [figures?.spotlight]);
  const spotlight = useMutation({
    mutationFn: (productId: string) => call(api.POST('/shows/{showId}/spotlight', { params: { path: { showId } }, body: { productId } })),
    onSuccess: (answer) => {
      setSent((s) => mergeSpotlights(s, [answer.spotlight]));
      void queryClient.invalidateQueries({ queryKey: liveKey(showId) });
    },
  });
  const current = sent[0] ?? null;

  const [confirming, setConfirming] = useState(false);
  const end = useMutation({
    mutationFn: () => call(api.POST('/shows/{showId}/end', { params: { path: { showId } }, body: {} })),
    onSuccess: (answer) => {
      queryClient.setQueryData(keys.show(showId, county), answer);
      void queryClient.invalidateQueries({ queryKey: keys.shows(county) });
      void queryClient.invalidateQueries({ queryKey: liveKey(showId) });
      setConfirming(false);
    },
  });

  const [stockFor, setStockFor] = useState('');
  const stockProductId = stockFor || show.lineup[0]?.productId || '';
  const stockProduct = catalog.get(stockProductId);

  return (
    <>
      <p className="crumbs">
        <Link to={`/shows/${encodeURIComponent(showId)}`}>{show.title}</Link>
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>{t('live.title', { title: show.title })}</h1>
        <StatusBadge status={show.status} />
      </div>
      {!isLive ? (
        <div className="notice warn" data-testid="live-not-live">
          <p>{t(show.status === 'ENDED' ? 'live.ended' : 'live.notLive')}</p>
          {show.status === 'ENDED' ? <Link to={`/shows/${encodeURIComponent(showId)}/settlement`}>{t('nav.settlement')}</Link> : null}
        </div>
      ) : null}

      <Broadcast figures={figures} />

      <div className="live-grid">
        <div>
          <Figures figures={figures} query={live} startedAt={show.startedAt} />
        </div>
        <div>
          <section className="panel" aria-labelledby="spotlight-title">
            <h2 id="spotlight-title">{t('spotlight.title')}</h2>
            <p className="hint">{t('spotlight.hint')}</p>
            {spotlight.error ? (
              <p className="notice error" role="alert" data-testid="spotlight-error">
                {spotlightMessage(t, spotlight.error)}
              </p>
            ) : null}
            {show.lineup.length === 0 ? <p className="muted">{t('lineup.empty')}</p> : null}
            <div className="spotlight-buttons">
              {show.lineup.map((item) => {
                const on = current?.productId === item.productId;
                const busy = spotlight.isPending && spotlight.variables === item.productId;
                return (
                  <button
                    key={item.productId}
                    type="button"
                    className={on ? 'spot spot-on' : 'spot'}
                    aria-pressed={on}
                    disabled={!isLive || spotlight.isPending}
                    onClick={() => spotlight.mutate(item.productId)}
                    data-testid={`spotlight-${item.productId}`}
                  >
                    <span className="spot-name">{nameOf(item.productId)}</span>
                    <span className="spot-price">{formatFen(item.showPriceFen)}</span>
                    {on ? <span className="badge badge-live">{t('spotlight.current')}</span> : null}
                    {busy ? <span className="muted">{t('state.saving')}</span> : null}
                  </button>
                );
              })}
            </div>
          </section>
          <Preview showId={showId} playbackUrl={playbackUrl} live={isLive && (figures?.broadcasting.live ?? true)} spotlights={sent} nameOf={nameOf} />
        </div>
      </div>

      <section className="panel" aria-labelledby="live-products-title">
        <h2 id="live-products-title">{t('live.products')}</h2>
        <ul className="rows compact" data-testid="live-products">
          {(figures?.products ?? show.lineup.map((l) => ({ productId: l.productId, name: nameOf(l.productId), showPriceFen: l.showPriceFen, unitsSold: null, unitsReserved: null, stockLeft: null, soldOut: false }))).map((p) => (
            <li key={p.productId} className={`row${current?.productId === p.productId ? ' row-spot' : ''}`} data-testid={`live-product-${p.productId}`}>
              <div className="row-main">
                <span className="row-title">
                  {p.name}{' '}
                  {p.soldOut ? (
                    <span data-testid={`live-soldout-${p.productId}`}>
                      <Badge tone="live">{t('live.soldOut')}</Badge>
                    </span>
                  ) : null}
                </span>
                <span>{formatFen(p.showPriceFen)}</span>
              </div>
              <dl className="figures-inline">
                <div>
                  <dt>{t('live.sold')}</dt>
                  <dd data-testid={`live-sold-${p.productId}`}>{p.unitsSold ?? '—'}</dd>
                </div>
                <div>
                  <dt>{t('live.reserved')}</dt>
                  <dd data-testid={`live-reserved-${p.productId}`}>{p.unitsReserved ?? '—'}</dd>
                </div>
                <div>
                  <dt>{t('live.left')}</dt>
                  <dd data-testid={`live-left-${p.productId}`} className={p.stockLeft !== null && p.stockLeft <= 5 ? 'warn-text' : undefined}>
                    {p.stockLeft ?? '—'}
                  </dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      </section>

      {show.lineup.length > 0 ? (
        <section className="panel" aria-labelledby="live-stock-title">
          <h2 id="live-stock-title">{t('live.topUp')}</h2>
          <div className="form">
          <SelectField id="live-stock-product" testid="live-stock-product" label={t('live.topUpProduct')} value={stockProductId} onChange={(e) => setStockFor(e.target.value)}>
            {show.lineup.map((l) => (
              <option key={l.productId} value={l.productId}>
                {nameOf(l.productId)}
              </option>
            ))}
          </SelectField>
          {stockProduct ? (
            <StockForm key={stockProduct.productId} product={stockProduct} embedded onDone={() => void queryClient.invalidateQueries({ queryKey: liveKey(showId) })} />
          ) : products.isPending ? (
            <Loading />
          ) : (
            <ErrorNotice error={products.error} onRetry={() => void products.refetch()} />
          )}
          </div>
        </section>
      ) : null}

      <Ingest channelId={show.channelId} enabled={show.status === 'LIVE' || show.status === 'SCHEDULED'} />

      {isLive ? (
        <section className="panel danger-zone" aria-labelledby="live-end-title">
          <h2 id="live-end-title">{t('show.end')}</h2>
          <ErrorNotice error={end.error} onRetry={() => end.mutate()} />
          <button type="button" className="danger" onClick={() => setConfirming(true)} data-testid="live-end">
            {t('show.end')}
          </button>
        </section>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={t('show.endConfirmTitle')}
        body={
          <>
            <p>{t('show.endConfirm', { title: show.title })}</p>
            {figures ? <p>{t('live.endSummary', { gmv: formatFen(figures.paidGmvFen), paid: figures.orders.paid, reserved: figures.orders.reserved })}</p> : null}
          </>
        }
        confirmLabel={t('show.end')}
        busy={end.isPending}
        onConfirm={() => end.mutate()}
        onCancel={() => setConfirming(false)}
      />
      {figures?.asOf ? (
        <p className="muted small" data-testid="live-as-of">
          {t('live.asOf', { at: formatChinaTime(figures.asOf, lang), seq: figures.sequence })}
        </p>
      ) : null}
    </>
  );
}

/** A spotlight's refusal, said plainly: throttled, not live, not broadcasting, offline. */
function spotlightMessage(t: ReturnType<typeof useI18n>['t'], error: unknown): string {
  if (error instanceof ApiFailure) {
    if (error.status === 429 || error.code === 'RATE_LIMITED') return t('spotlight.throttled');
    if (error.code === 'SHOW_NOT_LIVE') return t('spotlight.notLive');
    if (error.code === 'SHOW_NOT_BROADCASTING') return t('spotlight.notBroadcasting');
    if (error.status === 0) return t('spotlight.offline');
  }
  return failureMessage(t, error);
}

function Broadcast({ figures }: { figures: LiveFigures | null }) {
  const { t } = useI18n();
  const b = figures?.broadcasting;
  return (
    <section className="broadcast" aria-label={t('live.broadcast')} data-testid="live-broadcast">
      <span data-testid="live-broadcasting" data-live={b ? String(b.live) : 'unknown'}>
        {b ? b.live ? <Badge tone="live">{t('live.onAir')}</Badge> : <Badge tone="warn">{t('live.offAir')}</Badge> : <Badge tone="muted">{t('live.unknown')}</Badge>}
      </span>
      <span data-testid="live-viewers">{t('live.viewers', { n: b?.viewerCount ?? '—' })}</span>
      {b?.health ? (
        <span data-testid="live-health" data-health={b.health}>
          <Badge tone={b.health === 'HEALTHY' ? 'ok' : b.health === 'STARVING' ? 'warn' : 'muted'}>{t(`live.health.${b.health}`)}</Badge>
        </span>
      ) : null}
    </section>
  );
}

function Figures({ figures, query, startedAt }: { figures: LiveFigures | null; query: ReturnType<typeof useLiveFigures>; startedAt: string | undefined }) {
  const { t } = useI18n();
  if (query.isPending) return <Loading />;
  if (query.error && !figures) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  if (!figures) {
    return (
      <section className="panel" data-testid="live-unavailable">
        <h2>{t('live.figures')}</h2>
        <p className="notice warn">{t('live.unavailable')}</p>
      </section>
    );
  }
  const o = figures.orders;
  const series = coarsen(fillMinutes(figures.perMinute, { from: figures.startedAt ?? startedAt, to: figures.endedAt ?? figures.asOf }), 30);
  const totalPaid = series.points.reduce((n, p) => n + p.paidOrders, 0);
  const peak = series.points.reduce<{ minute: string; paidOrders: number } | null>((best, p) => (p.paidOrders > (best?.paidOrders ?? 0) ? p : best), null);
  const summary = series.points.length === 0
    ? t('chart.empty')
    : t('chart.perMinuteSummary', {
        from: formatChinaClock(series.points[0]!.minute),
        to: formatChinaClock(series.points[series.points.length - 1]!.minute),
        n: totalPaid,
        bucket: series.bucketMinutes,
        peak: peak ? t('chart.peak', { at: formatChinaClock(peak.minute), n: peak.paidOrders }) : '',
      });
  return (
    <section className="panel" aria-labelledby="figures-title" data-testid="live-figures" data-sequence={figures.sequence}>
      <h2 id="figures-title">{t('live.figures')}</h2>
      {query.error ? <ErrorNotice error={query.error} onRetry={() => void query.refetch()} /> : null}
      <p className="big-figure">
        <span className="muted">{t('live.paidGmv')}</span>
        <strong data-testid="live-gmv">{formatFen(figures.paidGmvFen)}</strong>
      </p>
      <dl className="figures-inline orders" aria-label={t('live.ordersByStatus')}>
        <div>
          <dt>{t('live.orders.paid')}</dt>
          <dd data-testid="live-orders-paid">{o.paid}</dd>
        </div>
        <div>
          <dt>{t('live.orders.reserved')}</dt>
          <dd data-testid="live-orders-reserved">{o.reserved}</dd>
        </div>
        <div>
          <dt>{t('live.orders.cancelled')}</dt>
          <dd data-testid="live-orders-cancelled">{o.cancelled}</dd>
        </div>
        <div>
          <dt>{t('live.orders.expired')}</dt>
          <dd data-testid="live-orders-expired">{o.expired}</dd>
        </div>
        <div>
          <dt>{t('live.orders.refunded')}</dt>
          <dd data-testid="live-orders-refunded">{o.refunded}</dd>
        </div>
      </dl>
      <h3>{t('chart.perMinuteTitle')}</h3>
      <BarChart
        testid="live-chart"
        title={t('chart.perMinuteTitle')}
        summary={summary}
        topLabel={(top) => t('chart.ordersTop', { n: top })}
        bars={series.points.map((p) => ({ key: p.minute, label: formatChinaClock(p.minute), value: p.paidOrders, shown: t('chart.ordersGmv', { n: p.paidOrders, gmv: formatFen(p.paidGmvFen) }) }))}
      />
    </section>
  );
}

