import { useInfiniteQuery } from '@tanstack/react-query';
import { call, type ShowStatus } from '../api.js';
import { useServices } from '../app.js';
import { keys } from '../data.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { Link, useRoute } from '../router.js';
import { formatChinaTime } from '../time.js';
import { Badge, ErrorNotice, Loading } from '../ui.js';

const TABS: { status: ShowStatus | 'ALL'; label: MessageKey }[] = [
  { status: 'ALL', label: 'shows.tab.all' },
  { status: 'SCHEDULED', label: 'shows.tab.upcoming' },
  { status: 'LIVE', label: 'shows.tab.live' },
  { status: 'ENDED', label: 'shows.tab.ended' },
  { status: 'CANCELLED', label: 'shows.tab.cancelled' },
];

const STATUS_TONE: Record<ShowStatus, string> = { SCHEDULED: 'info', LIVE: 'live', ENDED: 'muted', CANCELLED: 'warn' };

export function StatusBadge({ status }: { status: ShowStatus }) {
  const { t } = useI18n();
  return <Badge tone={STATUS_TONE[status]}>{t(`status.${status}`)}</Badge>;
}

export function channelLabel(channels: { id: string; name?: string | undefined }[], id: string): string {
  return channels.find((c) => c.id === id)?.name ?? id;
}

export function ShowsPage() {
  const { t, lang } = useI18n();
  const { api, county, config } = useServices();
  const { query } = useRoute();
  const raw = query.get('status');
  const status = TABS.some((tab) => tab.status === raw && raw !== 'ALL') ? (raw as ShowStatus) : undefined;
  const shows = useInfiniteQuery({
    queryKey: keys.shows(county, status ?? 'ALL'),
    queryFn: ({ pageParam }) =>
      call(api.GET('/county-shows', { params: { query: { countyId: county, limit: 20, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor,
  });
  const channels = config.counties.find((c) => c.id === county)?.channels ?? [];
  const rows = shows.data?.pages.flatMap((p) => p.shows) ?? [];
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>{t('page.shows')}</h1>
        <Link to="/shows/new" className="button primary" data-testid="show-new">
          {t('shows.new')}
        </Link>
      </div>
      <nav className="tabs" aria-label={t('shows.filter')}>
        {TABS.map((tab) => (
          <Link
            key={tab.status}
            to={tab.status === 'ALL' ? '/' : `/?status=${tab.status}`}
            aria-current={(status ?? 'ALL') === tab.status ? 'page' : undefined}
            data-testid={`shows-tab-${tab.status.toLowerCase()}`}
          >
            {t(tab.label)}
          </Link>
        ))}
      </nav>
      {shows.isPending ? <Loading /> : null}
      <ErrorNotice error={shows.error} onRetry={() => void shows.refetch()} />
      {shows.isSuccess && rows.length === 0 ? (
        <p className="muted" data-testid="shows-empty">
          {t('shows.empty')}
        </p>
      ) : null}
      <ul className="rows" data-testid="show-list">
        {rows.map((s) => (
          <li key={s.showId} className="row" data-testid="show-row" data-show-id={s.showId}>
            <div className="row-main">
              <Link to={`/shows/${encodeURIComponent(s.showId)}`} className="row-title">
                {s.title}
              </Link>
              <StatusBadge status={s.status} />
            </div>
            <div className="row-meta">
              <span>
                {t('shows.startsAt')} <time dateTime={s.scheduledStart}>{formatChinaTime(s.scheduledStart, lang)}</time> {t('time.china')}
              </span>
              <span>{channelLabel(channels, s.channelId)}</span>
              <span>{t('shows.lineupSize', { n: s.lineupSize })}</span>
            </div>
          </li>
        ))}
      </ul>
      {shows.hasNextPage ? (
        <button type="button" onClick={() => void shows.fetchNextPage()} disabled={shows.isFetchingNextPage} data-testid="shows-more">
          {t('action.loadMore')}
        </button>
      ) : null}
    </>
  );
}
