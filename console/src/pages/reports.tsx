/**
 * The period reports (`/reports`, `/reports/province`): a county's month or ISO week in China time
 * (shows, hours live, orders, GMV, paid to sellers, operations share, sellers, households reached,
 * the part of the payouts reaching registered households and certified poverty-alleviation
 * products), charts (GMV per week, the share reaching households, top products), the CSV, and a
 * page that prints on A4. The province overview adds the counties side by side. Loaded on demand.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useServices, countyName } from '../app.js';
import { BarChart, HBarChart } from '../chart.js';
import { percentOf } from '../charts.js';
import { type Translate, useI18n } from '../i18n/index.js';
import { formatFen } from '../money.js';
import { isoWeekOf, monthOf, parsePeriod, type PeriodKind, periodRange, shiftPeriod, weekDates, weeksOfMonth } from '../period.js';
import { emptyReport, fetchCountyReport, fetchProvinceReport, fetchReportCsv, formatHours, type Report, shareOfPayouts } from '../reports.js';
import { Link, navigate, useRoute } from '../router.js';
import { formatChinaTime } from '../time.js';
import { ErrorNotice, Loading } from '../ui.js';

/** Saves a Blob as a file (an object URL clicked, then revoked). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A bilingual name (`城步苗族自治县 Chengbu Miao Autonomous County`) for a chart's one-line label: the part in the page's language. */
function shortName(name: string, lang: string): string {
  const m = /^(\S*[\u3400-\u9fff]\S*)\s+([A-Za-z].*)$/.exec(name);
  return m ? (lang === 'en' ? m[2]! : m[1]!) : name;
}

const reportKey = (scope: string, period: string) => ['report', scope, period];

/** The period in the address (`?period=2026-11`), else the current month in China time. */
function usePeriod(base: string): { period: string; kind: PeriodKind; go: (period: string) => void } {
  const { query } = useRoute();
  const asked = query.get('period') ?? '';
  const p = parsePeriod(asked);
  return { period: p ? normalise(asked) : monthOf(Date.now()), kind: p?.kind ?? 'month', go: (next) => navigate(`${base}?period=${encodeURIComponent(next)}`) };
}

function normalise(key: string): string {
  const p = parsePeriod(key);
  if (!p) return key;
  return p.kind === 'month' ? `${p.year}-${String(p.month).padStart(2, '0')}` : `${p.year}-W${String(p.week).padStart(2, '0')}`;
}

/** `2026年11月` / `November 2026`; a week with its Monday and Sunday. */
export function periodLabel(t: Translate, lang: string, period: string): string {
  const p = parsePeriod(period);
  if (!p) return period;
  const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
  if (p.kind === 'month') return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(p.year, p.month - 1, 1));
  const { monday, sunday } = weekDates(period);
  const day = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return t('report.weekLabel', { year: p.year, week: p.week, from: day.format(Date.parse(monday)), to: day.format(Date.parse(sunday)) });
}

