import type * as z from 'zod';
import { lazy } from '../kernel/lazy.ts';

/**
 * A route's contract: method, path, the function group that serves it, and the zod schemas of its
 * inputs and output. One list of contracts (shared/api/routes.ts) drives the CDK routes, the local
 * router, the handlers' validation, the OpenAPI document and the authorisation-matrix test.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RouteGroup = 'org' | 'files' | 'grants' | 'rules' | 'audit' | 'attachments' | 'system' | 'processes' | 'notifications' | 'calendar' | 'cases' | 'evidence' | 'preservation';

export interface RouteContract<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
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
}

type Schemas<P, Q, B, R> = { params?: P; query?: Q; body?: B; response?: R };

/**
 * A contract's schemas are built on first access (shared/kernel/lazy.ts): the local router, CDK and
 * a function's cold start read only method, path and group; a request builds its own route's schemas.
 */
export const defineRoute = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
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

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface HandlerResult<T = unknown> {
  status?: number;
  body?: T;
  headers?: Record<string, string>;
}

export type InputsOf<C> = C extends RouteContract<infer P, infer Q, infer B, infer _R>
  ? { params: Infer<P>; query: Infer<Q>; body: Infer<B> }
  : never;
