import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { call, type paths, type Seller } from '../api.js';
import { countyName, useServices } from '../app.js';
import { keys } from '../data.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { Link, navigate } from '../router.js';
import { ErrorNotice, FormErrors, Loading, SelectField, TextField } from '../ui.js';

type PayeeBody = NonNullable<paths['/sellers/{sellerId}/payee']['put']['requestBody']>['content']['application/json'];
const KINDS: Seller['kind'][] = ['farmer', 'cooperative', 'enterprise'];

export function SellerPage({ sellerId }: { sellerId?: string }) {
  const { t } = useI18n();
  const { api } = useServices();
  const seller = useQuery({
    queryKey: keys.seller(sellerId ?? ''),
    queryFn: () => call(api.GET('/sellers/{sellerId}', { params: { path: { sellerId: sellerId! } } })),
    enabled: sellerId !== undefined,
    staleTime: 0,
  });
  return (
    <>
      <p className="crumbs">
        <Link to="/catalog">{t('nav.catalog')}</Link>
      </p>
      <h1 tabIndex={-1}>{sellerId ? t('page.sellerEdit') : t('page.sellerNew')}</h1>
      {sellerId === undefined ? (
        <SellerForm />
      ) : seller.isPending ? (
        <Loading />
      ) : seller.error ? (
        <ErrorNotice error={seller.error} onRetry={() => void seller.refetch()} />
      ) : (
        <>
          {/* A new version (saved, or reloaded after a conflict) starts the form again from it. */}
          <SellerForm key={seller.data.version} seller={seller.data} reload={() => void seller.refetch()} />
          <PayeeForm seller={seller.data} />
        </>
      )}
    </>
  );
}

function SellerForm({ seller, reload }: { seller?: Seller; reload?: () => void }) {
  const { t } = useI18n();
  const { api, county, config } = useServices();
  const queryClient = useQueryClient();
  const [name, setName] = useState(seller?.name ?? '');
  const [kind, setKind] = useState<Seller['kind']>(seller?.kind ?? 'farmer');
  const [contact, setContact] = useState(seller?.contact ?? '');
  const [local, setLocal] = useState<Record<string, MessageKey>>({});
  const save = useMutation({
    mutationFn: async (): Promise<Seller> => {
      if (seller) {
        return call(api.PATCH('/sellers/{sellerId}', { params: { path: { sellerId: seller.sellerId } }, body: { version: seller.version, name: name.trim(), contact: contact.trim() || null } }));
      }
      return call(api.POST('/sellers', { body: { countyId: county, name: name.trim(), kind, ...(contact.trim() ? { contact: contact.trim() } : {}) } }));
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.seller(saved.sellerId), saved);
      void queryClient.invalidateQueries({ queryKey: keys.sellers(saved.countyId) });
      if (!seller) navigate('/catalog');
    },
  });
  const errors = new FormErrors(local, save.error, t);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, MessageKey> = {};
    if (!name.trim()) found.name = 'form.required';
    setLocal(found);
    if (Object.keys(found).length === 0) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="form" data-testid="seller-form">
      {!seller ? <p className="muted">{t('seller.forCounty', { county: countyName(config, county) })}</p> : null}
      <ErrorNotice error={errors.top(['name', 'kind', 'contact'])} onRetry={() => save.mutate()} onReload={reload} />
      {save.isSuccess && seller ? (
        <p className="notice ok" role="status">
          {t('state.saved')}
        </p>
      ) : null}
      <TextField id="seller-name" testid="seller-name" label={t('seller.name')} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required error={errors.at('name')} />
      <SelectField
        id="seller-kind"
        testid="seller-kind"
        label={t('seller.kind')}
        value={kind}
        onChange={(e) => setKind(e.target.value as Seller['kind'])}
        disabled={seller !== undefined}
        hint={seller ? t('seller.kindFixed') : undefined}
        error={errors.at('kind')}
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`seller.kind.${k}`)}
          </option>
        ))}
      </SelectField>
      <TextField id="seller-contact" testid="seller-contact" label={t('seller.contact')} value={contact} onChange={(e) => setContact(e.target.value)} maxLength={100} autoComplete="off" error={errors.at('contact')} />
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending} data-testid="seller-save">
          {save.isPending ? t('state.saving') : t('action.save')}
        </button>
      </div>
    </form>
  );
}

function PayeeForm({ seller }: { seller: Seller }) {
  const { t } = useI18n();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<'wechat' | 'bank'>(seller.payee?.kind ?? (seller.kind === 'farmer' ? 'wechat' : 'bank'));
  const [v, setV] = useState({ openid: '', realName: '', accountName: '', accountNumber: '', bank: '', branch: '' });
  const [local, setLocal] = useState<Record<string, MessageKey>>({});
  const put = useMutation({
    mutationFn: (body: PayeeBody) => call(api.PUT('/sellers/{sellerId}/payee', { params: { path: { sellerId: seller.sellerId } }, body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.seller(saved.sellerId), saved);
      setV({ openid: '', realName: '', accountName: '', accountNumber: '', bank: '', branch: '' });
    },
  });
  const errors = new FormErrors(local, put.error, t);
  const fields = kind === 'wechat' ? (['openid', 'realName'] as const) : (['accountName', 'accountNumber', 'bank', 'branch'] as const);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, MessageKey> = {};
    for (const f of fields) if (f !== 'realName' && !v[f].trim()) found[f] = 'form.required';
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    put.mutate(
      kind === 'wechat'
        ? { kind, openid: v.openid.trim(), ...(v.realName.trim() ? { realName: v.realName.trim() } : {}) }
        : { kind, accountName: v.accountName.trim(), accountNumber: v.accountNumber.trim(), bank: v.bank.trim(), branch: v.branch.trim() },
    );
  };
  const p = seller.payee;
  return (
    <section className="panel" aria-labelledby="payee-title">
      <h2 id="payee-title">{t('payee.title')}</h2>
      <p data-testid="payee-current">
        {!p ? t('payee.none') : p.kind === 'wechat' ? t('payee.wechatIs', { openid: p.openid }) : t('payee.bankIs', { account: p.accountNumber, bank: p.bank })}
      </p>
      <form onSubmit={submit} noValidate className="form" data-testid="payee-form">
        <ErrorNotice error={errors.top(fields.map(String))} onRetry={() => put.variables && put.mutate(put.variables)} />
        {put.isSuccess ? (
          <p className="notice ok" role="status">
            {t('state.saved')}
          </p>
        ) : null}
        <SelectField id="payee-kind" testid="payee-kind" label={t('payee.kind')} value={kind} onChange={(e) => setKind(e.target.value as 'wechat' | 'bank')}>
          <option value="wechat">{t('payee.kind.wechat')}</option>
          <option value="bank">{t('payee.kind.bank')}</option>
        </SelectField>
        {fields.map((f) => (
          <TextField key={f} id={`payee-${f}`} testid={`payee-${f}`} label={t(`payee.${f}`)} value={v[f]} onChange={(e) => setV({ ...v, [f]: e.target.value })} autoComplete="off" error={errors.at(f)} />
        ))}
        <div className="actions">
          <button type="submit" disabled={put.isPending} data-testid="payee-save">
            {t('payee.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
