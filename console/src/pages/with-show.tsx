import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { OperatorShow } from '../api.js';
import { useServices } from '../app.js';
import { findShow, keys } from '../data.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import { ErrorNotice, Loading } from '../ui.js';

/** A page about one show of the county: loading, failure and "no such show" once, then the page itself. */
export function WithShow({ showId, children }: { showId: string; children: (show: OperatorShow) => ReactNode }) {
  const { t } = useI18n();
  const { api, county } = useServices();
  const found = useQuery({ queryKey: keys.show(showId, county), queryFn: () => findShow(api, showId) });
  if (found.isPending) return <Loading />;
  if (found.error) return <ErrorNotice error={found.error} onRetry={() => void found.refetch()} />;
  if (!found.data) {
    return (
      <>
        <h1 tabIndex={-1}>{t('show.notFound')}</h1>
        <Link to="/">{t('nav.shows')}</Link>
      </>
    );
  }
  return <>{children(found.data)}</>;
}
