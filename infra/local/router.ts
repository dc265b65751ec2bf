import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { ROLE_LABELS } from '../../shared/access/principal.ts';
import { ROUTES } from '../../shared/api/routes.ts';
import { type RouteContract, type RouteGroup, routeKey } from '../../shared/http/contract.ts';
import { internalProblem, PROBLEM_CONTENT_TYPE, problemFor, type Problem } from '../../shared/http/problem.ts';
import { newId } from '../../shared/kernel/ids.ts';
import { LOOPBACK, type LocalLog, silentLog } from './net.ts';
import { type Claims, type DemoUserRecord, TOKEN_LIFETIME_SECONDS, type TokenIssuer, tokenErrorDetail } from './tokens.ts';

/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0, JWT authorizer): it matches
 * method + path against ROUTES (shared/api/routes.ts), rejects auth routes without a valid
 * bearer token before any function runs (401 problem+json, as the authorizer would), builds an
 * APIGatewayProxyEventV2WithJWTAuthorizer and calls the `handler` of `functions/http/<group>.ts`
 * — the same module Lambda runs. Handler modules are imported lazily, on the first request of
 * their group, so the router works while they are still being written (503 until one exists).
 *
 * The same `dispatch` serves the node:http server (`npm start`) and in-process calls from tests
 * (test/support/platform.ts `callRoute`), so both see identical events.
 *
 * Local-only extras (never in AWS): `POST /local/token`, `GET /local/users`, the issuer's JWKS at
 * `/.well-known/jwks.json`, and the interactive API reference at `/docs` (swagger-ui-dist).
 */

/** API Gateway HTTP APIs accept request bodies up to 10 MB. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout for HTTP APIs. */
export const INTEGRATION_TIMEOUT_MS = 30_000;

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<unknown>;
/** Resolves the handler of a route group; undefined when its module does not exist yet. */
export type HandlerLoader = (group: RouteGroup) => Promise<HttpHandler | undefined>;

export interface LocalRequest {
  method: string;
  /** path with optional query string, still URL-encoded, e.g. `/officers/01J…/file?x=1` */
  url: string;
  headers?: Record<string, string | string[] | undefined> | undefined;
  body?: Buffer | string | undefined;
  sourceIp?: string | undefined;
}

