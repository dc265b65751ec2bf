import { config } from '../config';
import { api, call } from '../api/client';
import { networkProblem, problemFromResponse } from '../api/problem';
import type { DemoUser, Me } from '../api/views';
import { type SignInKind, startSession } from './session';

/**
 * How users sign in. Whatever the provider, it ends in `completeSignIn(idToken, …)`: the console
 * asks the API who the token speaks for (`GET /me`, the same principal every route sees) and keeps
 * the session (session.ts).
 *
 * - `localDemo` (`npm start`): 演示登录 — the demo users of `GET /local/users`, a token from
 *   `POST /local/token` (infra/local/tokens.ts). These routes exist only on the local router.
 * - `oidc` (AWS): authorization code + PKCE against Cognito or the agency's OIDC provider with a
 *   maintained client library (oidc-client-ts); its callback hands the ID token to completeSignIn.
 */
export const completeSignIn = async (idToken: string, expiresInSeconds: number, kind: SignInKind): Promise<Me> => {
  const me = await call<Me>(api().GET('/me', { headers: { authorization: `Bearer ${idToken}` } }));
  startSession({
    token: idToken,
    expiresAt: Date.now() + expiresInSeconds * 1000,
    kind,
    user: { userId: me.userId, name: me.name, agencyId: me.agencyId, unitId: me.unitId, officerId: me.officerId, roles: me.roles, roleLabels: me.roleLabels },
  });
  return me;
};

const localFetch = async <T>(path: string, init?: RequestInit): Promise<T> => {
  let res: Response;
  try {
    res = await fetch(`${config().apiBaseUrl}${path}`, { ...init, headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
  } catch (e) {
    throw networkProblem(e);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw problemFromResponse(res, body);
  return body as T;
};

export const listDemoUsers = async (): Promise<DemoUser[]> => (await localFetch<{ users: DemoUser[] }>('/local/users')).users;

export const signInAsDemoUser = async (userId: string): Promise<Me> => {
  const t = await localFetch<{ token: string; expiresIn: number }>('/local/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  return completeSignIn(t.token, t.expiresIn, 'localDemo');
};
