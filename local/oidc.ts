/**
 * The local identity provider's OpenID Connect endpoints, shaped like Cognito's managed login, so
 * the console runs the same sign-in code (authorization code + PKCE) offline as in the cloud:
 *
 *   GET  {issuer}/.well-known/openid-configuration   discovery
 *   GET  {issuer}/.well-known/jwks.json              the signing key
 *   GET  {issuer}/oauth2/authorize?…                 a page to pick who signs in (no passwords offline)
 *   POST {issuer}/oauth2/authorize                   the pick: 302 to redirect_uri?code=…&state=…
 *   POST {issuer}/oauth2/token                       code + code_verifier → id_token, access_token
 *   GET  {issuer}/logout?client_id&logout_uri        (Cognito) or ?post_logout_redirect_uri&id_token_hint (OIDC)
 *
 * The only client is the console (client id = the provider's audience), and it may only be sent
 * back to the province's own origin under /console/. Codes are random, single use (the first token
 * request presenting one burns it, whatever its outcome), bound to the client, the redirect URI,
 * the PKCE challenge and the nonce, and live five minutes of real time.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizers } from '../province/wiring.js';
import type { LocalIdentityProvider } from './auth.js';

export const CODE_LIFETIME_MS = 5 * 60_000;
/** ID and access tokens: one hour, as the console's app client in the cloud. */
export const TOKEN_SECONDS = 3600;

export interface OidcOptions {
  idp: LocalIdentityProvider;
  /**
   * Origins besides the province's own that the console may run on: Vite's dev server
   * (`npm run console:dev`) by default.
   */
  devOrigins?: string[];
  /** The province's counties: each has an operator to sign in as. */
  counties: readonly { id: string; name: string }[];
  /** Milliseconds of real time, for the codes' expiry (performance.now by default; tests move it). */
  now?: () => number;
}

export interface OidcAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
  scope: string;
  who: string;
  issuedAt: number;
  used: boolean;
}

