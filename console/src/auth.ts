/**
 * Sign-in with the authorization-code flow and PKCE (oidc-client-ts), against Cognito's managed
 * login in the cloud and the local identity provider offline: the same code path. Tokens and the
 * sign-in state live in sessionStorage (gone with the tab), never in localStorage. The API takes
 * the ID token as the bearer token (Cognito's HTTP API JWT authorizer checks its audience).
 */
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { ConsoleConfig } from './config.js';

const BASE = import.meta.env.BASE_URL; // "/console/"
const SIGNED_OUT = 'console.signedOut';

export interface Operator {
  sub: string;
  email: string;
  /** The operator's county (`custom:county`); undefined for a province admin without one. */
  county: string | undefined;
  provinceAdmin: boolean;
}

export function createUserManager(config: ConsoleConfig): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: `${origin}${BASE}callback`,
    post_logout_redirect_uri: `${origin}${BASE}`,
    response_type: 'code',
    scope: 'openid email',
    loadUserInfo: false,
    automaticSilentRenew: false,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // Cognito's discovery has no end_session_endpoint: its /logout is configured here.
    ...(config.logoutUrl ? { metadataSeed: { end_session_endpoint: config.logoutUrl } } : {}),
  });
}

/** The claims that decide what the console shows. */
export function operatorOf(user: User): Operator {
  const p = user.profile as Record<string, unknown>;
  const rawGroups = p['cognito:groups'];
  // Cognito puts an array in the token; tolerate the "[a b]" string form too.
  const groups = Array.isArray(rawGroups) ? rawGroups.map(String) : typeof rawGroups === 'string' ? rawGroups.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  const county = typeof p['custom:county'] === 'string' && p['custom:county'] ? (p['custom:county'] as string) : undefined;
  return { sub: String(p.sub ?? ''), email: typeof p.email === 'string' ? p.email : '', county, provinceAdmin: groups.includes('province-admin') };
}

/** Where to come back to after signing in: the page the operator was on. */
function here(): string {
  return window.location.pathname + window.location.search;
}

export async function signIn(um: UserManager, returnTo: string = here()): Promise<void> {
  sessionStorage.removeItem(SIGNED_OUT);
  await um.signinRedirect({ state: { returnTo: returnTo.startsWith(BASE) && !returnTo.startsWith(`${BASE}callback`) ? returnTo : BASE } });
}

/** Handles `/console/callback`: the user, and the console path to go back to. */
export async function completeSignIn(um: UserManager): Promise<{ user: User; returnTo: string }> {
  const user = await um.signinRedirectCallback();
  const state = user.state as { returnTo?: unknown } | undefined;
  const returnTo = typeof state?.returnTo === 'string' && state.returnTo.startsWith(BASE) ? state.returnTo : BASE;
  return { user, returnTo };
}

/** A valid (unexpired) user, refreshed with its refresh token when it has one; else null. */
export async function currentUser(um: UserManager): Promise<User | null> {
  const user = await um.getUser();
  if (!user) return null;
  if (!user.expired) return user;
  if (user.refresh_token) {
    try {
      return await um.signinSilent();
    } catch {
      /* fall through: sign in again */
    }
  }
  await um.removeUser();
  return null;
}

export async function signOut(um: UserManager, config: ConsoleConfig): Promise<void> {
  sessionStorage.setItem(SIGNED_OUT, '1');
  const postLogout = `${window.location.origin}${BASE}`;
  try {
    // Cognito's /logout takes client_id and logout_uri; an OIDC end_session endpoint takes
    // id_token_hint and post_logout_redirect_uri (oidc-client-ts sends those). Both are sent.
    await um.signoutRedirect({ extraQueryParams: { client_id: config.clientId, logout_uri: postLogout } });
  } catch {
    // No logout endpoint known: forget the tokens here at least.
    await um.removeUser();
    window.location.assign(postLogout);
  }
}

/** True once the operator signed out in this tab: the console then waits for a click to sign in. */
export function signedOutHere(): boolean {
  return sessionStorage.getItem(SIGNED_OUT) === '1';
}
