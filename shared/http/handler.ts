import middy from '@middy/core';
import { decodeBody, jsonParseProtectProto } from '@middy/util';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
// only the zh-CN messages: `z.locales` would bundle every language (~185 KB per function)
import zhCN from 'zod/v4/locales/zh-CN.js';
import { principalFromClaims, type Principal, type RequestSource } from '../access/principal.ts';
import type { AuditDraft, AuditFacts, AuditRecord } from '../audit/record.ts';
import { DomainError, IdempotentReplay, type FieldIssue } from '../kernel/errors.ts';
import { type AuditInput, type HandlerResult, type InputsOf, type RouteAudit, type RouteContract, routeKey } from './contract.ts';
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
  /** the audit records committed for this request so far (the one writer appends them) */
  audited: AuditRecord[];
  /** what the access check established about the object, for the request's audit record */
  facts?: AuditFacts;
}

/** Appends audit records through the one writer, failing closed (`audit.unavailable`, 503): see shared/http/audited.ts. */
export type AuditAppend = (ctx: RequestContext, drafts: AuditDraft[]) => Promise<unknown>;

/** The idempotency part of a create: scoped to the caller, keyed by Idempotency-Key, tied to the request. */
export const idempotencyOf = (ctx: RequestContext, request: unknown) => ({ userId: ctx.principal.userId, key: ctx.idempotencyKey!, request });

export type Implementation<C extends RouteContract> = (input: InputsOf<C> & { ctx: RequestContext }) => Promise<HandlerResult>;

export interface Binding {
  contract: RouteContract;
  run: (input: { params: unknown; query: unknown; body: unknown; ctx: RequestContext }) => Promise<HandlerResult>;
}

export const bind = <C extends RouteContract>(contract: C, run: Implementation<C>): Binding => ({
  contract,
  run: run as Binding['run'],
});

const issuesFrom = (where: string, error: z.core.$ZodError): FieldIssue[] =>
  error.issues.slice(0, 50).map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
    code: i.code,
  }));

const parse = <T extends z.core.$ZodType | undefined>(schema: T, where: string, value: unknown) => {
  if (!schema) return undefined;
  const r = z.safeParse(schema, value);
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
  const blank = Object.entries(query)
    .filter(([, v]) => v === undefined || v.trim() === '')
    .slice(0, 50);
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
  const bad =
    LONE_SURROGATE.test(key) ||
    (typeof value === 'string' && LONE_SURROGATE.test(value)) ||
    (typeof value === 'number' && (!Number.isFinite(value) || (value !== 0 && Math.abs(value) < 1e-130) || Math.abs(value) >= 1e126));
  if (bad)
    throw new DomainError('validation', 'request.unstorableValue', '请求体包含无法保存的值（孤立的 Unicode 代理字符或超出范围的数字）', {
      issues: [{ path: 'body', message: `字段 ${key || '(根)'} 的值无法保存` }],
    });
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
    throw new DomainError('validation', forbiddenKey ? 'request.forbiddenKey' : 'request.malformedJson', forbiddenKey ? '请求体包含禁止使用的键（如 __proto__）' : '请求体不是合法的 JSON', {
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

/** the path parameter naming the record of a route's scope: the default object of its audit records */
const SCOPE_OBJECT = { file: 'officerId', process: 'processId', case: 'caseId', evidence: 'evidenceId', agency: 'agencyId' } as const;

/** The object a route's audit records are about, or a reason it cannot be told (a defect of the declaration). */
const auditedObject = (c: RouteContract, a: RouteAudit) => {
  const scope = c.scope in SCOPE_OBJECT ? (c.scope as keyof typeof SCOPE_OBJECT) : undefined;
  const objectType = a.objectType ?? scope;
  const param = scope && SCOPE_OBJECT[scope];
  const objectId = a.objectId ?? (param && c.path.includes(`{${param}}`) ? (i: AuditInput) => String(i.params[param]) : undefined);
  if (!objectType || !objectId) throw new Error(`route ${c.operationId}: its audit declaration names no object (objectType / objectId)`);
  return (i: AuditInput) => ({ action: a.action, objectType, objectId: objectId(i) });
};

const isRefusal = (e: unknown): e is DomainError => e instanceof DomainError && (e.kind === 'forbidden' || e.kind === 'notFound');

/**
 * The HTTP pipeline shared by every route group: route by `routeKey`, principal from the JWT
 * claims the authorizer verified, JSON body parsing with prototype-pollution guard, zod
 * validation of params/query/body with field paths, the route's audit declaration (RouteAudit:
 * the read record committed before the response, a use case's record checked, refusals recorded),
 * the one error mapper. Handlers stay thin and never write audit themselves.
 */
export const httpGroup = (bindings: Binding[], opts: { audit?: AuditAppend } = {}) => {
  const byKey = new Map(bindings.map((b) => [routeKey(b.contract), b]));
  const objects = new Map(bindings.flatMap((b) => (b.contract.audit ? [[routeKey(b.contract), auditedObject(b.contract, b.contract.audit)] as const] : [])));
  const append = opts.audit;
  if (objects.size > 0 && !append) throw new Error('a route group with audited routes needs the audit writer (shared/http/audited.ts)');
  const core = async (event: HttpEvent): Promise<HttpResponse> => {
    const requestId = event.requestContext?.requestId ?? 'local';
    let ctx: RequestContext | undefined;
    let auditInput: AuditInput | undefined;
    const declared = byKey.get(event.routeKey)?.contract.audit;
    const object = objects.get(event.routeKey);
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
      ctx = {
        principal,
        requestId,
        ifMatch,
        idempotencyKey,
        source: { ip: event.requestContext?.http?.sourceIp, userAgent: event.headers['user-agent']?.slice(0, 256), requestId },
        audited: [],
      };
      auditInput = { params: (params ?? {}) as AuditInput['params'], query: (query ?? {}) as AuditInput['query'], principal };
      const result = await binding.run({ params, query, body, ctx });
      if (declared?.by === 'pipeline' || (declared?.by === 'useCase' && ctx.audited.length === 0)) {
        // the read record is committed before any data leaves; if it cannot be, neither can the data
        await append!(ctx, [{ ...object!(auditInput), outcome: 'allowed', ...ctx.facts, ...result.audit }]);
      }
      const status = result.status ?? c.successStatus ?? 200;
      return json(status, result.body, result.headers, c.produces);
    } catch (err) {
      if (err instanceof IdempotentReplay) {
        const c = byKey.get(event.routeKey)!.contract;
        return json(c.successStatus ?? 200, err.response, { 'idempotent-replayed': 'true' });
      }
      if (object && ctx && auditInput && isRefusal(err) && ctx.audited.length === 0) {
        // a refusal nothing recorded yet is recorded before it is answered (fail closed as well)
        try {
          await append!(ctx, [{ ...object(auditInput), ...ctx.facts, outcome: err.kind === 'notFound' ? 'notFound' : 'denied' }]);
        } catch (e) {
          return problemResponse(toProblem(e, requestId));
        }
      }
      return problemResponse(toProblem(err, requestId));
    }
  };
  return middy<HttpEvent, HttpResponse>().handler(core);
};
