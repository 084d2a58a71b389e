/**
 * The settlement of an ended show (`/shows/:id/settlement`): where it stands, totals, per seller
 * gross / payout / operations share, charts of sales per seller and per minute, adjustments after
 * refunds, each seller's payout status, and the statement as CSV. Loaded on demand (React.lazy).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { call, orNull, type OperatorShow, type Schemas } from '../api.js';
import { useServices } from '../app.js';
import { BarChart, HBarChart } from '../chart.js';
import { coarsen, fillMinutes, formatBps, percentOf } from '../charts.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { fetchLive } from '../live.js';
import { formatFen } from '../money.js';
import { Link } from '../router.js';
import { formatChinaClock, formatChinaTime } from '../time.js';
import { Badge, ErrorNotice, failureMessage, Loading } from '../ui.js';
import { StatusBadge } from './shows.js';
import { WithShow } from './with-show.js';

type Settlement = Schemas['Settlement'];
type Payout = Schemas['Payout'];
type PayoutStatus = Payout['status'];

const SETTLEMENT_TONE: Record<Settlement['status'], string> = { PENDING: 'info', SETTLING: 'info', SETTLED: 'ok', FAILED: 'live' };
const PAYOUT_TONE: Record<PayoutStatus, string> = { PENDING: 'info', SUBMITTED: 'info', AWAITING_CONFIRMATION: 'warn', SUCCEEDED: 'ok', FAILED: 'live' };

export function SettlementPage({ showId }: { showId: string }) {
  return <WithShow showId={showId}>{(show) => <SettlementView show={show} />}</WithShow>;
}

function SettlementView({ show }: { show: OperatorShow }) {
  const { t, lang } = useI18n();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const showId = show.showId;
  const settlement = useQuery({
    queryKey: ['settlement', showId],
    queryFn: () => orNull(call(api.GET('/shows/{showId}/settlement', { params: { path: { showId } } }))),
    staleTime: 0,
    // While it waits for the payment window or runs, look again now and then.
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'SETTLED' || q.state.data.status === 'FAILED') ? false : 15_000),
    refetchIntervalInBackground: false,
  });
  const s = settlement.data ?? null;
  const payouts = useQuery({
    queryKey: ['payouts', showId],
    queryFn: () => orNull(call(api.GET('/shows/{showId}/payouts', { params: { path: { showId } } }))),
    enabled: s?.status === 'SETTLED',
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.payouts.some((p) => p.status !== 'SUCCEEDED' && p.status !== 'FAILED') ? 15_000 : false),
    refetchIntervalInBackground: false,
  });
  // The settlement has no per-minute series: the live figures' one is used (when the province has it).
  const live = useQuery({ queryKey: ['live', showId], queryFn: () => fetchLive(api, showId), staleTime: 60_000 });
  const retry = useMutation({
    mutationFn: () => call(api.POST('/shows/{showId}/settlement/retry', { params: { path: { showId } }, body: {} })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['settlement', showId] }),
  });
  const [csv, setCsv] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const download = async () => {
    setCsv({ busy: true, error: null });
    try {
      // Fetched with the bearer token (a plain link would not carry it), saved from a Blob.
      const blob = await call(api.GET('/shows/{showId}/settlement.csv', { params: { path: { showId } }, parseAs: 'blob' }));
      const url = URL.createObjectURL(blob as unknown as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `settlement-${showId}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setCsv({ busy: false, error: null });
    } catch (error) {
      setCsv({ busy: false, error });
    }
  };

  const payoutBySeller = new Map<string, Payout>((payouts.data?.payouts ?? []).map((p) => [p.sellerId, p] as const));
  const payoutStatusOf = (sellerId: string, fallback: PayoutStatus | undefined): PayoutStatus | undefined => payoutBySeller.get(sellerId)?.status ?? fallback;

  return (
    <>
      <p className="crumbs">
        <Link to={`/shows/${encodeURIComponent(showId)}`}>{show.title}</Link>
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>{t('settlement.title', { title: show.title })}</h1>
        <StatusBadge status={show.status} />
      </div>
      {settlement.isPending ? <Loading /> : null}
      <ErrorNotice error={settlement.error} onRetry={() => void settlement.refetch()} />

      <section className="panel" aria-labelledby="stands-title">
        <h2 id="stands-title">{t('settlement.stands')}</h2>
        <p>
          <span data-testid="settlement-status" data-status={s?.status ?? 'NONE'}>
            <Badge tone={s ? SETTLEMENT_TONE[s.status] : 'muted'}>{t(s ? (`settlement.status.${s.status}` as MessageKey) : 'settlement.status.NONE')}</Badge>
          </span>{' '}
          <span className="muted">{t(s ? (`settlement.explain.${s.status}` as MessageKey) : show.status === 'ENDED' ? 'settlement.explain.NONE' : 'settlement.notEnded')}</span>
        </p>
        <dl className="facts">
          {show.endedAt ? (
            <>
              <dt>{t('show.endedAt')}</dt>
              <dd data-testid="settlement-ended-at">{formatChinaTime(show.endedAt, lang)}</dd>
            </>
          ) : null}
          {s ? (
            <>
              <dt>{t('settlement.dueAt')}</dt>
              <dd data-testid="settlement-due-at">{formatChinaTime(s.dueAt, lang)}</dd>
            </>
          ) : null}
          {s?.settledAt ? (
            <>
              <dt>{t('settlement.settledAt')}</dt>
              <dd data-testid="settlement-settled-at">{formatChinaTime(s.settledAt, lang)}</dd>
            </>
          ) : null}
        </dl>
        <p className="muted small">{t('time.china')}</p>
        {s?.status === 'FAILED' ? (
          <div className="notice error" role="alert" data-testid="settlement-failed">
            <p>{t('settlement.failed')}</p>
            {s.lastError ? (
              <p>
                <code data-testid="settlement-last-error">{s.lastError}</code>
              </p>
            ) : null}
            {retry.error ? <p>{failureMessage(t, retry.error)}</p> : null}
            <button type="button" className="primary" disabled={retry.isPending} onClick={() => retry.mutate()} data-testid="settlement-retry">
              {retry.isPending ? t('state.saving') : t('settlement.retry')}
            </button>
          </div>
        ) : null}
        {retry.isSuccess && s?.status !== 'FAILED' ? (
          <p className="notice ok" role="status">
            {t('settlement.retried')}
          </p>
        ) : null}
      </section>

      {s ? <Totals s={s} /> : null}

      {s && s.status === 'SETTLED' ? (
        <>
          <SellerCharts s={s} />
          <section className="panel" aria-labelledby="sellers-title">
            <h2 id="sellers-title">{t('settlement.sellers')}</h2>
            <ErrorNotice error={payouts.error} onRetry={() => void payouts.refetch()} />
            {s.sellers.length === 0 ? <p className="muted">{t('settlement.noSellers')}</p> : null}
            <ul className="rows">
              {s.sellers.map((x) => {
                const status = payoutStatusOf(x.sellerId, x.payoutStatus);
                const payout = payoutBySeller.get(x.sellerId);
                return (
                  <li key={x.sellerId} className="row" data-testid={`settlement-seller-${x.sellerId}`}>
                    <div className="row-main">
                      <span className="row-title">{x.name}</span>
                      <span data-testid={`settlement-payout-status-${x.sellerId}`} data-status={status ?? 'NOT_STARTED'}>
                        <Badge tone={status ? PAYOUT_TONE[status] : 'muted'}>{t(status ? (`payout.status.${status}` as MessageKey) : 'payout.status.NOT_STARTED')}</Badge>
                      </span>
                    </div>
                    <dl className="figures-inline">
                      <div>
                        <dt>{t('settlement.gross')}</dt>
                        <dd data-testid={`settlement-seller-gross-${x.sellerId}`}>{formatFen(x.grossFen)}</dd>
                      </div>
                      <div>
                        <dt>{t('settlement.payout')}</dt>
                        <dd data-testid={`settlement-seller-payout-${x.sellerId}`}>
                          {formatFen(x.payoutFen)} <span className="muted">({percentOf(x.payoutFen, x.grossFen)})</span>
                        </dd>
                      </div>
                      <div>
                        <dt>{t('settlement.operations')}</dt>
                        <dd data-testid={`settlement-seller-operations-${x.sellerId}`}>
                          {formatFen(x.operationsFen)} <span className="muted">({percentOf(x.operationsFen, x.grossFen)})</span>
                        </dd>
                      </div>
                      {x.refundedFen > 0 ? (
                        <div>
                          <dt>{t('settlement.refunded')}</dt>
                          <dd>{formatFen(x.refundedFen)}</dd>
                        </div>
                      ) : null}
                      {x.refundedFen > 0 ? (
                        <div>
                          <dt>{t('settlement.netPayout')}</dt>
                          <dd data-testid={`settlement-seller-net-${x.sellerId}`}>{formatFen(x.net.payoutFen)}</dd>
                        </div>
                      ) : null}
                    </dl>
                    {x.lines.length > 0 ? (
                      <details>
                        <summary>{t('settlement.lines', { n: x.lines.length })}</summary>
                        <ul className="lines">
                          {x.lines.map((l) => (
                            <li key={l.productId}>
                              {l.name} × {l.quantity} @ {formatFen(l.showPriceFen)} = {formatFen(l.amountFen)}
                            </li>
                          ))}
                        </ul>
                      </details>
                    ) : null}
                    {payout ? (
                      <p className="muted small" data-testid={`settlement-payee-${x.sellerId}`}>
                        {t('payout.to', { amount: formatFen(payout.amountFen), payee: payeeText(t, payout.payee) })}
                        {payout.failure ? ` · ${payout.failure}` : ''}
                      </p>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {payouts.data ? (
              <p className="muted" data-testid="settlement-paid-out">
                {t('payout.paidOut', { amount: formatFen(payouts.data.paidOutFen) })}
              </p>
            ) : null}
          </section>
        </>
      ) : null}

      <PerMinute figures={live.data ?? null} />

      {s && s.adjustments.length > 0 ? (
        <section className="panel" aria-labelledby="adjustments-title" data-testid="settlement-adjustments">
          <h2 id="adjustments-title">{t('settlement.adjustments')}</h2>
          <ul className="rows compact">
            {s.adjustments.map((a) => (
              <li key={`${a.orderId}-${a.at}`} className="row">
                <div className="row-main">
                  <span>{t('settlement.adjustmentOrder', { order: a.orderId })}</span>
                  <time className="muted" dateTime={a.at}>
                    {formatChinaTime(a.at, lang)}
                  </time>
                </div>
                {a.reversals.map((r) => (
                  <p key={r.sellerId} className="muted small">
                    {t('settlement.reversal', {
                      seller: s.sellers.find((x) => x.sellerId === r.sellerId)?.name ?? r.sellerId,
                      refund: formatFen(r.refundFen),
                      payout: formatFen(r.payoutReversalFen),
                      operations: formatFen(r.operationsReversalFen),
                    })}
                  </p>
                ))}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {s ? (
        <section className="panel" aria-labelledby="csv-title">
          <h2 id="csv-title">{t('settlement.csvTitle')}</h2>
          <p className="hint">{t('settlement.csvHint')}</p>
          <ErrorNotice error={csv.error} onRetry={() => void download()} />
          <button type="button" onClick={() => void download()} disabled={csv.busy} data-testid="settlement-csv">
            {csv.busy ? t('state.loading') : t('settlement.csv')}
          </button>
        </section>
      ) : null}
    </>
  );
}

function payeeText(t: ReturnType<typeof useI18n>['t'], payee: Payout['payee']): string {
  return payee.kind === 'wechat' ? t('payee.wechatIs', { openid: `${payee.openid}${payee.realName ? ` (${payee.realName})` : ''}` }) : t('payee.bankIs', { account: `${payee.accountName} ${payee.accountNumber}`, bank: `${payee.bank} ${payee.branch}`.trim() });
}

function Totals({ s }: { s: Settlement }) {
  const { t } = useI18n();
  const net = s.net;
  const adjusted = net && (net.grossFen !== s.grossFen || net.sellerPayoutFen !== s.sellerPayoutFen);
  return (
    <section className="panel" aria-labelledby="totals-title" data-testid="settlement-totals">
      <h2 id="totals-title">{t('settlement.totals')}</h2>
      <dl className="figures-inline totals">
        <div>
          <dt>{t('settlement.gross')}</dt>
          <dd data-testid="settlement-gross">{formatFen(s.grossFen)}</dd>
        </div>
        <div>
          <dt>{t('settlement.payout')}</dt>
          <dd data-testid="settlement-payout">{formatFen(s.sellerPayoutFen)}</dd>
          <dd className="muted small">{percentOf(s.sellerPayoutFen, s.grossFen)}</dd>
        </div>
        <div>
          <dt>{t('settlement.operations')}</dt>
          <dd data-testid="settlement-operations">{formatFen(s.operationsFen)}</dd>
          <dd className="muted small">{percentOf(s.operationsFen, s.grossFen)}</dd>
        </div>
        <div>
          <dt>{t('settlement.orders')}</dt>
          <dd data-testid="settlement-orders">{s.orderCount}</dd>
        </div>
      </dl>
      <p className="hint">{t('settlement.share', { share: formatBps(s.sellerShareBps) })}</p>
      {adjusted && net ? (
        <p data-testid="settlement-net">{t('settlement.net', { gross: formatFen(net.grossFen), payout: formatFen(net.sellerPayoutFen), operations: formatFen(net.operationsFen) })}</p>
      ) : null}
    </section>
  );
}

function SellerCharts({ s }: { s: Settlement }) {
  const { t } = useI18n();
  if (s.sellers.length === 0) return null;
  const sorted = [...s.sellers].sort((a, b) => b.grossFen - a.grossFen);
  const top = sorted[0]!;
  return (
    <section className="panel" aria-labelledby="per-seller-title">
      <h2 id="per-seller-title">{t('chart.perSellerTitle')}</h2>
      <HBarChart
        testid="settlement-chart-sellers"
        title={t('chart.perSellerTitle')}
        summary={t('chart.perSellerSummary', { n: s.sellers.length, top: top.name, gross: formatFen(top.grossFen), share: percentOf(top.grossFen, s.grossFen) })}
        bars={sorted.map((x) => ({ key: x.sellerId, label: x.name, value: x.grossFen, shown: formatFen(x.grossFen) }))}
      />
    </section>
  );
}

function PerMinute({ figures }: { figures: Awaited<ReturnType<typeof fetchLive>> }) {
  const { t } = useI18n();
  if (!figures || figures.perMinute.length === 0) return null;
  const series = coarsen(fillMinutes(figures.perMinute, { from: figures.startedAt, to: figures.endedAt }), 30);
  const total = series.points.reduce((n, p) => n + p.paidGmvFen, 0);
  return (
    <section className="panel" aria-labelledby="per-minute-title">
      <h2 id="per-minute-title">{t('chart.salesPerMinuteTitle')}</h2>
      <BarChart
        testid="settlement-chart-minutes"
        tone="info"
        title={t('chart.salesPerMinuteTitle')}
        summary={t('chart.salesPerMinuteSummary', {
          from: formatChinaClock(series.points[0]!.minute),
          to: formatChinaClock(series.points[series.points.length - 1]!.minute),
          gmv: formatFen(total),
          bucket: series.bucketMinutes,
        })}
        topLabel={(top) => formatFen(top)}
        bars={series.points.map((p) => ({ key: p.minute, label: formatChinaClock(p.minute), value: p.paidGmvFen, shown: t('chart.ordersGmv', { n: p.paidOrders, gmv: formatFen(p.paidGmvFen) }) }))}
      />
    </section>
  );
}
