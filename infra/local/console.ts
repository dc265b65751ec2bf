import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../../shared/api/routes.ts';
import type { LocalRequest, LocalResponse, Router } from './router.ts';

/**
 * The web console (web/) at the API's origin, as `npm start` serves it: the built files of
 * `web/dist` at `/`, index.html for every console address (`/`, `/console/…`: the single-page app
 * routes itself), `/config.json` telling the console where the API is and how users sign in
 * (演示登录 locally), and a strict Content-Security-Policy with no inline scripts.
 *
 * It wraps the local router (`withConsole`): a GET/HEAD of a console path is answered here, every
 * other request goes to the router unchanged. No API route lives under these paths (checked at
 * start), so the console can never shadow one.
 */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
export const DIST_DIR = join(WEB_DIR, 'dist');

/** the console's own paths: `/`, `/console`, `/console/*`, the built assets and the runtime config */
const CONSOLE_PREFIX = '/console';
const ASSETS_PREFIX = '/assets/';
const CONFIG_PATH = '/config.json';

const clash = ROUTES.find((r) => r.path === '/' || r.path === CONFIG_PATH || r.path.startsWith(CONSOLE_PREFIX) || r.path.startsWith(ASSETS_PREFIX));
if (clash) throw new Error(`API route ${clash.method} ${clash.path} collides with the console's paths`);

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  wasm: 'application/wasm',
  txt: 'text/plain; charset=utf-8',
  map: 'application/json; charset=utf-8',
};

export interface ConsoleOptions {
  /** the built console (default web/dist) */
  distDir?: string | undefined;
  /** S3 endpoint the browser uploads to and plays from (CSP connect-src / media-src); a function when known only later */
  s3Origin?: string | (() => string | undefined) | undefined;
  /** shown in the console's header */
  environmentLabel?: string | undefined;
}

/**
 * No inline or foreign scripts (`script-src 'self'`; 'wasm-unsafe-eval' compiles WebAssembly and nothing else), nothing may frame the console, no plugins.
 * Styles allow 'unsafe-inline' because Ant Design writes its component styles into <style>
 * elements at run time (CSS-in-JS); a nonce is impossible for files served from static hosting.
 */
export const consoleCsp = (s3Origin?: string) => {
  const s3 = s3Origin ? [new URL(s3Origin).origin] : [];
  return consoleCspWith({ connect: s3, media: s3 });
};

/**
 * The same policy with the origins the console may also fetch from (`connect`: the API, the bucket,
 * the identity provider) and play media from (`media`: the bucket), given as origins already (they
 * may be CDK tokens: the AWS security-headers policy, infra/aws/console-hosting.ts, uses this too).
 */
