import { problemFor } from '../../shared/http/problem.ts';
import { newId } from '../../shared/kernel/ids.ts';
import { type Claims, type TokenIssuer, tokenErrorDetail } from './tokens.ts';
import { normaliseHeaders } from './http-event.ts';
import { type LocalRequest, type LocalResponse, problemResponse } from './local-http.ts';

/** The JWT authorizer's check (infra/local/router.ts): a valid bearer token before any function runs, or 401 problem+json. */
const BEARER = /^Bearer\s+([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*)\s*$/i;

const unauthorized = (detail: string, requestId: string) =>
  problemResponse(problemFor('unauthenticated', 'auth.invalidToken', detail, { instance: requestId }), {
    'www-authenticate': 'Bearer realm="enforcement-archive-local"',
  });

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

/** The claims of a request's valid bearer token, or the 401 the authorizer answers instead. */
export const bearerClaims = async (headers: LocalRequest['headers'], issuer: Pick<TokenIssuer, 'verify'>): Promise<{ claims: Claims } | { refused: LocalResponse }> => {
  const m = BEARER.exec(normaliseHeaders(headers).authorization ?? '');
  if (!m?.[1]) return { refused: unauthorized('缺少身份令牌：请在 Authorization 请求头中携带 “Bearer <令牌>”', newId()) };
  try {
    return { claims: toClaims(await issuer.verify(m[1])) };
  } catch (e) {
    return { refused: unauthorized(tokenErrorDetail(e), newId()) };
  }
};