function PeriodPicker({ period, kind, go }: { period: string; kind: PeriodKind; go: (period: string) => void }) {
  const { t, lang } = useI18n();
  const now = Date.now();
  const switchTo = (next: PeriodKind) => {
    if (next === kind) return;
    const { from, to } = periodRange(period);
    // The current period of the other kind when this one holds now, else the one holding its start.
    const inside = now >= Date.parse(from) && now < Date.parse(to);
    const at = inside ? now : next === 'month' ? Date.parse(from) + 3 * 86_400_000 : Date.parse(from);
    go(next === 'month' ? monthOf(at) : isoWeekOf(at));
  };
  const nextPeriod = shiftPeriod(period, 1);
  const future = Date.parse(periodRange(nextPeriod).from) > now;
  return (
    <div className="period-picker" role="group" aria-label={t('report.period')}>
      <div className="tabs kinds no-print" role="group" aria-label={t('report.kind')}>
        <button type="button" aria-pressed={kind === 'month'} onClick={() => switchTo('month')} data-testid="report-kind-month">
          {t('report.kind.month')}
        </button>
        <button type="button" aria-pressed={kind === 'week'} onClick={() => switchTo('week')} data-testid="report-kind-week">
          {t('report.kind.week')}
        </button>
      </div>
      <div className="stepper">
        <button type="button" onClick={() => go(shiftPeriod(period, -1))} data-testid="report-prev" aria-label={t(kind === 'month' ? 'report.prevMonth' : 'report.prevWeek')}>
          ‹
        </button>
        <strong className="period-label" data-testid="report-period" data-period={period} aria-live="polite">
          {periodLabel(t, lang, period)}
        </strong>
        <button type="button" onClick={() => go(nextPeriod)} disabled={future} data-testid="report-next" aria-label={t(kind === 'month' ? 'report.nextMonth' : 'report.nextWeek')}>
          ›
        </button>
      </div>
    </div>
  );
}

function Actions({ download, filename }: { download: () => Promise<Blob>; filename: string }) {
  const { t } = useI18n();
  const [csv, setCsv] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const run = async () => {
    setCsv({ busy: true, error: null });
    try {
      saveBlob(await download(), filename);
      setCsv({ busy: false, error: null });
    } catch (error) {
      setCsv({ busy: false, error });
    }
  };
  return (
    <div className="no-print">
      <div className="actions">
        <button type="button" onClick={() => void run()} disabled={csv.busy} data-testid="report-csv">
          {csv.busy ? t('state.loading') : t('report.csv')}
        </button>
        <button type="button" onClick={() => window.print()} data-testid="report-print">
          {t('report.print')}
        </button>
      </div>
      <p className="hint">{t('report.csvHint')}</p>
      <ErrorNotice error={csv.error} onRetry={() => void run()} />
    </div>
  );
}

function Figures({ r, gmvTestid = 'report-gmv' }: { r: Report; gmvTestid?: string }) {
  const { t, lang } = useI18n();
  return (
    <section className="panel figure-block" aria-labelledby="report-figures-title">
      <h2 id="report-figures-title">{t('report.figures')}</h2>
      <dl className="figures-inline totals report-figures">
        <div>
          <dt>{t('report.gmv')}</dt>
          <dd data-testid={gmvTestid}>{formatFen(r.gmvFen)}</dd>
        </div>
        <div>
          <dt>{t('report.paidToSellers')}</dt>
          <dd data-testid="report-paid-to-sellers">{formatFen(r.paidToSellersFen)}</dd>
          <dd className="muted small">{t('report.ofGmv', { share: percentOf(r.paidToSellersFen, r.gmvFen) })}</dd>
        </div>
        <div>
          <dt>{t('report.operations')}</dt>
          <dd data-testid="report-operations">{formatFen(r.operationsFen)}</dd>
          <dd className="muted small">{t('report.ofGmv', { share: percentOf(r.operationsFen, r.gmvFen) })}</dd>
        </div>
        <div>
          <dt>{t('report.shows')}</dt>
          <dd data-testid="report-shows">{r.showsHeld}</dd>
        </div>
        <div>
          <dt>{t('report.hours')}</dt>
          <dd data-testid="report-hours">{formatHours(r.hoursLive, lang)}</dd>
        </div>
        <div>
          <dt>{t('report.orders')}</dt>
          <dd data-testid="report-orders">{r.ordersPaid}</dd>
        </div>
        <div>
          <dt>{t('report.sellers')}</dt>
          <dd data-testid="report-sellers">{r.sellers}</dd>
        </div>
        <div>
          <dt>{t('report.households')}</dt>
          <dd data-testid="report-households">{r.householdsReached}</dd>
        </div>
      </dl>
      <h3>{t('report.reaching')}</h3>
      <dl className="facts report-parts">
        <dt>{t('report.toRegistered')}</dt>
        <dd data-testid="report-registered-share" data-fen={r.toRegisteredHouseholdsFen}>
          {t('report.partOfPayouts', { amount: formatFen(r.toRegisteredHouseholdsFen), share: shareOfPayouts(r.toRegisteredHouseholdsFen, r.paidToSellersFen) })}
        </dd>
        <dt>{t('report.toCertified')}</dt>
        <dd data-testid="report-certified-share" data-fen={r.toCertifiedProductsFen}>
          {t('report.partOfPayouts', { amount: formatFen(r.toCertifiedProductsFen), share: shareOfPayouts(r.toCertifiedProductsFen, r.paidToSellersFen) })}
        </dd>
      </dl>
      <p className="muted small">{t('report.overlap')}</p>
    </section>
  );
}

