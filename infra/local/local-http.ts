import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../../shared/http/problem.ts';

/** The request and response of the local API Gateway (infra/local/router.ts), the Lambda types it speaks, and its response builders. */
export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<unknown>;

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

export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): LocalResponse => ({
  status,
  headers: { 'content-type': contentType, 'cache-control': 'no-store', ...headers },
  cookies: [],
  body: Buffer.from(JSON.stringify(body)),
});

export const problemResponse = (p: Problem, headers: Record<string, string> = {}) => jsonResponse(p.status, p, headers, PROBLEM_CONTENT_TYPE);

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

export const staticResponse = (body: string | Buffer, contentType: string, cache = 'no-cache'): LocalResponse => ({
  status: 200,
  headers: { 'content-type': contentType, 'cache-control': cache, 'x-content-type-options': 'nosniff' },
  cookies: [],
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
});