export interface LocalResponse {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

export interface RouterOptions {
  /** verifies the bearer token (issuer, audience, signature, exp/nbf/iat: infra/local/tokens.ts) */
  issuer: Pick<TokenIssuer, 'verify'> & Partial<TokenIssuer>;
  /** demo users for `/local/users` and `/local/token` (re-read on every call) */
  users?: (() => DemoUserRecord[]) | undefined;
  loadHandler?: HandlerLoader | undefined;
  /** requests wait for this before reaching a handler (the platform is still starting) */
  ready?: Promise<unknown> | undefined;
  log?: LocalLog | undefined;
  /** one line per request (method, path, status, duration) */
  accessLog?: boolean | undefined;
  handlerTimeoutMs?: number | undefined;
  /** serve the local-only routes (/local/*, JWKS, /docs); default true */
  localRoutes?: boolean | undefined;
}

export interface DispatchOptions {
  /** tests: skip token verification and pass these claims to auth routes */
  claims?: Claims | undefined;
}

export interface Router {
  dispatch(req: LocalRequest, opts?: DispatchOptions): Promise<LocalResponse>;
  /** node:http request listener around dispatch (body cap, streaming the answer) */
  listener(req: IncomingMessage, res: ServerResponse): void;
}

// ---- route matching ---------------------------------------------------------------------------

interface CompiledRoute {
  contract: RouteContract;
  segments: { literal?: string; param?: string }[];
}

const compile = (c: RouteContract): CompiledRoute => ({
  contract: c,
  segments: c.path
    .split('/')
    .slice(1)
    .map((s) => {
      const m = /^\{([A-Za-z0-9_]+)\}$/.exec(s);
      return m ? { param: m[1] } : { literal: s };
    }),
});

const COMPILED = ROUTES.map(compile);

/** API Gateway prefers the most specific route: a literal segment beats a parameter at the first difference. */
const moreSpecific = (a: CompiledRoute, b: CompiledRoute) => {
  for (let i = 0; i < a.segments.length; i++) {
    const la = a.segments[i]?.literal !== undefined;
    const lb = b.segments[i]?.literal !== undefined;
    if (la !== lb) return la ? -1 : 1;
  }
  return 0;
};

export class MalformedPathError extends Error {}

export interface RouteMatch {
  contract: RouteContract;
  /** decoded path parameters */
  params: Record<string, string>;
}

/** Matches a raw (still encoded) path against ROUTES; undefined = no such route for this method. */
export const matchRoute = (method: string, rawPath: string): RouteMatch | undefined => {
  const parts = rawPath.split('/').slice(1);
  const candidates = COMPILED.filter(
    (r) =>
      r.contract.method === method.toUpperCase() && r.segments.length === parts.length && r.segments.every((s, i) => (s.literal !== undefined ? s.literal === parts[i] : (parts[i] ?? '').length > 0)),
  ).sort(moreSpecific);
  const best = candidates[0];
  if (!best) return undefined;
  const params: Record<string, string> = {};
  best.segments.forEach((s, i) => {
    if (s.param === undefined) return;
    try {
      params[s.param] = decodeURIComponent(parts[i] ?? '');
    } catch {
      throw new MalformedPathError(`malformed percent-encoding in path segment ${i + 1}`);
    }
  });
  return { contract: best.contract, params };
};

// ---- handler modules ------------------------------------------------------------------------

const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions/', import.meta.url));

/** The module file that serves a route group: functions/http/<group>.ts. */
export const handlerFile = (group: RouteGroup) => join(FUNCTIONS_DIR, 'http', `${group}.ts`);

/**
 * Default loader: dynamic import of functions/http/<group>.ts by file URL (no static import, so
 * type-checking and start-up do not depend on modules that are not written yet). Successful
 * imports are cached; a missing module is looked for again on the next request.
 */
export const createHandlerLoader = (): HandlerLoader => {
  const cache = new Map<RouteGroup, HttpHandler>();
  return async (group) => {
    const hit = cache.get(group);
    if (hit) return hit;
    const file = handlerFile(group);
    if (!existsSync(file)) return undefined;
    const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown };
    if (typeof mod.handler !== 'function') throw new Error(`${file} does not export a handler function`);
    const h = mod.handler as HttpHandler;
    cache.set(group, h);
    return h;
  };
};

