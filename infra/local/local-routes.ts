import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROLE_LABELS } from '../../shared/access/principal.ts';
import { problemFor } from '../../shared/http/problem.ts';
import { newId } from '../../shared/kernel/ids.ts';
import { type DemoUserRecord, TOKEN_LIFETIME_SECONDS, type TokenIssuer } from './tokens.ts';
import { jsonResponse, type LocalRequest, type LocalResponse, problemResponse, staticResponse } from './local-http.ts';

/**
 * Local-only routes (never in AWS): `POST /local/token`, `GET /local/users`, the issuer's JWKS at
 * `/.well-known/jwks.json`, and the interactive API reference at `/docs` (swagger-ui-dist).
 */
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

export interface LocalRouteOptions {
  issuer: Pick<TokenIssuer, 'verify'> & Partial<TokenIssuer>;
  users?: (() => DemoUserRecord[]) | undefined;
}

/** The answer of a local-only route, or undefined when the request is for another route. */
export const localRoute = async (opts: LocalRouteOptions, req: LocalRequest, path: string): Promise<LocalResponse | undefined> => {
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
