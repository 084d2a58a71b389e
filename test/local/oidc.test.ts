/**
 * The local identity provider's OIDC endpoints (local/oidc.ts) over real HTTP, served as the
 * province serves them on its port (under /_local/cognito), with the codes' clock in the test's
 * hands: the whole authorization-code flow with PKCE as the console walks it, then the refusals.
 */
import fc from 'fast-check';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalIdentityProvider } from '../../local/auth.js';
import { issueLocalCredentials } from '../../local/credentials.js';
import { CODE_LIFETIME_MS, LocalOidc } from '../../local/oidc.js';
import { loadProvince } from '../../province/config/index.js';

const province = loadProvince('hunan');
let server: Server;
let url: string;
let issuer: string;
let idp: LocalIdentityProvider;
let clock = 0;
const CLIENT = 'local-operators';

beforeAll(async () => {
  let oidc: LocalOidc | undefined;
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (!oidc!.handle(req, new URL(req.url ?? '/', url), body, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${url}/_local/cognito`;
  idp = new LocalIdentityProvider(issuer, CLIENT);
  oidc = new LocalOidc({ idp, counties: province.counties, now: () => clock });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function authorizeParams(challenge: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const params: Record<string, string | undefined> = {
    response_type: 'code', client_id: CLIENT, redirect_uri: `${url}/console/callback`, state: randomBytes(8).toString('hex'),
    scope: 'openid email', code_challenge: challenge, code_challenge_method: 'S256', nonce: randomBytes(8).toString('hex'), ...overrides,
  };
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** Picks `who` on the authorize page (as its form posts): the code and state from the redirect. */
async function pick(who: string, params: Record<string, string>) {
  const res = await fetch(`${issuer}/oauth2/authorize`, { method: 'POST', headers: FORM, body: form({ ...params, who }), redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  return { location, code: location.searchParams.get('code')!, state: location.searchParams.get('state') };
}

const token = (fields: Record<string, string>, headers: Record<string, string> = FORM) =>
  fetch(`${issuer}/oauth2/token`, { method: 'POST', headers: { ...headers, origin: url }, body: form(fields), redirect: 'manual' });

/** A fresh code for `who`, with the token request that redeems it. */
async function freshCode(who = 'chengbu') {
  const { verifier, challenge } = pkce();
  const params = authorizeParams(challenge);
  const { code } = await pick(who, params);
  return { grant_type: 'authorization_code', code, redirect_uri: params.redirect_uri!, client_id: CLIENT, code_verifier: verifier };
}

async function expectOAuthError(res: Response, error?: string) {
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: unknown; error_description?: unknown };
  expect(typeof body.error).toBe('string');
  if (error) expect(body.error).toBe(error);
}

describe('the local OIDC provider', () => {
  it('walks the code flow with PKCE: discovery, the pick page, the code, tokens that pass the API authorizer', async () => {
    const discovery = await fetch(`${issuer}/.well-known/openid-configuration`).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(discovery).toEqual({
      issuer,
      authorization_endpoint: `${issuer}/oauth2/authorize`,
      token_endpoint: `${issuer}/oauth2/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      end_session_endpoint: `${issuer}/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'email', 'profile'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['none'],
    });
    expect(await fetch(discovery.jwks_uri as string).then((r) => r.json())).toEqual(idp.jwks());

    const { verifier, challenge } = pkce();
    const params = authorizeParams(challenge);
    const pageRes = await fetch(`${discovery.authorization_endpoint}?${form(params)}`, { redirect: 'manual' });
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await pageRes.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('data-testid="signin-admin"');
    for (const county of province.counties) {
      expect(html).toContain(`data-testid="signin-${county.id}"`);
      expect(html).toContain(county.name);
    }
    // the form carries the request on, posting to the same endpoint
    expect(html).toMatch(/<form method="post" action="\/_local\/cognito\/oauth2\/authorize">/);
    expect(html).toContain(`name="code_challenge" value="${challenge}"`);

    const { location, code, state } = await pick('chengbu', params);
    expect(`${location.origin}${location.pathname}`).toBe(`${url}/console/callback`);
    expect(state).toBe(params.state);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: params.redirect_uri!, client_id: CLIENT, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(url);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const tokens = (await res.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = idp.verify(`Bearer ${tokens.id_token}`);
    expect(claims).toMatchObject({ 'custom:county': 'chengbu', email: 'operator@chengbu.local', nonce: params.nonce, aud: CLIENT, token_use: 'id', iss: issuer });
    expect(Number(claims!.auth_time)).toBeGreaterThan(0);
    expect(decode(tokens.access_token as string)).toMatchObject({ token_use: 'access', client_id: CLIENT, scope: 'openid email' });

    // the same subject for the same operator, every sign-in; the admin's group
    const again = await token(await freshCode('chengbu')).then((r) => r.json() as Promise<{ id_token: string }>);
    expect(decode(again.id_token).sub).toBe(claims!.sub);
    const admin = await token(await freshCode('admin')).then((r) => r.json() as Promise<{ id_token: string }>);
    expect(idp.verify(`Bearer ${admin.id_token}`)).toMatchObject({ 'cognito:groups': '[province-admin]', email: 'admin@province.local' });
    expect(decode(admin.id_token).sub).not.toBe(claims!.sub);
  });

  it('signs operators in with the claims local/credentials.ts gives them', async () => {
    const issued = await issueLocalCredentials(idp, province, url, { storefrontId: 'unused', apiKey: 'unused' });
    const only = (jwt: string) => {
      const { sub, iat, exp, nonce, auth_time, ...rest } = decode(jwt);
      return rest;
    };
    for (const who of ['admin', ...province.counties.map((c) => c.id)]) {
      const { id_token } = await token(await freshCode(who)).then((r) => r.json() as Promise<{ id_token: string }>);
      expect(only(id_token), who).toEqual(only(issued.operators[who]!));
    }
  });

  it('refuses a wrong verifier, a reused code, an expired code and another redirect_uri', async () => {
    const wrong = await freshCode();
    await expectOAuthError(await token({ ...wrong, code_verifier: pkce().verifier }), 'invalid_grant');
    // the failed attempt burnt the code: the right verifier comes too late
    await expectOAuthError(await token(wrong), 'invalid_grant');

    const once = await freshCode();
    expect((await token(once)).status).toBe(200);
    await expectOAuthError(await token(once), 'invalid_grant');

    const late = await freshCode();
    clock += CODE_LIFETIME_MS;
    await expectOAuthError(await token(late), 'invalid_grant');
    const inTime = await freshCode();
    clock += CODE_LIFETIME_MS - 1;
    expect((await token(inTime)).status).toBe(200);

    const elsewhere = await freshCode();
    await expectOAuthError(await token({ ...elsewhere, redirect_uri: `${url}/console/other` }), 'invalid_grant');
    await expectOAuthError(await token({ ...(await freshCode()), client_id: 'another-client' }), 'invalid_client');
  });

  it('at authorize, a foreign or unchecked redirect_uri, an unknown client, plain PKCE: a page, never a redirect', async () => {
    const { challenge } = pkce();
    const refusals: Record<string, Record<string, string | undefined>> = {
      'foreign origin': { redirect_uri: 'https://evil.example/console/callback' },
      'another port': { redirect_uri: `http://127.0.0.1:1/console/callback` },
      'outside /console/': { redirect_uri: `${url}/callback` },
      'escaping /console/': { redirect_uri: `${url}/console/../callback` },
      'no redirect_uri': { redirect_uri: undefined },
      'unknown client': { client_id: 'another-client' },
      'plain PKCE': { code_challenge_method: 'plain', code_challenge: pkce().verifier },
      'no PKCE': { code_challenge_method: undefined, code_challenge: undefined },
      'implicit flow': { response_type: 'token' },
      'no openid scope': { scope: 'email' },
    };
    for (const [why, overrides] of Object.entries(refusals)) {
      const params = authorizeParams(challenge, overrides);
      for (const res of [
        await fetch(`${issuer}/oauth2/authorize?${form(params)}`, { redirect: 'manual' }),
        await fetch(`${issuer}/oauth2/authorize`, { method: 'POST', headers: FORM, body: form({ ...params, who: 'chengbu' }), redirect: 'manual' }),
      ]) {
        expect(res.status, why).toBe(400);
        expect(res.headers.get('location'), why).toBeNull();
        expect(res.headers.get('content-type'), why).toMatch(/^text\/html/);
        expect(await res.text(), why).toContain('无法登录');
      }
    }
    // a county the province does not have
    const res = await fetch(`${issuer}/oauth2/authorize`, { method: 'POST', headers: FORM, body: form({ ...authorizeParams(challenge), who: 'nowhere' }), redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it("the console's dev server (npm run console:dev, Vite on :5173) may sign in too; other ports may not", async () => {
    const dev = 'http://127.0.0.1:5173';
    const { verifier, challenge } = pkce();
    const params = authorizeParams(challenge, { redirect_uri: `${dev}/console/callback` });
    const { location, code } = await pick('chengbu', params);
    expect(location.origin).toBe(dev);
    const res = await fetch(`${issuer}/oauth2/token`, { method: 'POST', headers: { ...FORM, origin: dev }, body: form({ grant_type: 'authorization_code', code, redirect_uri: params.redirect_uri!, client_id: CLIENT, code_verifier: verifier }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(dev);
    const discovery = await fetch(`${issuer}/.well-known/openid-configuration`, { headers: { origin: 'http://127.0.0.1:5174' } });
    expect(discovery.headers.get('access-control-allow-origin')).toBe(url); // not echoed for an origin the console does not run on
    const refused = await fetch(`${issuer}/oauth2/authorize?${form(authorizeParams(challenge, { redirect_uri: 'http://127.0.0.1:5174/console/callback' }))}`, { redirect: 'manual' });
    expect(refused.status).toBe(400);
  });

  it('signs out back to the console only: Cognito form and OIDC form', async () => {
    const back = `${url}/console/`;
    const cognito = await fetch(`${issuer}/logout?${form({ client_id: CLIENT, logout_uri: back })}`, { redirect: 'manual' });
    expect(cognito.status).toBe(302);
    expect(cognito.headers.get('location')).toBe(back);
    const oidc = await fetch(`${issuer}/logout?${form({ post_logout_redirect_uri: `${url}/console/signed-out`, id_token_hint: 'x', state: 's1' })}`, { redirect: 'manual' });
    expect(oidc.status).toBe(302);
    expect(oidc.headers.get('location')).toBe(`${url}/console/signed-out?state=s1`);
    for (const elsewhere of ['https://evil.example/console/', `${url}/other`]) {
      const res = await fetch(`${issuer}/logout?${form({ client_id: CLIENT, logout_uri: elsewhere })}`, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('已退出登录');
    }
  });

  it('any tampered token request is refused with 400 and an OAuth error', async () => {
    const fields = ['grant_type', 'code', 'redirect_uri', 'client_id', 'code_verifier'] as const;
    type Tamper =
      | { kind: 'drop'; field: (typeof fields)[number] }
      | { kind: 'replace'; field: (typeof fields)[number]; value: string }
      | { kind: 'append'; field: (typeof fields)[number]; value: string }
      | { kind: 'repeat'; field: (typeof fields)[number] }
      | { kind: 'content-type'; value: string }
      | { kind: 'verifier'; at: number; by: number };
    const field = fc.constantFrom(...fields);
    const tamper: fc.Arbitrary<Tamper> = fc.oneof(
      fc.record({ kind: fc.constant('drop' as const), field }),
      fc.record({ kind: fc.constant('replace' as const), field, value: fc.string({ maxLength: 60 }) }),
      fc.record({ kind: fc.constant('append' as const), field, value: fc.string({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constant('repeat' as const), field }),
      fc.record({ kind: fc.constant('content-type' as const), value: fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x', '') }),
      // a well-formed verifier, but not the one the challenge was made from (one character changed)
      fc.record({ kind: fc.constant('verifier' as const), at: fc.nat({ max: 42 }), by: fc.integer({ min: 1, max: 63 }) }),
    );
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    await fc.assert(
      fc.asyncProperty(tamper, async (t) => {
        const request: Record<string, string> = await freshCode();
        if (t.kind === 'replace' && t.value === request[t.field]) return; // not a tamper
        let body = form(request);
        let headers: Record<string, string> = FORM;
        if (t.kind === 'drop') body = form(Object.fromEntries(Object.entries(request).filter(([k]) => k !== t.field)));
        if (t.kind === 'replace') body = form({ ...request, [t.field]: t.value });
        if (t.kind === 'append') body = form({ ...request, [t.field]: request[t.field] + t.value });
        if (t.kind === 'repeat') body = `${body}&${new URLSearchParams({ [t.field]: request[t.field]! })}`;
        if (t.kind === 'content-type') headers = t.value ? { 'content-type': t.value } : {};
        if (t.kind === 'verifier') {
          const v = request.code_verifier!;
          const changed = unreserved[(unreserved.indexOf(v[t.at]!) + t.by) % unreserved.length]!;
          body = form({ ...request, code_verifier: v.slice(0, t.at) + changed + v.slice(t.at + 1) });
        }
        const res = await fetch(`${issuer}/oauth2/token`, { method: 'POST', headers, body, redirect: 'manual' });
        await expectOAuthError(res);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
    );
    // and the untampered request still works
    expect((await token(await freshCode())).status).toBe(200);
  });
});