// ---- event building ---------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');
/** API Gateway's `requestContext.time`, e.g. `12/Mar/2020:19:03:58 +0000`. */
const clfTime = (d: Date) => `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;

/** Content types API Gateway passes as text; everything else arrives base64-encoded. */
const isTextual = (contentType: string | undefined) =>
  !!contentType && /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql)\b|application\/[a-z0-9.+-]+\+(json|xml)\b)/i.test(contentType.trim());

const normaliseHeaders = (h: LocalRequest['headers']) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    if (v === undefined) continue;
    const key = k.toLowerCase();
    const value = Array.isArray(v) ? v.join(key === 'cookie' ? '; ' : ',') : String(v);
    out[key] = out[key] !== undefined ? `${out[key]},${value}` : value;
  }
  return out;
};

/** JWT payload → authorizer claims (string, number, boolean or string[] values only). */
const toClaims = (payload: Record<string, unknown>): Claims => {
  const out: Claims = {};
  for (const [k, v] of Object.entries(payload)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String);
    else if (v !== null && v !== undefined) out[k] = JSON.stringify(v);
  }
  return out;
};

export interface BuiltEvent {
  event: HttpEvent;
  requestId: string;
}

export const buildEvent = (req: LocalRequest, match: RouteMatch, claims: Claims | undefined, now = new Date()): BuiltEvent => {
  const requestId = newId();
  const q = req.url.indexOf('?');
  const rawPath = q === -1 ? req.url : req.url.slice(0, q);
  const rawQueryString = q === -1 ? '' : req.url.slice(q + 1);
  const headers = normaliseHeaders(req.headers);
  const cookies = headers.cookie ? headers.cookie.split(/;\s*/).filter(Boolean) : undefined;
  delete headers.cookie;
  const sourceIp = req.sourceIp ?? LOOPBACK;
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString) {
    queryStringParameters = {};
    for (const [k, v] of new URLSearchParams(rawQueryString)) {
      queryStringParameters[k] = queryStringParameters[k] !== undefined ? `${queryStringParameters[k]},${v}` : v;
    }
  }

  let body: string | undefined;
  let isBase64Encoded = false;
  const raw = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  if (raw && raw.length > 0) {
    if (isTextual(headers['content-type'])) body = raw.toString('utf8');
    else {
      body = raw.toString('base64');
      isBase64Encoded = true;
    }
  }

  const host = headers.host ?? LOOPBACK;
  const event = {
    version: '2.0',
    routeKey: routeKey(match.contract),
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: req.method.toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: routeKey(match.contract),
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
      // the real authorizer only adds this block on routes that have the JWT authorizer
      ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: null } } } : {}),
    },
    ...(Object.keys(match.params).length ? { pathParameters: match.params } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded,
  } as HttpEvent;
  return { event, requestId };
};

const lambdaContext = (group: RouteGroup, requestId: string, timeoutMs: number): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `local-http-${group}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `local:function:http-${group}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/local/http-${group}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};

// ---- responses --------------------------------------------------------------------------------

const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): LocalResponse => ({
  status,
  headers: { 'content-type': contentType, 'cache-control': 'no-store', ...headers },
  cookies: [],
  body: Buffer.from(JSON.stringify(body)),
});

const problemResponse = (p: Problem, headers: Record<string, string> = {}) => jsonResponse(p.status, p, headers, PROBLEM_CONTENT_TYPE);

/** Payload format 2.0 response rules: structured result, bare string, or any JSON value. */
export const toLocalResponse = (result: unknown): LocalResponse => {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const r = result as { statusCode?: number; headers?: Record<string, unknown>; body?: string; isBase64Encoded?: boolean; cookies?: string[] };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    const body = r.body === undefined || r.body === null ? Buffer.alloc(0) : Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8');
    return { status: r.statusCode ?? 200, headers, cookies: r.cookies ?? [], body };
  }
  if (typeof result === 'string') return { status: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(result) };
  return { status: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(JSON.stringify(result ?? null)) };
};

// ---- /docs (swagger-ui-dist) ----------------------------------------------------------------

const requireHere = createRequire(import.meta.url);
let swaggerDir: string | undefined;
let swaggerFiles: Set<string> | undefined;
const swaggerAssets = () => {
  if (!swaggerDir) {
    swaggerDir = dirname(requireHere.resolve('swagger-ui-dist/package.json'));
    swaggerFiles = new Set(readdirSync(swaggerDir).filter((f) => /\.(js|css|png|html|map)$/.test(f)));
  }
  return { dir: swaggerDir, files: swaggerFiles ?? new Set<string>() };
};

const DOCS_HTML = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="UTF-8">
  <title>执法档案平台 · 接口文档（本机）</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
  <style>body{margin:0} .local-note{font:14px/1.6 system-ui,sans-serif;padding:8px 16px;background:#fff8e1;border-bottom:1px solid #f0d68a}</style>
</head>
<body>
  <div class="local-note">本机演示环境：身份令牌可由 <code>POST /local/token {"userId":"…"}</code> 获取（演示用户见 <a href="/local/users">/local/users</a>），点击 “Authorize” 填入令牌。</div>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
  <script src="/docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
  <script src="/docs/local-initializer.js" charset="UTF-8"></script>
</body>
</html>`;

