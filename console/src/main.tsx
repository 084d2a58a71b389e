/**
 * Start: read config.json, finish or start the sign-in, then render the console. The bearer token
 * is the ID token of the signed-in operator; a 401 from the API forgets it and signs in again.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { UserManager } from 'oidc-client-ts';
import { type ReactNode, StrictMode, useCallback, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiFailure, createApi } from './api.js';
import { Console, ServicesProvider, type Services } from './app.js';
import { completeSignIn, createUserManager, currentUser, type Operator, operatorOf, signIn, signedOutHere, signOut } from './auth.js';
import { type ConsoleConfig, loadConfig } from './config.js';
import { I18nProvider, useI18n } from './i18n/index.js';
import { navigate, routePath } from './router.js';
import './styles.css';

type Boot =
  | { kind: 'loading' }
  | { kind: 'failed'; stage: 'config' | 'signIn'; detail: string }
  | { kind: 'signedOut'; config: ConsoleConfig; um: UserManager }
  | { kind: 'noAccess'; config: ConsoleConfig; um: UserManager }
  | { kind: 'ready'; config: ConsoleConfig; um: UserManager; operator: Operator };

const COUNTY = 'console.county';
let booting: Promise<Boot> | null = null;

async function boot(): Promise<Boot> {
  let config: ConsoleConfig;
  try {
    config = await loadConfig();
  } catch (e) {
    return { kind: 'failed', stage: 'config', detail: e instanceof Error ? e.message : String(e) };
  }
  const um = createUserManager(config);
  try {
    let user;
    if (routePath(window.location.pathname) === '/callback') {
      const done = await completeSignIn(um);
      user = done.user;
      navigate(done.returnTo, { replace: true });
    } else {
      user = await currentUser(um);
    }
    if (!user) {
      if (signedOutHere()) return { kind: 'signedOut', config, um };
      await signIn(um);
      return { kind: 'loading' }; // the browser is leaving for the sign-in page
    }
    const operator = operatorOf(user);
    if (!operator.provinceAdmin && !operator.county) return { kind: 'noAccess', config, um };
    return { kind: 'ready', config, um, operator };
  } catch (e) {
    return { kind: 'failed', stage: 'signIn', detail: e instanceof Error ? e.message : String(e) };
  }
}

function Centered({ title, children }: { title: string; children?: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  return (
    <main id="main" className="centered">
      <button type="button" className="corner" data-testid="lang-switch" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
        <span lang={lang === 'en' ? 'zh-CN' : 'en'}>{t('lang.other')}</span>
      </button>
      <h1>{title}</h1>
      {children}
    </main>
  );
}

function SignedIn({ config, um, operator }: { config: ConsoleConfig; um: UserManager; operator: Operator }) {
  const initialCounty = () => {
    if (!operator.provinceAdmin) return operator.county!;
    const kept = sessionStorage.getItem(COUNTY);
    return config.counties.some((c) => c.id === kept) ? kept! : (operator.county ?? config.counties[0]?.id ?? '');
  };
  const [county, setCountyState] = useState(initialCounty);
  const setCounty = useCallback((id: string) => {
    sessionStorage.setItem(COUNTY, id);
    setCountyState(id);
  }, []);
  const queryClient = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          // Offline, a call fails at once and the page offers to try again (rather than waiting paused).
          mutations: { networkMode: 'always' },
          queries: {
            networkMode: 'always',
            refetchOnWindowFocus: false,
            staleTime: 15_000,
            retry: (count, error) => error instanceof ApiFailure && error.retryable && error.status !== 0 && count < 2,
          },
        },
      }),
    [],
  );
  const services = useMemo<Services>(() => {
    let leaving = false;
    const api = createApi({
      baseUrl: config.apiUrl,
      token: async () => (await currentUser(um))?.id_token ?? null,
      onUnauthorized: () => {
        if (leaving) return;
        leaving = true;
        void um.removeUser().then(() => signIn(um));
      },
    });
    return { config, api, operator, county, setCounty, signOut: () => void signOut(um, config) };
  }, [config, um, operator, county, setCounty]);
  return (
    <QueryClientProvider client={queryClient}>
      <ServicesProvider value={services}>
        <Console />
      </ServicesProvider>
    </QueryClientProvider>
  );
}

function Boot() {
  const { t } = useI18n();
  const [state, setState] = useState<Boot>({ kind: 'loading' });
  const start = useCallback((again: boolean) => {
    // Once per page (StrictMode runs effects twice; a sign-in callback can be completed only once).
    if (again || !booting) booting = boot();
    setState({ kind: 'loading' });
    void booting.then(setState);
  }, []);
  useEffect(() => start(false), [start]);
  switch (state.kind) {
    case 'loading':
      return (
        <Centered title={t('app.title')}>
          <p role="status">{t('state.signingIn')}</p>
        </Centered>
      );
    case 'failed':
      return (
        <Centered title={t(state.stage === 'config' ? 'boot.configFailed' : 'boot.signInFailed')}>
          <p className="muted">{state.detail}</p>
          <button type="button" data-testid="boot-retry" onClick={() => { if (state.stage === 'signIn') navigate('/', { replace: true }); start(true); }}>
            {t('action.retry')}
          </button>
        </Centered>
      );
    case 'signedOut':
      return (
        <Centered title={t('boot.signedOut')}>
          <button type="button" data-testid="sign-in" onClick={() => void signIn(state.um, import.meta.env.BASE_URL)}>
            {t('action.signIn')}
          </button>
        </Centered>
      );
    case 'noAccess':
      return (
        <Centered title={t('boot.noAccess')}>
          <button type="button" data-testid="sign-out" onClick={() => void signOut(state.um, state.config)}>
            {t('action.signOut')}
          </button>
        </Centered>
      );
    case 'ready':
      return <SignedIn config={state.config} um={state.um} operator={state.operator} />;
  }
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <Boot />
    </I18nProvider>
  </StrictMode>,
);
