import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { call, type Storefront, type StorefrontKey } from '../api.js';
import { useServices } from '../app.js';
import { keys } from '../data.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { formatChinaTime } from '../time.js';
import { Badge, ConfirmDialog, ErrorNotice, FormErrors, Loading, TextField } from '../ui.js';

interface IssuedKey {
  storefrontName: string;
  keyId: string;
  apiKey: string;
}

/** A key as issued: shown this once, with a copy button. */
function KeyOnce({ issued, onDone }: { issued: IssuedKey; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(issued.apiKey).then(
      () => setCopied('yes'),
      () => setCopied('no'),
    );
  };
  return (
    <section className="panel key-once" aria-labelledby="key-once-title" data-testid="key-once">
      <h2 id="key-once-title">{t('key.issuedFor', { name: issued.storefrontName })}</h2>
      <p className="notice warn" role="alert">
        {t('key.onceWarning')}
      </p>
      <p>
        <code className="secret" data-testid="key-value">
          {issued.apiKey}
        </code>
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={copy} data-testid="key-copy">
          {t('key.copy')}
        </button>
        <button type="button" onClick={onDone} data-testid="key-dismiss">
          {t('key.stored')}
        </button>
      </div>
      {copied ? (
        <p role="status" className={copied === 'yes' ? 'ok-text' : 'warn-text'}>
          {copied === 'yes' ? t('key.copied') : t('key.copyFailed')}
        </p>
      ) : null}
    </section>
  );
}

export function StorefrontsPage() {
  const { t, lang } = useI18n();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: keys.storefronts,
    queryFn: ({ pageParam }) => call(api.GET('/storefronts', { params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor,
  });
  const storefronts = list.data?.pages.flatMap((p) => p.storefronts) ?? [];
  return (
    <>
      <h1 tabIndex={-1}>{t('page.storefronts')}</h1>
      {issued ? <KeyOnce issued={issued} onDone={() => setIssued(null)} /> : null}
      <IssueForm
        onIssued={(key) => {
          setIssued(key);
          void queryClient.invalidateQueries({ queryKey: keys.storefronts });
        }}
      />
      <h2>{t('storefront.list')}</h2>
      {list.isPending ? <Loading /> : null}
      <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      {list.isSuccess && storefronts.length === 0 ? <p className="muted">{t('storefront.none')}</p> : null}
      <ul className="rows">
        {storefronts.map((s) => (
          <li key={s.storefrontId} className="row" data-testid="storefront-row" data-storefront-id={s.storefrontId}>
            <div className="row-main">
              <strong>{s.name}</strong>
              <span>
                <Badge tone={s.status === 'ACTIVE' ? 'ok' : 'muted'}>{t(`key.status.${s.status}`)}</Badge>{' '}
                {s.merchantOfRecord ? <Badge tone="info">{t('storefront.mor')}</Badge> : null}
              </span>
            </div>
            <div className="row-meta">
              <span>{t('storefront.activeKeys', { n: s.activeKeys })}</span>
              <span>{t('storefront.rate', { n: s.rateLimitPerSecond })}</span>
              <span>{formatChinaTime(s.createdAt, lang)}</span>
            </div>
            <button type="button" onClick={() => setOpen(open === s.storefrontId ? null : s.storefrontId)} aria-expanded={open === s.storefrontId} data-testid={`storefront-keys-${s.storefrontId}`}>
              {t('storefront.keys', { name: s.name })}
            </button>
            {open === s.storefrontId ? <Keys storefront={s} onIssued={setIssued} /> : null}
          </li>
        ))}
      </ul>
      {list.hasNextPage ? (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('action.loadMore')}
        </button>
      ) : null}
    </>
  );
}

