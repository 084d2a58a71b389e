/**
 * The encoder's settings for OBS or a phone encoder: the ingest server and the stream key (hidden
 * until revealed), each with a copy button. Read from the API only while shown, never cached.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../api.js';
import { useServices } from '../app.js';
import { useI18n } from '../i18n/index.js';
import { ErrorNotice, Loading } from '../ui.js';

export function Ingest({ channelId, enabled }: { channelId: string; enabled: boolean }) {
  const { t } = useI18n();
  const { api } = useServices();
  const [revealed, setRevealed] = useState(false);
  const [copied, setCopied] = useState<{ what: 'server' | 'key'; ok: boolean } | null>(null);
  const ingest = useQuery({
    queryKey: ['ingest', channelId],
    queryFn: () => call(api.GET('/channels/{channelId}/ingest', { params: { path: { channelId } } })),
    enabled,
    staleTime: 0,
    gcTime: 0,
  });
  const copy = (what: 'server' | 'key', text: string) => {
    void navigator.clipboard.writeText(text).then(
      () => setCopied({ what, ok: true }),
      () => setCopied({ what, ok: false }),
    );
  };
  if (!enabled) return null;
  return (
    <section className="panel" aria-labelledby="live-ingest-title" data-testid="ingest">
      <h2 id="live-ingest-title">{t('show.ingest')}</h2>
      {ingest.isPending ? <Loading /> : null}
      <ErrorNotice error={ingest.error} onRetry={() => void ingest.refetch()} />
      {ingest.data ? (
        <>
          <p className="notice warn">{t('show.streamKeyWarning')}</p>
          <dl className="facts">
            <dt>{t('show.ingestServer')}</dt>
            <dd>
              <code data-testid="ingest-server">{ingest.data.ingestServer}</code>{' '}
              <button type="button" onClick={() => copy('server', ingest.data.ingestServer)} data-testid="ingest-copy-server">
                {t('ingest.copyServer')}
              </button>
            </dd>
            <dt>{t('show.streamKey')}</dt>
            <dd>
              <code className="secret" data-testid="ingest-key" data-revealed={revealed ? 'true' : 'false'} aria-label={revealed ? undefined : t('ingest.hidden')}>
                {revealed ? ingest.data.streamKey : '••••••••••••'}
              </code>{' '}
              <button type="button" aria-pressed={revealed} onClick={() => setRevealed((r) => !r)} data-testid="ingest-reveal">
                {revealed ? t('ingest.hide') : t('ingest.reveal')}
              </button>{' '}
              <button type="button" onClick={() => copy('key', ingest.data.streamKey)} data-testid="ingest-copy-key">
                {t('ingest.copyKey')}
              </button>
            </dd>
          </dl>
          {copied ? (
            <p role="status" className={copied.ok ? 'ok-text' : 'warn-text'} data-testid="ingest-copied">
              {copied.ok ? t(copied.what === 'key' ? 'ingest.copiedKey' : 'ingest.copiedServer') : t('ingest.copyFailed')}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
