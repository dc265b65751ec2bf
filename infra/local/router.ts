import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RouteGroup } from '../../shared/http/contract.ts';
import { internalProblem, problemFor } from '../../shared/http/problem.ts';
import { newId } from '../../shared/kernel/ids.ts';
import { LOOPBACK, type LocalLog, silentLog } from './net.ts';
import type { Claims, DemoUserRecord, TokenIssuer } from './tokens.ts';
import { bearerClaims } from './bearer-auth.ts';
import { createHandlerLoader, type HandlerLoader } from './handler-loader.ts';
import { buildEvent, lambdaContext } from './http-event.ts';
import { type HttpEvent, type HttpHandler, type LocalRequest, type LocalResponse, problemResponse, toLocalResponse } from './local-http.ts';
import { localRoute } from './local-routes.ts';
import { MalformedPathError, matchRoute, type RouteMatch } from './route-match.ts';

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
 *
 * Its parts: route-match.ts, http-event.ts (the event), bearer-auth.ts (the JWT check),
 * local-routes.ts (/local/*, JWKS, /docs), handler-loader.ts, local-http.ts (types, responses).
 */

/** API Gateway HTTP APIs accept request bodies up to 10 MB. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout for HTTP APIs. */
export const INTEGRATION_TIMEOUT_MS = 30_000;

export { createHandlerLoader, type HandlerLoader, handlerFile } from './handler-loader.ts';
export { type BuiltEvent, buildEvent } from './http-event.ts';
export { type HttpEvent, type HttpHandler, type LocalRequest, type LocalResponse, toLocalResponse } from './local-http.ts';
export { MalformedPathError, matchRoute, type RouteMatch } from './route-match.ts';

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

// ---- the router -------------------------------------------------------------------------------

export const createRouter = (opts: RouterOptions): Router => {
  const log = opts.log ?? silentLog;
  const loadHandler = opts.loadHandler ?? createHandlerLoader();
  const timeoutMs = opts.handlerTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
  const localRoutes = opts.localRoutes ?? true;

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
      const local = await localRoute(opts, req, rawPath);
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
        const checked = await bearerClaims(req.headers, opts.issuer);
        if ('refused' in checked) return checked.refused;
        claims = checked.claims;
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
