import middy from '@middy/core';
import { decodeBody, jsonParseProtectProto } from '@middy/util';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
// only the zh-CN messages: `z.locales` would bundle every language (~185 KB per function)
import zhCN from 'zod/v4/locales/zh-CN.js';
import { principalFromClaims, type Principal, type RequestSource } from '../access/principal.ts';
import { DomainError, IdempotentReplay, type FieldIssue } from '../kernel/errors.ts';
import { type HandlerResult, type InputsOf, type RouteContract, routeKey } from './contract.ts';
import { logger } from './logger.ts';
import { internalProblem, PROBLEM_CONTENT_TYPE, problemFor, type Problem } from './problem.ts';

z.config(zhCN());

/** API Gateway HTTP APIs accept 10 MB; archive JSON is small, media never passes here (docs/architecture.md §8). */
export const MAX_BODY_BYTES = 256 * 1024;

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export interface RequestContext {
  principal: Principal;
  source: RequestSource;
  requestId: string;
  /** the If-Match header, quotes stripped */
  ifMatch?: string | undefined;
  idempotencyKey?: string | undefined;
}

/** The idempotency part of a create: scoped to the caller, keyed by Idempotency-Key, tied to the request. */
export const idempotencyOf = (ctx: RequestContext, request: unknown) => ({ userId: ctx.principal.userId, key: ctx.idempotencyKey!, request });

export type Implementation<C extends RouteContract> = (
  input: InputsOf<C> & { ctx: RequestContext },
) => Promise<HandlerResult>;

export interface Binding {
  contract: RouteContract;
  run: (input: { params: unknown; query: unknown; body: unknown; ctx: RequestContext }) => Promise<HandlerResult>;
}

export const bind = <C extends RouteContract>(contract: C, run: Implementation<C>): Binding => ({
  contract,
  run: run as Binding['run'],
});

const issuesFrom = (where: string, error: z.ZodError): FieldIssue[] =>
  error.issues.slice(0, 50).map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
    code: i.code,
  }));

const parse = <T extends z.ZodType | undefined>(schema: T, where: string, value: unknown) => {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw new DomainError('validation', 'request.invalid', '请求内容未通过校验，请按字段提示修改', { issues: issuesFrom(where, r.error) });
  return r.data;
};

/**
 * The query string as the route's schema sees it. A key sent without a value (`amount=`, `limit=%20`)
 * is refused here, for every route, before `z.coerce` could turn it into 0 (or a blank string into
 * a value): leave the parameter out to get its default.
 */
const queryOf = (event: HttpEvent): Record<string, string> => {
  const query = event.queryStringParameters ?? {};
  const blank = Object.entries(query).filter(([, v]) => v === undefined || v.trim() === '').slice(0, 50);
  if (blank.length) {
    throw new DomainError('validation', 'request.invalid', '查询参数不得为空值：不需要的参数请不要携带', {
      issues: blank.map(([k]) => ({ path: `query.${k.slice(0, 128)}`, message: '查询参数的值不得为空', code: 'empty_value' })),
    });
  }
  return query as Record<string, string>;
};

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/** JSON the archive can hash (RFC 8785) and store (DynamoDB numbers): no lone surrogates, no number outside ±[1e-130, 1e126) */
const LONE_SURROGATE = /\p{Surrogate}/u;
const storable = (key: string, value: unknown) => {
  const bad = LONE_SURROGATE.test(key) || (typeof value === 'string' && LONE_SURROGATE.test(value)) ||
    (typeof value === 'number' && (!Number.isFinite(value) || (value !== 0 && Math.abs(value) < 1e-130) || Math.abs(value) >= 1e126));
  if (bad) throw new DomainError('validation', 'request.unstorableValue', '请求体包含无法保存的值（孤立的 Unicode 代理字符或超出范围的数字）', { issues: [{ path: 'body', message: `字段 ${key || '(根)'} 的值无法保存` }] });
  return value;
};

