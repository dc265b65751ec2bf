import type { Platform } from '../../infra/local/platform.ts';
import type { Claims } from '../../infra/local/tokens.ts';
import { newId } from '../../shared/kernel/ids.ts';

/** Calling the API in-process through the embedded router, for the benchmarks (as the console would). */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}
export interface CallOpts {
  body?: unknown;
  idem?: boolean;
  ifMatch?: string | undefined;
}
export type Caller = (method: string, path: string, o?: CallOpts) => Promise<Answer>;

export const callerFor = (platform: Platform, claims: Claims, userAgent: string): Caller => async (method, path, o = {}) => {
  const headers: Record<string, string> = { 'user-agent': userAgent, host: '127.0.0.1' };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.idem) headers['idempotency-key'] = `bench-${newId()}`;
  if (o.ifMatch) headers['if-match'] = o.ifMatch;
  const r = await platform.router.dispatch({ method, url: path, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) }, { claims });
  const text = r.body.toString('utf8');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, text, json };
};

export const ok = (a: Answer, what: string): Answer => {
  if (a.status >= 300) throw new Error(`${what} → ${a.status}: ${a.text.slice(0, 500)}`);
  return a;
};