/** The claims an operator's ID token carries, as local/credentials.ts issues them (without sub). */
export function operatorClaims(who: string): Record<string, unknown> {
  return who === 'admin'
    ? { email: 'admin@province.local', 'cognito:groups': [authorizers.operator.adminGroup] }
    : { email: `operator@${who}.local`, [authorizers.operator.countyClaim]: who };
}

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/; // base64url of a SHA-256
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/; // RFC 7636 §4.1

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f5f4;color:#1c1917}
main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.5rem}
h1{font-size:1.4rem;margin:0 0 .5rem}p{line-height:1.5}.en{display:block;color:#44403c;font-size:.9em}
fieldset{border:1px solid #d6d3d1;border-radius:.5rem;margin:1rem 0;padding:.75rem}legend{font-weight:600;padding:0 .25rem}
ul{list-style:none;margin:0;padding:0}li+li{margin-top:.5rem}
button{display:block;width:100%;text-align:left;font:inherit;padding:.75rem;border:1px solid #1e40af;border-radius:.375rem;background:#eff6ff;color:#1e3a8a;cursor:pointer}
button:hover,button:focus-visible{background:#dbeafe;outline:3px solid #1e40af;outline-offset:2px}
.who{display:block;font-size:.85em;color:#44403c}.error{border-left:4px solid #b91c1c;padding-left:.75rem}`;

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${STYLE}</style></head>
<body><main>
${content}
</main></body>
</html>
`;
}

/** Parameters given once each (a repeated one makes the request invalid, RFC 6749 §3.1). */
function single(params: URLSearchParams): Map<string, string> | { repeated: string } {
  const out = new Map<string, string>();
  for (const [k, v] of params) {
    if (out.has(k)) return { repeated: k };
    out.set(k, v);
  }
  return out;
}

export class LocalOidc {
  readonly issuer: string;
  readonly clientId: string;
  /** The province's own origin: the only one the console is served from. */
  readonly origin: string;
  private readonly base: string;
  /** Where the console may run: the province's origin and the dev server's. */
  private readonly origins: Set<string>;
  /** The Origin of the request being answered (CORS answers name it when it is allowed). */
  private requestOrigin: string | undefined;
  private readonly codes = new Map<string, IssuedCode>();
  private readonly subs = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly options: OidcOptions) {
    this.issuer = options.idp.issuer;
    this.clientId = options.idp.audience;
    const issuer = new URL(this.issuer);
    this.origin = issuer.origin;
    this.origins = new Set([this.origin, ...(options.devOrigins ?? ['http://127.0.0.1:5173', 'http://localhost:5173'])]);
    this.base = issuer.pathname.replace(/\/$/, '');
    this.now = options.now ?? (() => performance.now());
  }

  discovery() {
    return {
      issuer: this.issuer,
      authorization_endpoint: `${this.issuer}/oauth2/authorize`,
      token_endpoint: `${this.issuer}/oauth2/token`,
      jwks_uri: `${this.issuer}/.well-known/jwks.json`,
      end_session_endpoint: `${this.issuer}/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'email', 'profile'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['none'],
    };
  }

  /** A console address: on the province's own origin, under /console/. */
  isConsoleUri(raw: string | undefined): raw is string {
    if (!raw || ![...this.origins].some((o) => raw.startsWith(`${o}/console/`))) return false;
    try {
      const u = new URL(raw);
      return this.origins.has(u.origin) && u.pathname.startsWith('/console/') && !u.username && !u.password && !u.hash;
    } catch {
      return false;
    }
  }

  /** The answer to a request under the issuer's path, or undefined when it is none of these endpoints. */
  answer(method: string, url: URL, headers: { 'content-type'?: string }, body: string): OidcAnswer | undefined {
    const path = url.pathname.startsWith(`${this.base}/`) ? url.pathname.slice(this.base.length) : undefined;
    switch (path) {
      case '/.well-known/openid-configuration':
        return method === 'GET' || method === 'HEAD' ? this.json(200, this.discovery()) : this.notAllowed('GET');
      case '/.well-known/jwks.json':
        return method === 'GET' || method === 'HEAD' ? this.json(200, this.options.idp.jwks()) : this.notAllowed('GET');
      case '/oauth2/authorize':
        if (method === 'GET') return this.authorize(url.searchParams, undefined);
        if (method === 'POST') {
          if (!isForm(headers['content-type'])) return this.errorPage(400, '请求格式不对', 'The form must be sent as application/x-www-form-urlencoded.');
          return this.authorize(new URLSearchParams(body), 'pick');
        }
        return this.notAllowed('GET, POST');
      case '/oauth2/token':
        if (method === 'OPTIONS') return { status: 204, headers: { ...this.cors(), 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' }, body: '' };
        if (method !== 'POST') {
          const refusal = this.oauthError('invalid_request', 'the token endpoint takes POST');
          return { ...refusal, status: 405, headers: { ...refusal.headers, allow: 'POST, OPTIONS' } };
        }
        return this.token(headers['content-type'], body);
      case '/logout':
        return method === 'GET' ? this.logout(url.searchParams) : this.notAllowed('GET');
      default:
        return undefined;
    }
  }

  /** Serves a request on the province's port: true when it was one of these endpoints. */
  handle(req: IncomingMessage, url: URL, body: string, res: ServerResponse): boolean {
    this.requestOrigin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const answer = this.answer(req.method ?? 'GET', url, { 'content-type': req.headers['content-type'] }, body);
    if (!answer) return false;
    res.writeHead(answer.status, answer.headers);
    res.end(req.method === 'HEAD' ? undefined : answer.body);
    return true;
  }

  private cors() {
    const allowed = this.requestOrigin && this.origins.has(this.requestOrigin) ? this.requestOrigin : this.origin;
    return { 'access-control-allow-origin': allowed, vary: 'Origin' };
  }

  private json(status: number, body: unknown): OidcAnswer {
    return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache', ...this.cors() }, body: JSON.stringify(body) };
  }

  private oauthError(error: string, description: string): OidcAnswer {
    return this.json(400, { error, error_description: description });
  }

  private notAllowed(allow: string): OidcAnswer {
    return { status: 405, headers: { ...PAGE_HEADERS, allow }, body: page('方法不允许 · Method not allowed', `<h1>方法不允许 <span class="en" lang="en">Method not allowed: ${escapeHtml(allow)}</span></h1>`) };
  }

  private errorPage(status: number, zh: string, en: string): OidcAnswer {
    return {
      status,
      headers: PAGE_HEADERS,
      body: page('无法登录 · Cannot sign in', `<h1>无法登录 <span class="en" lang="en">Cannot sign in</span></h1>
<div class="error" role="alert"><p>${escapeHtml(zh)}<span class="en" lang="en">${escapeHtml(en)}</span></p></div>
<p>这是本地省份的身份提供者（模拟 Cognito 托管登录）。<span class="en" lang="en">This is the local province's identity provider (standing in for Cognito managed login).</span></p>`),
    };
  }

  /** GET: the page to pick who signs in; POST (`pick`): the pick, answered with the code. */
  private authorize(raw: URLSearchParams, step: 'pick' | undefined): OidcAnswer {
    const params = single(raw);
    if (!(params instanceof Map)) return this.errorPage(400, `参数 ${params.repeated} 重复。`, `The parameter ${params.repeated} is given more than once.`);
    const p = (k: string) => params.get(k);
    // who is asking and where the answer goes, before anything else: never redirect to an unchecked address
    if (p('client_id') !== this.clientId) return this.errorPage(400, `未知的应用（client_id）：${p('client_id') ?? '缺失'}。`, `Unknown client_id: ${p('client_id') ?? 'missing'} (the local console is ${this.clientId}).`);
    const redirectUri = p('redirect_uri');
    if (!this.isConsoleUri(redirectUri)) {
      return this.errorPage(400, `回调地址（redirect_uri）不被允许：${redirectUri ?? '缺失'}。`, `redirect_uri is not allowed: ${redirectUri ?? 'missing'}. It must be on ${this.origin} under /console/.`);
    }
    if (p('response_type') !== 'code') return this.errorPage(400, 'response_type 必须是 code。', 'response_type must be code (the authorization-code flow only).');
    if (p('response_mode') !== undefined && p('response_mode') !== 'query') return this.errorPage(400, 'response_mode 只能是 query。', 'response_mode must be query.');
    const scopes = (p('scope') ?? '').split(' ').filter(Boolean);
    if (!scopes.includes('openid')) return this.errorPage(400, 'scope 必须包含 openid。', 'scope must include openid.');
    const unknown = scopes.filter((s) => !['openid', 'email', 'profile'].includes(s));
    if (unknown.length) return this.errorPage(400, `不支持的 scope：${unknown.join(' ')}。`, `Unsupported scope: ${unknown.join(' ')}.`);
    if (p('code_challenge_method') !== 'S256') return this.errorPage(400, 'PKCE 必须使用 S256（code_challenge_method=S256）。', 'PKCE is required, with code_challenge_method=S256 (plain is refused).');
    const challenge = p('code_challenge');
    if (!challenge || !CHALLENGE.test(challenge)) return this.errorPage(400, 'code_challenge 缺失或格式不对。', 'code_challenge is missing or is not a base64url SHA-256 (43 characters).');
    const nonce = p('nonce');
    if (nonce !== undefined && (nonce.length === 0 || nonce.length > 512)) return this.errorPage(400, 'nonce 格式不对。', 'nonce must be 1 to 512 characters.');
    const state = p('state');

    if (step === 'pick') {
      const who = p('who');
      if (!who || !(who === 'admin' || this.options.counties.some((c) => c.id === who))) return this.errorPage(400, `无此运营者：${who ?? '未选择'}。`, `No such operator: ${who ?? 'none picked'}.`);
      this.sweep();
      const code = randomBytes(32).toString('base64url');
      this.codes.set(code, { clientId: this.clientId, redirectUri, codeChallenge: challenge, ...(nonce !== undefined ? { nonce } : {}), scope: scopes.join(' '), who, issuedAt: this.now(), used: false });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      if (state !== undefined) back.searchParams.set('state', state);
      return { status: 302, headers: { location: back.href, 'cache-control': 'no-store' }, body: '' };
    }

    const hidden = [...params].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('\n');
    const counties = this.options.counties
      .map((c) => `<li><button type="submit" name="who" value="${escapeHtml(c.id)}" data-testid="signin-${escapeHtml(c.id)}">${escapeHtml(c.name)} 运营者<span class="en" lang="en">Operator of ${escapeHtml(c.name)}</span><span class="who">operator@${escapeHtml(c.id)}.local</span></button></li>`)
      .join('\n');
    return {
      status: 200,
      headers: PAGE_HEADERS,
      body: page('选择登录身份 · Choose who signs in', `<h1>选择登录身份<span class="en" lang="en">Choose who signs in</span></h1>
<p>本地省份不需要密码：选择以谁的身份登录控制台。云端由 Cognito 托管登录（密码与 TOTP 双重验证）完成这一步。<span class="en" lang="en">The local province needs no password: choose whom to sign in to the console as. In the cloud, Cognito managed login (password and TOTP) does this step.</span></p>
<form method="post" action="${escapeHtml(`${this.base}/oauth2/authorize`)}">
${hidden}
<fieldset><legend>省管理员 <span lang="en">Province admin</span></legend>
<ul><li><button type="submit" name="who" value="admin" data-testid="signin-admin">省管理员<span class="en" lang="en">Province admin</span><span class="who">admin@province.local</span></button></li></ul>
</fieldset>
<fieldset><legend>县运营者 <span lang="en">County operators</span></legend>
<ul>
${counties}
</ul>
</fieldset>
</form>`),
    };
  }

  private token(contentType: string | undefined, body: string): OidcAnswer {
    if (!isForm(contentType)) return this.oauthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
    const params = single(new URLSearchParams(body));
    if (!(params instanceof Map)) return this.oauthError('invalid_request', `${params.repeated} is given more than once`);
    const p = (k: string) => params.get(k);
    for (const k of ['grant_type', 'code', 'redirect_uri', 'client_id', 'code_verifier']) {
      if (!p(k)) return this.oauthError('invalid_request', `${k} is missing`);
    }
    if (p('grant_type') !== 'authorization_code') return this.oauthError('unsupported_grant_type', 'only authorization_code');
    if (p('client_id') !== this.clientId) return this.oauthError('invalid_client', `unknown client_id ${p('client_id')}`);
    const code = p('code')!;
    const issued = this.codes.get(code);
    if (!issued) return this.oauthError('invalid_grant', 'the code is unknown');
    if (issued.used) return this.oauthError('invalid_grant', 'the code was already used');
    issued.used = true; // single use, whatever comes next: a wrong verifier cannot be tried again
    if (this.now() - issued.issuedAt >= CODE_LIFETIME_MS) return this.oauthError('invalid_grant', 'the code has expired');
    if (issued.clientId !== p('client_id')) return this.oauthError('invalid_grant', 'the code was issued to another client');
    if (issued.redirectUri !== p('redirect_uri')) return this.oauthError('invalid_grant', 'redirect_uri differs from the one the code was issued for');
    const verifier = p('code_verifier')!;
    if (!VERIFIER.test(verifier)) return this.oauthError('invalid_grant', 'code_verifier must be 43 to 128 unreserved characters');
    if (createHash('sha256').update(verifier).digest('base64url') !== issued.codeChallenge) return this.oauthError('invalid_grant', 'code_verifier does not match the code_challenge');

    const sub = this.subOf(issued.who);
    const authTime = Math.floor(Date.now() / 1000);
    const claims = operatorClaims(issued.who);
    const idToken = this.options.idp.issue({ sub, ...claims, aud: issued.clientId, token_use: 'id', auth_time: authTime, ...(issued.nonce !== undefined ? { nonce: issued.nonce } : {}) }, TOKEN_SECONDS);
    // Cognito's access token: no aud (client_id instead), no email or county: the API is called with the ID token
    const accessToken = this.options.idp.issue({
      sub, aud: undefined, client_id: issued.clientId, token_use: 'access', scope: issued.scope, auth_time: authTime, jti: randomUUID(),
      ...(claims['cognito:groups'] ? { 'cognito:groups': claims['cognito:groups'] } : {}),
    }, TOKEN_SECONDS);
    return this.json(200, { id_token: idToken, access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_SECONDS });
  }

  private logout(raw: URLSearchParams): OidcAnswer {
    const params = single(raw);
    if (!(params instanceof Map)) return this.errorPage(400, `参数 ${params.repeated} 重复。`, `The parameter ${params.repeated} is given more than once.`);
    const clientId = params.get('client_id');
    if (clientId !== undefined && clientId !== this.clientId) return this.errorPage(400, `未知的应用（client_id）：${clientId}。`, `Unknown client_id: ${clientId}.`);
    const target = params.get('logout_uri') ?? params.get('post_logout_redirect_uri');
    if (this.isConsoleUri(target)) {
      const back = new URL(target);
      const state = params.get('state');
      if (state !== undefined && params.has('post_logout_redirect_uri')) back.searchParams.set('state', state);
      return { status: 302, headers: { location: back.href, 'cache-control': 'no-store' }, body: '' };
    }
    return {
      status: 200,
      headers: PAGE_HEADERS,
      body: page('已退出登录 · Signed out', `<h1>已退出登录<span class="en" lang="en">Signed out</span></h1>
${target !== undefined ? `<p role="status">未跳转到给出的地址（不在本省的 /console/ 下）。<span class="en" lang="en">The address given was not followed: it is not under this province's /console/.</span></p>` : ''}
<p><a href="/console/">返回控制台<span class="en" lang="en">Back to the console</span></a></p>`),
    };
  }

  /** A stable subject per operator, for the life of the process. */
  private subOf(who: string): string {
    let sub = this.subs.get(who);
    if (!sub) this.subs.set(who, (sub = randomUUID()));
    return sub;
  }

  /** Forgets codes past their lifetime. */
  private sweep() {
    const now = this.now();
    for (const [code, c] of this.codes) if (now - c.issuedAt >= CODE_LIFETIME_MS) this.codes.delete(code);
  }
}

function isForm(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** The OIDC endpoints on the province's port: `(req, url, body, res) => answered`. */
export function localOidc(options: OidcOptions): LocalOidc {
  return new LocalOidc(options);
}