const readBody = (event: HttpEvent): unknown => {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/(?:[a-z.+-]+\+)?json(?:\s*;.*)?$/i.test(contentType)) {
    throw new DomainError('unsupportedMediaType', 'request.contentType', '请求体必须是 application/json');
  }
  const raw = decodeBody(event.body, event.isBase64Encoded) as string | undefined;
  if (raw === undefined || raw === null || raw.length === 0) {
    throw new DomainError('validation', 'request.emptyBody', '缺少请求体', { issues: [{ path: 'body', message: '缺少请求体' }] });
  }
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) {
    throw new DomainError('payloadTooLarge', 'request.tooLarge', `请求体不得超过 ${MAX_BODY_BYTES / 1024} KB`);
  }
  try {
    return jsonParseProtectProto(raw, storable, 'archive');
  } catch (e) {
    if (e instanceof DomainError) throw e;
    const forbiddenKey = (e as { statusCode?: number }).statusCode === 422;
    throw new DomainError('validation', forbiddenKey ? 'request.forbiddenKey' : 'request.malformedJson',
      forbiddenKey ? '请求体包含禁止使用的键（如 __proto__）' : '请求体不是合法的 JSON', {
        issues: [{ path: 'body', message: forbiddenKey ? '禁止使用的键' : 'JSON 格式错误' }],
      });
  }
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): HttpResponse => ({
  statusCode: status,
  headers: { 'content-type': contentType, 'cache-control': 'no-store', ...headers },
  body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
});

const problemResponse = (p: Problem): HttpResponse => json(p.status, p, {}, PROBLEM_CONTENT_TYPE);

export const toProblem = (err: unknown, requestId: string): Problem => {
  if (err instanceof DomainError) {
    return problemFor(err.kind, err.code, err.detail, { issues: err.issues, instance: requestId, extra: err.extra });
  }
  logger.error('unhandled error', { requestId, error: err as Error });
  return internalProblem(requestId);
};

const lowerHeaders = (h: Record<string, string | undefined> | undefined) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
};

/**
 * The HTTP pipeline shared by every route group: route by `routeKey`, principal from the JWT
 * claims the authorizer verified, JSON body parsing with prototype-pollution guard, zod
 * validation of params/query/body with field paths, the one error mapper. Handlers stay thin.
 */
export const httpGroup = (bindings: Binding[]) => {
  const byKey = new Map(bindings.map((b) => [routeKey(b.contract), b]));
  const core = async (event: HttpEvent): Promise<HttpResponse> => {
    const requestId = event.requestContext?.requestId ?? 'local';
    try {
      event.headers = lowerHeaders(event.headers);
      const binding = byKey.get(event.routeKey);
      if (!binding) throw new DomainError('notFound', 'route.notFound', '接口不存在');
      const c = binding.contract;
      const principal = c.auth
        ? principalFromClaims(event.requestContext?.authorizer?.jwt?.claims as Record<string, unknown> | undefined)
        : ({ userId: 'anonymous', agencyId: '-', roles: [] } as unknown as Principal);
      const params = parse(c.params, 'params', event.pathParameters ?? {});
      const query = c.query ? parse(c.query, 'query', queryOf(event)) : undefined;
      const body = c.body ? parse(c.body, 'body', readBody(event)) : undefined;
      const ifMatch = event.headers['if-match']?.replace(/^W\//, '').replace(/"/g, '');
      if (c.requiresIfMatch && !ifMatch) {
        throw new DomainError('preconditionRequired', 'request.ifMatchRequired', '更新操作须携带 If-Match 请求头（记录的 ETag）');
      }
      const idempotencyKey = event.headers['idempotency-key'];
      if (c.idempotent && (!idempotencyKey || !IDEMPOTENCY_KEY.test(idempotencyKey))) {
        throw new DomainError('validation', 'request.idempotencyKey', '创建操作须携带 Idempotency-Key 请求头（8–128 个字母、数字或 _.:-）', {
          issues: [{ path: 'headers.idempotency-key', message: '缺少或格式不正确' }],
        });
      }
      const ctx: RequestContext = {
        principal,
        requestId,
        ifMatch,
        idempotencyKey,
        source: { ip: event.requestContext?.http?.sourceIp, userAgent: event.headers['user-agent']?.slice(0, 256), requestId },
      };
      const result = await binding.run({ params, query, body, ctx });
      const status = result.status ?? c.successStatus ?? 200;
      return json(status, result.body, result.headers, c.produces);
    } catch (err) {
      if (err instanceof IdempotentReplay) {
        const c = byKey.get(event.routeKey)!.contract;
        return json(c.successStatus ?? 200, err.response, { 'idempotent-replayed': 'true' });
      }
      return problemResponse(toProblem(err, requestId));
    }
  };
  return middy<HttpEvent, HttpResponse>().handler(core);
};
