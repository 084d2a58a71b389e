import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { call, type CreateShowBody } from '../api.js';
import { countyName, useServices } from '../app.js';
import { keys } from '../data.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { Link, navigate } from '../router.js';
import { chinaInputToIso, defaultShowStart } from '../time.js';
import { ErrorNotice, FormErrors, SelectField, TextField } from '../ui.js';
import { buildLineup, LineupEditor, lineupFields, type LineupRow } from './lineup.js';

export function ShowNewPage() {
  const { t } = useI18n();
  const { api, county, config } = useServices();
  const queryClient = useQueryClient();
  const channels = config.counties.find((c) => c.id === county)?.channels ?? [];
  const [title, setTitle] = useState('');
  const [channel, setChannel] = useState(channels[0]?.id ?? '');
  const [start, setStart] = useState(() => defaultShowStart(Date.now()));
  const [rows, setRows] = useState<LineupRow[]>([]);
  const [local, setLocal] = useState<Record<string, MessageKey>>({});
  const create = useMutation({
    mutationFn: (body: CreateShowBody) => call(api.POST('/shows', { body })),
    onSuccess: (show) => {
      queryClient.setQueryData(keys.show(show.showId, county), show);
      void queryClient.invalidateQueries({ queryKey: keys.shows(county) });
      navigate(`/shows/${encodeURIComponent(show.showId)}`);
    },
  });
  const errors = new FormErrors(local, create.error, t);
  const shown = ['title', 'channel', 'scheduledStart', ...lineupFields(rows)];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, MessageKey> = {};
    if (!title.trim()) found.title = 'form.required';
    if (!channel) found.channel = 'form.required';
    const scheduledStart = chinaInputToIso(start);
    if (!scheduledStart) found.scheduledStart = 'time.invalid';
    const built = buildLineup(rows);
    Object.assign(found, built.errors);
    setLocal(found);
    if (Object.keys(found).length > 0 || !scheduledStart) return;
    create.mutate({ countyId: county, channel, title: title.trim(), scheduledStart, lineup: built.lineup });
  };

  return (
    <>
      <p className="crumbs">
        <Link to="/">{t('nav.shows')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('page.showNew')}</h1>
      <p className="muted">{t('show.forCounty', { county: countyName(config, county) })}</p>
      <form onSubmit={submit} noValidate data-testid="show-form" className="form">
        <ErrorNotice error={errors.top(shown)} onRetry={() => create.variables && create.mutate(create.variables)} />
        {errors.any ? (
          <p className="notice error" role="alert">
            {t('form.fix')}
          </p>
        ) : null}
        <TextField id="show-title" testid="show-title" label={t('show.title')} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required error={errors.at('title')} />
        <SelectField id="show-channel" testid="show-channel" label={t('show.channel')} value={channel} onChange={(e) => setChannel(e.target.value)} required error={errors.at('channel')}>
          {channels.length === 0 ? <option value="">{t('show.noChannels')}</option> : null}
          {channels.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name ? `${c.name} (${c.id})` : c.id}
            </option>
          ))}
        </SelectField>
        <TextField
          id="show-start"
          testid="show-start"
          type="datetime-local"
          label={t('show.start')}
          hint={t('time.chinaHint')}
          value={start}
          onChange={(e) => setStart(e.target.value)}
          required
          error={errors.at('scheduledStart')}
        />
        <LineupEditor rows={rows} onChange={setRows} errors={errors} />
        <div className="actions">
          <button type="submit" className="primary" disabled={create.isPending} data-testid="show-save">
            {create.isPending ? t('state.saving') : t('show.schedule')}
          </button>
        </div>
      </form>
    </>
  );
}