function Stamp({ r }: { r: Report }) {
  const { t, lang } = useI18n();
  return (
    <p className="muted small" data-testid="report-updated">
      {t('report.range', { from: formatChinaTime(r.from, lang), to: formatChinaTime(r.to, lang) })} {t('time.china')}
      {' · '}
      {r.updatedAt ? t('report.updatedAt', { at: formatChinaTime(r.updatedAt, lang) }) : t('report.notUpdated')}
    </p>
  );
}

function HouseholdsChart({ r }: { r: Report }) {
  const { t } = useI18n();
  const bars = [
    { key: 'paid', label: t('report.paidToSellers'), value: r.paidToSellersFen, shown: formatFen(r.paidToSellersFen) },
    { key: 'registered', label: t('report.toRegisteredShort'), value: r.toRegisteredHouseholdsFen, shown: `${formatFen(r.toRegisteredHouseholdsFen)} (${shareOfPayouts(r.toRegisteredHouseholdsFen, r.paidToSellersFen)})` },
    { key: 'certified', label: t('report.toCertifiedShort'), value: r.toCertifiedProductsFen, shown: `${formatFen(r.toCertifiedProductsFen)} (${shareOfPayouts(r.toCertifiedProductsFen, r.paidToSellersFen)})` },
  ];
  return (
    <section className="panel figure-block" aria-labelledby="report-households-title">
      <h2 id="report-households-title">{t('report.chart.households')}</h2>
      <HBarChart
        testid="report-chart-households"
        title={t('report.chart.households')}
        summary={t('report.chart.householdsSummary', {
          paid: formatFen(r.paidToSellersFen),
          registered: shareOfPayouts(r.toRegisteredHouseholdsFen, r.paidToSellersFen),
          certified: shareOfPayouts(r.toCertifiedProductsFen, r.paidToSellersFen),
          households: r.householdsReached,
        })}
        bars={bars}
      />
    </section>
  );
}

function TopProducts({ r }: { r: Report }) {
  const { t, lang } = useI18n();
  const top = [...r.topProducts].sort((a, b) => b.grossFen - a.grossFen).slice(0, 10);
  return (
    <section className="panel figure-block" aria-labelledby="report-top-title">
      <h2 id="report-top-title">{t('report.chart.top')}</h2>
      {top.length === 0 ? (
        <p className="muted" data-testid="report-chart-top">
          {t('report.nothingSold')}
        </p>
      ) : (
        <HBarChart
          testid="report-chart-top"
          title={t('report.chart.top')}
          summary={t('report.chart.topSummary', { n: top.length, top: top[0]!.name, gross: formatFen(top[0]!.grossFen), share: percentOf(top[0]!.grossFen, r.gmvFen) })}
          bars={top.map((p) => ({ key: p.productId, label: shortName(p.name, lang), value: p.grossFen, shown: t('report.units', { units: p.units, gross: formatFen(p.grossFen) }) }))}
        />
      )}
    </section>
  );
}

