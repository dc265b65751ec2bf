import type * as z from 'zod/mini';
import type { Principal } from '../access/principal.ts';
import type { AuditFacts, AuditObjectType } from '../audit/record.ts';
import { lazy } from '../kernel/lazy.ts';

/**
 * A route's contract: method, path, the function group that serves it, and the zod schemas of its
 * inputs and output. One list of contracts (shared/api/routes.ts) drives the CDK routes, the local
 * router, the handlers' validation, the OpenAPI document and the authorisation-matrix test.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RouteGroup = 'org' | 'files' | 'grants' | 'rules' | 'audit' | 'attachments' | 'system' | 'processes' | 'notifications' | 'calendar' | 'cases' | 'evidence' | 'preservation';

export interface RouteContract<
  P extends z.core.$ZodType = z.core.$ZodType,
  Q extends z.core.$ZodType = z.core.$ZodType,
  B extends z.core.$ZodType = z.core.$ZodType,
  R extends z.core.$ZodType = z.core.$ZodType,
> {
  operationId: string;
  method: HttpMethod;
  path: string;
  group: RouteGroup;
  /** Chinese one-liner for the API reference */
  summary: string;
  /** false only for health, OpenAPI and signed webhooks (docs/security.md §1) */
  auth: boolean;
  /** the record the route acts on, for the authorisation matrix ("file" = an officer's file) */
  scope: 'file' | 'process' | 'case' | 'evidence' | 'agency' | 'global' | 'none';
  params?: P;
  query?: Q;
  body?: B;
  response?: R;
  /** status of a successful call */
  successStatus?: number;
  /** a create that may be retried: requires the Idempotency-Key header */
  idempotent?: boolean;
  /** an update guarded by optimistic concurrency: requires If-Match */
  requiresIfMatch?: boolean;
  /** the response is not JSON (CSV, HTML) */
  produces?: string;
  /** what the route records in the audit trail (docs/security.md §3); see RouteAudit */
  audit?: RouteAudit;
}

/** The validated request, as far as a route's audit declaration needs it. */
export interface AuditInput {
  params: Record<string, string | number | undefined>;
  query: Record<string, string | number | undefined>;
  principal: Principal;
}

/**
 * A route's audit declaration. The HTTP pipeline (shared/http/handler.ts) enforces it, so a handler
 * cannot answer unaudited:
 * - `pipeline` — a read: after the handler, the pipeline commits the `allowed` record (with what the
 *   access check established: the object's agency, the basis) BEFORE the response leaves; if that
 *   append fails, the caller gets 503 `audit.unavailable` and no data (fail closed).
 * - `useCase` — the use case commits its record through the one writer (a change: in the same
 *   transaction, shared/adapters/dynamodb/commit.ts, which refuses a request's write without one);
 *   where it committed none (nothing changed: a repeated verification), the pipeline records the
 *   read as for `pipeline`.
 * - `refusals` — only refusals are recorded (the caller's own inbox).
 * In every case a 403 or 404 that nothing audited yet is recorded by the pipeline (outcome `denied` /
 * `notFound`) before it is answered.
 */
export interface RouteAudit {
  by: 'pipeline' | 'useCase' | 'refusals';
  action: string;
  /** default: the route's scope (file, process, case, evidence, agency) */
  objectType?: AuditObjectType;
  /** default: the path parameter naming the scope's record (officerId, processId, caseId, evidenceId, agencyId) */
  objectId?: (input: AuditInput) => string;
}

type Schemas<P, Q, B, R> = { params?: P; query?: Q; body?: B; response?: R };

/**
 * A contract's schemas are built on first access (shared/kernel/lazy.ts): the local router, CDK and
 * a function's cold start read only method, path and group; a request builds its own route's schemas.
 */
export const defineRoute = /* @__NO_SIDE_EFFECTS__ */ <P extends z.core.$ZodType, Q extends z.core.$ZodType, B extends z.core.$ZodType, R extends z.core.$ZodType>(
  meta: Omit<RouteContract, 'params' | 'query' | 'body' | 'response'>,
  schemas?: () => Schemas<P, Q, B, R>,
): RouteContract<P, Q, B, R> => {
  const get = lazy(() => schemas?.() ?? {});
  const c = { ...meta } as RouteContract<P, Q, B, R>;
  for (const k of ['params', 'query', 'body', 'response'] as const) {
    Object.defineProperty(c, k, { get: () => get()[k], enumerable: true });
  }
  return c;
};

export const routeKey = (c: Pick<RouteContract, 'method' | 'path'>) => `${c.method} ${c.path}`;

type Infer<T> = T extends z.core.$ZodType ? z.output<T> : undefined;

export interface HandlerResult<T = unknown> {
  status?: number;
  body?: T;
  headers?: Record<string, string>;
  /** for a `pipeline`-audited route: what the read record adds (a reason, the object's agency) */
  audit?: AuditFacts;
}

export type InputsOf<C> = C extends RouteContract<infer P, infer Q, infer B, infer _R> ? { params: Infer<P>; query: Infer<Q>; body: Infer<B> } : never;