function IssueForm({ onIssued }: { onIssued: (key: IssuedKey) => void }) {
  const { t } = useI18n();
  const { api } = useServices();
  const [name, setName] = useState('');
  const [rate, setRate] = useState('');
  const [mor, setMor] = useState(false);
  const [local, setLocal] = useState<Record<string, MessageKey>>({});
  const issue = useMutation({
    mutationFn: (body: { name: string; rateLimitPerSecond?: number; merchantOfRecord: boolean }) => call(api.POST('/storefronts', { body })),
    onSuccess: (s) => {
      setName('');
      setRate('');
      setMor(false);
      onIssued({ storefrontName: s.name, keyId: s.keyId, apiKey: s.apiKey });
    },
  });
  const errors = new FormErrors(local, issue.error, t);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, MessageKey> = {};
    if (!name.trim()) found.name = 'form.required';
    const r = rate.trim();
    if (r && (!/^\d+$/.test(r) || Number(r) < 1 || Number(r) > 10000)) found.rateLimitPerSecond = 'form.outOfRange';
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    issue.mutate({ name: name.trim(), merchantOfRecord: mor, ...(r ? { rateLimitPerSecond: Number(r) } : {}) });
  };
  return (
    <section className="panel" aria-labelledby="issue-title">
      <h2 id="issue-title">{t('storefront.issue')}</h2>
      <form onSubmit={submit} noValidate className="form" data-testid="storefront-form">
        <ErrorNotice error={errors.top(['name', 'rateLimitPerSecond', 'merchantOfRecord'])} onRetry={() => issue.variables && issue.mutate(issue.variables)} />
        <TextField id="storefront-name" testid="storefront-name" label={t('storefront.name')} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required error={errors.at('name')} />
        <TextField id="storefront-rate" testid="storefront-rate" label={t('storefront.rateLabel')} hint={t('storefront.rateHint')} inputMode="numeric" placeholder="50" value={rate} onChange={(e) => setRate(e.target.value)} error={errors.at('rateLimitPerSecond')} />
        <div className="field checkbox">
          <input id="storefront-mor" type="checkbox" data-testid="storefront-mor" checked={mor} onChange={(e) => setMor(e.target.checked)} aria-describedby="storefront-mor-hint" />
          <label htmlFor="storefront-mor">{t('storefront.mor')}</label>
          <p className="hint" id="storefront-mor-hint">
            {t('storefront.morHint')}
          </p>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={issue.isPending} data-testid="storefront-issue">
            {issue.isPending ? t('state.saving') : t('storefront.issueButton')}
          </button>
        </div>
      </form>
    </section>
  );
}

function Keys({ storefront, onIssued }: { storefront: Storefront; onIssued: (key: IssuedKey) => void }) {
  const { t, lang } = useI18n();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const storefrontId = storefront.storefrontId;
  const [revoking, setRevoking] = useState<StorefrontKey | null>(null);
  const keyList = useQuery({
    queryKey: keys.keysOf(storefrontId),
    queryFn: () => call(api.GET('/storefronts/{storefrontId}/keys', { params: { path: { storefrontId } } })),
    staleTime: 0,
  });
  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: keys.keysOf(storefrontId) });
    void queryClient.invalidateQueries({ queryKey: keys.storefronts });
  };
  const rotate = useMutation({
    mutationFn: () => call(api.POST('/storefronts/{storefrontId}/keys', { params: { path: { storefrontId } }, body: {} })),
    onSuccess: (k) => {
      changed();
      onIssued({ storefrontName: storefront.name, keyId: k.keyId, apiKey: k.apiKey });
    },
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => call(api.DELETE('/storefronts/{storefrontId}/keys/{keyId}', { params: { path: { storefrontId, keyId } } })),
    onSuccess: () => {
      setRevoking(null);
      rotate.reset();
      changed();
    },
  });
  return (
    <div className="keys" data-testid={`keys-${storefrontId}`}>
      {keyList.isPending ? <Loading /> : null}
      <ErrorNotice error={keyList.error} onRetry={() => void keyList.refetch()} />
      <ErrorNotice error={rotate.error} onRetry={() => rotate.mutate()} />
      <ErrorNotice error={revoke.error} onRetry={() => revoke.variables && revoke.mutate(revoke.variables)} />
      <ul className="rows compact">
        {keyList.data?.keys.map((k) => (
          <li key={k.keyId} className="row" data-testid={`key-row-${k.keyId}`}>
            <div className="row-main">
              <code>{k.keyId}</code>
              <Badge tone={k.status === 'ACTIVE' ? 'ok' : 'muted'}>{t(`key.status.${k.status}`)}</Badge>
            </div>
            <div className="row-meta">
              <span>{t('key.created', { at: formatChinaTime(k.createdAt, lang) })}</span>
              {k.revokedAt ? <span>{t('key.revoked', { at: formatChinaTime(k.revokedAt, lang) })}</span> : null}
            </div>
            {k.status === 'ACTIVE' ? (
              <button type="button" className="danger" onClick={() => { revoke.reset(); setRevoking(k); }} data-testid={`key-revoke-${k.keyId}`}>
                {t('key.revoke')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {storefront.status === 'ACTIVE' ? (
        <button type="button" onClick={() => rotate.mutate()} disabled={rotate.isPending} data-testid={`key-rotate-${storefrontId}`}>
          {t('key.rotate')}
        </button>
      ) : null}
      <ConfirmDialog
        open={revoking !== null}
        title={t('key.revokeTitle')}
        body={<p>{t('key.revokeConfirm', { keyId: revoking?.keyId ?? '', name: storefront.name })}</p>}
        confirmLabel={t('key.revoke')}
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking.keyId)}
        onCancel={() => setRevoking(null)}
      />
    </div>
  );
}