/** GMV per ISO week: the weeks overlapping the month (4 to 6 reads), or the 4 weeks to the one shown. */
function WeeksChart({ countyId, period }: { countyId: string; period: string }) {
  const { t } = useI18n();
  const { api } = useServices();
  const p = parsePeriod(period);
  const weeks = p?.kind === 'month' ? weeksOfMonth(period) : [-3, -2, -1, 0].map((d) => shiftPeriod(period, d));
  const results = useQueries({
    queries: weeks.map((w) => ({ queryKey: reportKey(countyId, w), queryFn: () => fetchCountyReport(api, countyId, w), staleTime: 60_000 })),
  });
  const failed = results.find((r) => r.error);
  const pending = results.some((r) => r.isPending);
  const bars = weeks.map((w, i) => {
    const fen = results[i]?.data?.gmvFen ?? 0;
    return { key: w, label: `W${w.slice(-2)}`, value: fen, shown: formatFen(fen) };
  });
  const total = bars.reduce((n, b) => n + b.value, 0);
  const best = bars.reduce((a, b) => (b.value > a.value ? b : a), bars[0]!);
  return (
    <section className="panel figure-block" aria-labelledby="report-weeks-title">
      <h2 id="report-weeks-title">{t('report.chart.weeks')}</h2>
      {failed ? <ErrorNotice error={failed.error} onRetry={() => results.forEach((r) => void r.refetch())} /> : null}
      {pending ? (
        <Loading />
      ) : (
        <BarChart
          testid="report-chart-weeks"
          title={t('report.chart.weeks')}
          summary={t('report.chart.weeksSummary', { n: weeks.length, first: weeks[0]!, last: weeks[weeks.length - 1]!, total: formatFen(total), best: best.label, gmv: formatFen(best.value) })}
          topLabel={(top) => formatFen(top)}
          bars={bars}
        />
      )}
      <p className="hint">{t(p?.kind === 'month' ? 'report.chart.weeksHintMonth' : 'report.chart.weeksHintWeek')}</p>
    </section>
  );
}

/** What a county's and the province's report pages share: the heading, the period, the states of the read, the stamp and the download. */
function ReportFrame(props: {
  testid: string;
  title: string;
  periods: ReturnType<typeof usePeriod>;
  report: { isPending: boolean; error: Error | null; data: Report | null | undefined; refetch: () => unknown };
  r: Report | null;
  download: () => Promise<Blob>;
  filename: string;
  children: (r: Report) => ReactNode;
}) {
  const { t } = useI18n();
  const { report, r } = props;
  return (
    <div className="report" data-testid={props.testid}>
      <div className="page-head">
        <h1 tabIndex={-1}>{props.title}</h1>
      </div>
      <PeriodPicker {...props.periods} />
      {report.isPending ? <Loading /> : null}
      <ErrorNotice error={report.error} onRetry={() => void report.refetch()} />
      {report.data === null ? (
        <p className="notice" data-testid="report-none">
          {t('report.none')}
        </p>
      ) : null}
      {r ? (
        <>
          <Stamp r={r} />
          <Actions download={props.download} filename={props.filename} />
          {props.children(r)}
        </>
      ) : null}
    </div>
  );
}

export function CountyReportPage() {
  const { t } = useI18n();
  const { api, config, county } = useServices();
  const periods = usePeriod('/reports');
  const { period, kind } = periods;
  const report = useQuery({ queryKey: reportKey(county, period), queryFn: () => fetchCountyReport(api, county, period), staleTime: 60_000 });
  const r = report.data === undefined ? null : (report.data ?? emptyReport('county', period, kind, periodRange(period), county));
  return (
    <ReportFrame
      testid="report-county"
      title={t('report.countyTitle', { county: countyName(config, county) })}
      periods={periods}
      report={report}
      r={r}
      download={() => fetchReportCsv(api, { countyId: county }, period)}
      filename={`report-${county}-${period}.csv`}
    >
      {(r) => (
        <>
          <Figures r={r} />
          <WeeksChart countyId={county} period={period} />
          <HouseholdsChart r={r} />
          <TopProducts r={r} />
        </>
      )}
    </ReportFrame>
  );
}