const DOCS_INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
};`;

const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  png: 'image/png',
  html: 'text/html; charset=utf-8',
  map: 'application/json',
};

const staticResponse = (body: string | Buffer, contentType: string, cache = 'no-cache'): LocalResponse => ({
  status: 200,
  headers: { 'content-type': contentType, 'cache-control': cache, 'x-content-type-options': 'nosniff' },
  cookies: [],
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
});

// ---- the router -------------------------------------------------------------------------------

const BEARER = /^Bearer\s+([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*)\s*$/i;

const unauthorized = (detail: string, requestId: string) =>
  problemResponse(problemFor('unauthenticated', 'auth.invalidToken', detail, { instance: requestId }), {
    'www-authenticate': 'Bearer realm="enforcement-archive-local"',
  });

export const createRouter = (opts: RouterOptions): Router => {
  const log = opts.log ?? silentLog;
  const loadHandler = opts.loadHandler ?? createHandlerLoader();
  const timeoutMs = opts.handlerTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
  const localRoutes = opts.localRoutes ?? true;

  const localRoute = async (req: LocalRequest, path: string): Promise<LocalResponse | undefined> => {
    const method = req.method.toUpperCase();
    const issuer = opts.issuer;
    if (method === 'GET' && (path === '/.well-known/jwks.json' || path === '/local-issuer/.well-known/jwks.json') && issuer.jwks) {
      return jsonResponse(200, issuer.jwks, { 'cache-control': 'public, max-age=300' });
    }
    if (method === 'GET' && path === '/local-issuer/.well-known/openid-configuration' && issuer.issuer) {
      return jsonResponse(200, {
        issuer: issuer.issuer,
        jwks_uri: `${issuer.issuer.replace(/\/local-issuer$/, '')}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_note: 'POST /local/token {"userId":"…"} (local demo only)',
      });
    }
    if (method === 'GET' && path === '/local/users') {
      const users = (opts.users?.() ?? []).map((u) => ({
        userId: u.userId,
        name: u.name,
        roles: u.roles,
        roleLabels: u.roles.map((r) => ROLE_LABELS[r] ?? r),
        agencyId: u.agencyId,
        agencyName: u.agencyName,
        unitId: u.unitId,
        unitName: u.unitName,
        officerId: u.officerId,
        post: u.post,
      }));
      return jsonResponse(200, { users });
    }
    if (path === '/local/token') {
      if (method !== 'POST') return undefined;
      const requestId = newId();
      let userId: unknown;
      try {
        const text = req.body === undefined ? '' : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : req.body;
        userId = (JSON.parse(text) as { userId?: unknown })?.userId;
      } catch {
        userId = undefined;
      }
      if (typeof userId !== 'string' || !userId) {
        return problemResponse(
          problemFor('validation', 'request.invalid', '请求体须为 {"userId": "演示用户编号"}', {
            instance: requestId,
            issues: [{ path: 'body.userId', message: '缺少演示用户编号' }],
          }),
        );
      }
      const user = opts.users?.().find((u) => u.userId === userId);
      if (!user || !issuer.issueToken) {
        return problemResponse(problemFor('notFound', 'local.userNotFound', `没有编号为 ${userId} 的演示用户（见 GET /local/users）`, { instance: requestId }));
      }
      const token = await issuer.issueToken(user);
      return jsonResponse(200, { token, tokenType: 'Bearer', expiresIn: TOKEN_LIFETIME_SECONDS, user: { userId: user.userId, name: user.name, roles: user.roles } });
    }
    if (method === 'GET' && (path === '/docs' || path === '/docs/')) {
      return path === '/docs' ? { status: 302, headers: { location: '/docs/' }, cookies: [], body: Buffer.alloc(0) } : staticResponse(DOCS_HTML, CONTENT_TYPES.html!);
    }
    if (method === 'GET' && path === '/docs/local-initializer.js') return staticResponse(DOCS_INIT, CONTENT_TYPES.js!);
    if (method === 'GET' && path.startsWith('/docs/')) {
      const name = path.slice('/docs/'.length);
      const { dir, files } = swaggerAssets();
      if (!files.has(name)) return undefined; // whitelist of the package's own files: no traversal
      const ext = name.split('.').pop() ?? '';
      return staticResponse(readFileSync(join(dir, name)), CONTENT_TYPES[ext] ?? 'application/octet-stream', 'public, max-age=3600');
    }
    return undefined;
  };

  const invoke = async (group: RouteGroup, event: HttpEvent, requestId: string): Promise<LocalResponse> => {
    let handler: HttpHandler | undefined;
    try {
      handler = await loadHandler(group);
    } catch (e) {
      log(`[router] cannot load functions/http/${group}.ts: ${(e as Error)?.stack ?? String(e)}`);
      return problemResponse(internalProblem(requestId));
    }
    if (!handler) {
      return problemResponse(problemFor('unavailable', 'local.handlerMissing', `本机平台尚未提供该接口的处理模块（functions/http/${group}.ts）`, { instance: requestId }));
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        handler(event, lambdaContext(group, requestId, timeoutMs)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error('integration timeout'), { integrationTimeout: true })), timeoutMs);
        }),
      ]);
      return toLocalResponse(result);
    } catch (e) {
      if ((e as { integrationTimeout?: boolean }).integrationTimeout) {
        log(`[router] ${event.routeKey} exceeded ${timeoutMs} ms`);
        return problemResponse(problemFor('unavailable', 'local.integrationTimeout', '处理超时，请稍后重试', { instance: requestId }));
      }
      // an unhandled rejection in Lambda becomes API Gateway's bare 500
      log(`[router] ${event.routeKey} threw: ${(e as Error)?.stack ?? String(e)}`);
      return problemResponse(internalProblem(requestId));
    } finally {
      clearTimeout(timer);
    }
  };

  const dispatch = async (req: LocalRequest, dopts: DispatchOptions = {}): Promise<LocalResponse> => {
    const q = req.url.indexOf('?');
    const rawPath = q === -1 ? req.url : req.url.slice(0, q);
    if (opts.ready) await opts.ready;
    if (localRoutes) {
      const local = await localRoute(req, rawPath);
      if (local) return local;
    }
    let match: RouteMatch | undefined;
    try {
      match = matchRoute(req.method, rawPath);
    } catch (e) {
      if (e instanceof MalformedPathError) {
        return problemResponse(problemFor('validation', 'request.malformedPath', '请求路径的百分号编码不正确', { instance: newId() }));
      }
      throw e;
    }
    if (!match) {
      return problemResponse(problemFor('notFound', 'route.notFound', `接口不存在：${req.method.toUpperCase()} ${rawPath}`, { instance: newId() }));
    }

    let claims: Claims | undefined;
    if (match.contract.auth) {
      if (dopts.claims) {
        claims = dopts.claims;
      } else {
        const headers = normaliseHeaders(req.headers);
        const m = BEARER.exec(headers.authorization ?? '');
        if (!m?.[1]) return unauthorized('缺少身份令牌：请在 Authorization 请求头中携带 “Bearer <令牌>”', newId());
        try {
          claims = toClaims(await opts.issuer.verify(m[1]));
        } catch (e) {
          return unauthorized(tokenErrorDetail(e), newId());
        }
      }
    }
    const { event, requestId } = buildEvent(req, match, claims);
    const res = await invoke(match.contract.group, event, requestId);
    res.headers['apigw-requestid'] ??= requestId;
    return res;
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const finish = (r: LocalResponse) => {
      if (opts.accessLog) log(`${req.method} ${(req.url ?? '').split('?')[0]} → ${r.status} (${Date.now() - started} ms)`);
      const headers: Record<string, string | string[]> = { ...r.headers, 'content-length': String(r.body.length) };
      if (r.cookies.length) headers['set-cookie'] = r.cookies;
      res.writeHead(r.status, headers);
      res.end(req.method === 'HEAD' ? undefined : r.body);
    };
    const tooLarge = () => {
      const r = problemResponse(problemFor('payloadTooLarge', 'request.tooLarge', '请求体不得超过 10 MB', { instance: newId() }), { connection: 'close' });
      finish(r);
      res.once('finish', () => req.destroy());
    };
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_REQUEST_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (c: Buffer) => {
      if (aborted) return;
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        aborted = true;
        tooLarge();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => {
      aborted = true;
    });
    req.on('end', () => {
      if (aborted) return;
      dispatch({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? LOOPBACK,
      })
        .then(finish)
        .catch((e) => {
          log(`[router] ${req.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}`);
          finish(problemResponse(internalProblem(undefined)));
        });
    });
  };

  return { dispatch, listener };
};

/** Binds the router to 127.0.0.1 (port 0 = any free port). */
export const listenRouter = (router: Router, port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer(router.listener);
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
