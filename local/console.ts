/**
 * The county console, served by the local province at /console/ as CloudFront serves it in the
 * cloud: the built files of console/dist (index.html for any page path, so deep links work), and
 * `config.json`, which tells the console where the API and the identity provider are.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Province } from '../province/config/index.js';
import { ROOT } from './lambda.js';

export const CONSOLE_DIR = join(ROOT, 'console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json',
};

/** What the console reads at start: the API's address, the identity provider, the counties and their channels. */
export function consoleConfig(province: Province, authority: string, clientId: string) {
  return {
    provinceId: province.id,
    apiUrl: '',
    authority,
    clientId,
    counties: province.counties.map((c) => ({ id: c.id, name: c.name, channels: c.channels.map((ch) => ({ id: ch.id, name: ch.name })) })),
  };
}

/** Answers a request under /console/ (true), or leaves it to the API (false). */
export function serveConsole(config: object): (req: IncomingMessage, url: URL, res: ServerResponse) => boolean {
  return (req, url, res) => {
    if (url.pathname !== '/console' && !url.pathname.startsWith('/console/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    if (url.pathname === '/console') {
      res.writeHead(301, { location: '/console/' }).end();
      return true;
    }
    const security = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };
    if (url.pathname === '/console/config.json') {
      res.writeHead(200, { 'content-type': TYPES['.json']!, 'cache-control': 'no-store', ...security }).end(JSON.stringify(config));
      return true;
    }
    if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The console is not built: npm run console:build (npm start builds it when it is missing).');
      return true;
    }
    const relative = normalize(decodeURIComponent(url.pathname.slice('/console/'.length)));
    const file = join(CONSOLE_DIST, relative);
    const inside = file.startsWith(CONSOLE_DIST + sep) && !relative.startsWith('..');
    const isFile = inside && relative !== '.' && existsSync(file) && statSync(file).isFile();
    // a page path (no file by that name) is the app's own route: index.html, never cached
    const path = isFile ? file : join(CONSOLE_DIST, 'index.html');
    const hashed = isFile && relative.startsWith(`assets${sep}`);
    res.writeHead(isFile || !extname(relative) ? 200 : 404, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...security,
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(path));
    return true;
  };
}

/** Builds the console when it has not been built (a fresh clone), printing Vite's progress. */
export async function ensureConsoleBuilt(log: (line: string) => void): Promise<void> {
  if (existsSync(join(CONSOLE_DIST, 'index.html'))) return;
  log('building the console (first start; npm run console:build does it again)…');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: CONSOLE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const line = (d: Buffer) => {
      output += String(d);
      for (const l of String(d).split('\n')) if (/built in|modules transformed|error/i.test(l)) log(`  ${l.trim()}`);
    };
    child.stdout.on('data', line);
    child.stderr.on('data', line);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the console did not build (vite exited ${code}):\n${output.slice(-2000)}`))));
  });
}