export function ProvinceReportPage() {
  const { t, lang } = useI18n();
  const { api, config, operator } = useServices();
  const periods = usePeriod('/reports/province');
  const { period, kind } = periods;
  const report = useQuery({ queryKey: reportKey('province', period), queryFn: () => fetchProvinceReport(api, period), staleTime: 60_000, enabled: operator.provinceAdmin });
  if (!operator.provinceAdmin) {
    return (
      <>
        <h1 tabIndex={-1}>{t('report.provinceTitle')}</h1>
        <p className="notice">{t('report.adminOnly')}</p>
        <Link to="/reports">{t('nav.reports')}</Link>
      </>
    );
  }
  const r = report.data === undefined ? null : (report.data ?? emptyReport('province', period, kind, periodRange(period)));
  // Every county of the province, those without sales too, largest GMV first.
  const byId = new Map((r?.counties ?? []).map((c) => [c.countyId, c] as const));
  const ids = [...new Set([...config.counties.map((c) => c.id), ...byId.keys()])];
  const rows = ids
    .map((id) => byId.get(id) ?? { countyId: id, gmvFen: 0, paidToSellersFen: 0, householdsReached: 0, showsHeld: 0, ordersPaid: 0 })
    .sort((a, b) => b.gmvFen - a.gmvFen || countyName(config, a.countyId).localeCompare(countyName(config, b.countyId)));
  return (
    <ReportFrame
      testid="report-province"
      title={t('report.provinceTitle')}
      periods={periods}
      report={report}
      r={r}
      download={() => fetchReportCsv(api, 'province', period)}
      filename={`report-province-${period}.csv`}
    >
      {(r) => (
        <>
          <Figures r={r} gmvTestid="province-gmv" />
          <section className="panel figure-block" aria-labelledby="province-counties-title">
            <h2 id="province-counties-title">{t('report.counties')}</h2>
            <div className="table-wrap" role="region" tabIndex={0} aria-labelledby="province-counties-title">
              <table className="report-table" data-testid="province-counties">
                <caption className="muted">{t('report.countiesCaption', { n: rows.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('report.county')}</th>
                    <th scope="col">{t('report.gmv')}</th>
                    <th scope="col">{t('report.paidToSellers')}</th>
                    <th scope="col">{t('report.households')}</th>
                    <th scope="col">{t('report.shows')}</th>
                    <th scope="col">{t('report.orders')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((c) => (
                    <tr key={c.countyId} data-testid={`province-county-${c.countyId}`}>
                      <th scope="row">{countyName(config, c.countyId)}</th>
                      <td data-col="gmv">{formatFen(c.gmvFen)}</td>
                      <td data-col="paid">
                        {formatFen(c.paidToSellersFen)}
                      </td>
                      <td data-col="households">{c.householdsReached}</td>
                      <td data-col="shows">{c.showsHeld}</td>
                      <td data-col="orders">{c.ordersPaid}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="panel figure-block" aria-labelledby="province-chart-title">
            <h2 id="province-chart-title">{t('report.chart.counties')}</h2>
            <HBarChart
              testid="province-chart-counties"
              title={t('report.chart.counties')}
              summary={
                rows[0] && rows[0].gmvFen > 0
                  ? t('report.chart.countiesSummary', { n: rows.length, top: countyName(config, rows[0].countyId), gmv: formatFen(rows[0].gmvFen), share: percentOf(rows[0].gmvFen, r.gmvFen) })
                  : t('report.nothingSold')
              }
              bars={rows.map((c) => ({ key: c.countyId, label: shortName(countyName(config, c.countyId), lang), value: c.gmvFen, shown: formatFen(c.gmvFen) }))}
            />
          </section>
          <TopProducts r={r} />
        </>
      )}
    </ReportFrame>
  );
}