export const consoleCspWith = (o: { connect?: readonly string[]; media?: readonly string[] }) => {
  const more = (list: readonly string[] | undefined) => (list ?? []).map((x) => ` ${x}`).join('');
  return [
    "default-src 'self'",
    // WebAssembly only (the SHA-256/SM3 hashing of uploads, web/src/upload/): no eval of JavaScript
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${more(o.connect)}`,
    `media-src 'self' blob:${more(o.media)}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
};

export const securityHeaders = (csp: string): Record<string, string> => ({
  'content-security-policy': csp,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
});

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>执法档案平台</title></head>
<body><h1>控制台尚未构建</h1><p>请在项目根目录运行 <code>npm --prefix web run build</code> 后刷新本页。API 仍可使用：<a href="/docs/">接口文档</a>。</p></body></html>`;

/** The files of the built console by URL path (`/assets/index-abc.js`), re-read when index.html changes. */
const distFiles = (distDir: string) => {
  let stamp = -1;
  let files = new Map<string, string>();
  const list = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      // dot entries (the build manifest in .vite/) are build bookkeeping, not part of the site
      .filter((d) => !d.name.startsWith('.'))
      .flatMap((d) => (d.isDirectory() ? list(join(dir, d.name)) : [join(dir, d.name)]));
  return () => {
    const index = join(distDir, 'index.html');
    const m = existsSync(index) ? statSync(index).mtimeMs : 0;
    if (m !== stamp) {
      stamp = m;
      files = m ? new Map(list(distDir).map((f) => [`/${relative(distDir, f).split(sep).join('/')}`, f])) : new Map();
    }
    return files;
  };
};

export type ConsoleHandler = (req: Pick<LocalRequest, 'method' | 'url'>) => LocalResponse | undefined;

export const createConsoleHandler = (opts: ConsoleOptions = {}): ConsoleHandler => {
  const files = distFiles(opts.distDir ?? DIST_DIR);
  const s3Origin = typeof opts.s3Origin === 'function' ? opts.s3Origin : () => opts.s3Origin as string | undefined;
  let csp: { for: string | undefined; headers: Record<string, string> } | undefined;
  const headersNow = () => {
    const origin = s3Origin();
    if (!csp || csp.for !== origin) csp = { for: origin, headers: securityHeaders(consoleCsp(origin)) };
    return csp.headers;
  };
  const config = JSON.stringify({ apiBaseUrl: '', auth: { kind: 'localDemo' }, environmentLabel: opts.environmentLabel ?? '本机演示环境' });
  const respond = (status: number, body: Buffer | string, type: string, cache: string): LocalResponse => ({
    status,
    headers: { ...headersNow(), 'content-type': type, 'cache-control': cache },
    cookies: [],
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
  });
  return (req) => {
    const method = req.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const path = req.url.split('?')[0] ?? '/';
    if (path === CONFIG_PATH) return respond(200, config, CONTENT_TYPES.json!, 'no-store');
    const known = files();
    const file = known.get(path);
    if (file && path !== '/index.html') {
      const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
      // hashed build output never changes under its name; anything else is revalidated
      const cache = path.startsWith(ASSETS_PREFIX) ? 'public, max-age=31536000, immutable' : 'no-cache';
      return respond(200, readFileSync(file), CONTENT_TYPES[ext] ?? 'application/octet-stream', cache);
    }
    if (path === '/' || path === CONSOLE_PREFIX || path.startsWith(`${CONSOLE_PREFIX}/`) || path === '/index.html') {
      const index = known.get('/index.html');
      return index ? respond(200, readFileSync(index), CONTENT_TYPES.html!, 'no-cache') : respond(503, NOT_BUILT, CONTENT_TYPES.html!, 'no-store');
    }
    return undefined;
  };
};

/** The router with the console in front of it (same `dispatch` / `listener` shape). */
export const withConsole = (router: Router, opts: ConsoleOptions = {}): Router => {
  const serve = createConsoleHandler(opts);
  const write = (req: IncomingMessage, res: ServerResponse, r: LocalResponse) => {
    res.writeHead(r.status, { ...r.headers, 'content-length': String(r.body.length) });
    res.end(req.method === 'HEAD' ? undefined : r.body);
  };
  return {
    dispatch: async (req, dopts) => serve(req) ?? router.dispatch(req, dopts),
    listener: (req, res) => {
      const r = serve({ method: req.method ?? 'GET', url: req.url ?? '/' });
      if (r) {
        req.resume();
        return write(req, res, r);
      }
      return router.listener(req, res);
    },
  };
};

// ---- build if needed (npm start) ------------------------------------------------------------

const newestMtime = (path: string): number => {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), s.mtimeMs);
};

/** Why the console must be (re)built, or undefined when web/dist is up to date with web/src. */
export const consoleBuildNeeded = (webDir = WEB_DIR): string | undefined => {
  const index = join(webDir, 'dist', 'index.html');
  if (!existsSync(index)) return '尚未构建';
  const built = statSync(index).mtimeMs;
  const inputs = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) => newestMtime(join(webDir, p)));
  return Math.max(...inputs) > built ? '源文件已更新' : undefined;
};

/** Runs `npm run build` in web/ with this Node first on PATH; resolves when it succeeded. */
export const buildConsole = (webDir = WEB_DIR, log: (line: string) => void = () => {}): Promise<void> =>
  new Promise((resolve, reject) => {
    const env = { ...process.env, PATH: `${dirname(process.execPath)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}` };
    const child = spawn('npm', ['run', 'build', '--silent'], { cwd: webDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: string[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => out.push(c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) return resolve();
      log(out.join('').slice(-4000));
      reject(new Error(`控制台构建失败（npm run build 退出码 ${code}）`));
    });
  });
