import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { call, type LineupItem } from '../api.js';
import { useServices } from '../app.js';
import { findShow, keys, summaryOf, useProducts } from '../data.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { formatFen } from '../money.js';
import { Link } from '../router.js';
import { formatChinaTime } from '../time.js';
import { ConfirmDialog, ErrorNotice, FormErrors, Loading } from '../ui.js';
import { buildLineup, LineupEditor, lineupFields, type LineupRow, rowsOf } from './lineup.js';
import { Ingest } from './ingest.js';
import { channelLabel, StatusBadge } from './shows.js';

export function ShowDetailPage({ showId }: { showId: string }) {
  const { t, lang } = useI18n();
  const { api, county, config } = useServices();
  const queryClient = useQueryClient();
  const found = useQuery({ queryKey: keys.show(showId, county), queryFn: () => findShow(api, showId) });
  const show = { ...found, data: found.data ? summaryOf(found.data) : found.data };
  const lineup = { data: found.data?.lineup ?? null };
  const products = useProducts();
  const byId = new Map((products.data?.pages.flatMap((p) => p.products) ?? []).map((p) => [p.productId, p] as const));
  const [editing, setEditing] = useState<LineupRow[] | null>(null);
  const [local, setLocal] = useState<Record<string, MessageKey>>({});
  const [confirming, setConfirming] = useState(false);
  const [ingestOpen, setIngestOpen] = useState(false);

  const saved = (answer: Parameters<typeof summaryOf>[0]) => {
    queryClient.setQueryData(keys.show(showId, county), answer);
    void queryClient.invalidateQueries({ queryKey: keys.shows(county) });
  };
  const putLineup = useMutation({
    mutationFn: (items: LineupItem[]) => call(api.PUT('/shows/{showId}/lineup', { params: { path: { showId } }, body: { lineup: items } })),
    onSuccess: (answer) => {
      saved(answer);
      setEditing(null);
    },
  });
  const end = useMutation({
    mutationFn: () => call(api.POST('/shows/{showId}/end', { params: { path: { showId } }, body: {} })),
    onSuccess: (answer) => {
      saved(answer);
      setConfirming(false);
    },
  });
  const channelId = show.data?.channelId ?? '';

  if (found.isPending) return <Loading />;
  if (found.error) return <ErrorNotice error={found.error} onRetry={() => void found.refetch()} />;
  const s = show.data;
  if (!s) {
    return (
      <>
        <h1 tabIndex={-1}>{t('show.notFound')}</h1>
        <Link to="/">{t('nav.shows')}</Link>
      </>
    );
  }
  const channels = config.counties.find((c) => c.id === s.countyId)?.channels ?? [];
  const editable = s.status === 'SCHEDULED' || s.status === 'LIVE';
  const errors = new FormErrors(local, putLineup.error, t);
  const saveLineup = () => {
    if (!editing) return;
    const built = buildLineup(editing);
    setLocal(built.errors);
    if (Object.keys(built.errors).length === 0) putLineup.mutate(built.lineup);
  };
  return (
    <>
      <p className="crumbs">
        <Link to="/">{t('nav.shows')}</Link>
      </p>
      <div className="page-head">
        <h1 tabIndex={-1} data-testid="show-title-view">
          {s.title}
        </h1>
        <StatusBadge status={s.status} />
      </div>
      <dl className="facts">
        <dt>{t('show.start')}</dt>
        <dd>
          <time dateTime={s.scheduledStart}>{formatChinaTime(s.scheduledStart, lang)}</time> {t('time.china')}
        </dd>
        <dt>{t('show.channel')}</dt>
        <dd>{channelLabel(channels, s.channelId)}</dd>
        {s.startedAt ? (
          <>
            <dt>{t('show.startedAt')}</dt>
            <dd>{formatChinaTime(s.startedAt, lang)}</dd>
          </>
        ) : null}
        {s.endedAt ? (
          <>
            <dt>{t('show.endedAt')}</dt>
            <dd>{formatChinaTime(s.endedAt, lang)}</dd>
          </>
        ) : null}
      </dl>

      <ErrorNotice error={end.error} onRetry={() => end.mutate()} />
      <div className="actions">
        {s.status === 'SCHEDULED' ? (
          <button type="button" className="danger" onClick={() => setConfirming(true)} data-testid="show-cancel">
            {t('show.cancel')}
          </button>
        ) : null}
        {s.status === 'LIVE' ? (
          <button type="button" className="danger" onClick={() => setConfirming(true)} data-testid="show-end">
            {t('show.end')}
          </button>
        ) : null}
        {s.status === 'LIVE' ? (
          <Link to={`/shows/${encodeURIComponent(s.showId)}/live`} className="button primary" data-testid="nav-live">
            {t('nav.live')}
          </Link>
        ) : null}
        {s.status === 'ENDED' ? (
          <Link to={`/shows/${encodeURIComponent(s.showId)}/settlement`} className="button primary" data-testid="nav-settlement">
            {t('nav.settlement')}
          </Link>
        ) : null}
        {editable ? (
          <button type="button" onClick={() => setIngestOpen((o) => !o)} aria-expanded={ingestOpen} data-testid="ingest-show">
            {t('show.ingest')}
          </button>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirming}
        title={s.status === 'LIVE' ? t('show.endConfirmTitle') : t('show.cancelConfirmTitle')}
        body={<p>{s.status === 'LIVE' ? t('show.endConfirm', { title: s.title }) : t('show.cancelConfirm', { title: s.title })}</p>}
        confirmLabel={s.status === 'LIVE' ? t('show.end') : t('show.cancel')}
        busy={end.isPending}
        onConfirm={() => end.mutate()}
        onCancel={() => setConfirming(false)}
      />
      <Ingest channelId={channelId} enabled={ingestOpen && channelId !== ''} />

      <section aria-labelledby="lineup-title" className="panel">
        <div className="page-head">
          <h2 id="lineup-title">{t('lineup.title')}</h2>
          {editable && !editing ? (
            <button type="button" onClick={() => { setLocal({}); putLineup.reset(); setEditing(rowsOf(lineup.data ?? [])); }} data-testid="lineup-edit">
              {t('lineup.edit')}
            </button>
          ) : null}
        </div>
        {!editable ? <p className="muted">{t('lineup.frozen')}</p> : null}
        {editing ? (
          <form onSubmit={(e) => { e.preventDefault(); saveLineup(); }} noValidate data-testid="lineup-form" className="form">
            <ErrorNotice error={errors.top(lineupFields(editing))} onRetry={saveLineup} />
            <LineupEditor rows={editing} onChange={setEditing} errors={errors} />
            <div className="actions">
              <button type="button" onClick={() => setEditing(null)} data-testid="lineup-discard">
                {t('action.discard')}
              </button>
              <button type="submit" className="primary" disabled={putLineup.isPending} data-testid="lineup-save">
                {putLineup.isPending ? t('state.saving') : t('lineup.save')}
              </button>
            </div>
          </form>
        ) : lineup.data ? (
          lineup.data.length === 0 ? (
            <p className="muted">{t('lineup.empty')}</p>
          ) : (
            <ol className="rows compact" data-testid="lineup-view">
              {lineup.data.map((item) => {
                const p = byId.get(item.productId);
                return (
                  <li key={item.productId} className="row" data-testid={`lineup-item-${item.productId}`}>
                    <div className="row-main">
                      <span>{p?.name ?? item.productId}</span>
                      <strong>
                        {formatFen(item.showPriceFen)}
                        {p ? `/${p.unit}` : ''}
                      </strong>
                    </div>
                    {item.stockShards && item.stockShards > 1 ? <span className="muted">{t('lineup.shardsN', { n: item.stockShards })}</span> : null}
                  </li>
                );
              })}
            </ol>
          )
        ) : null}
      </section>
    </>
  );
}
