import { useSyncExternalStore } from 'react';

/**
 * The signed-in user's session. The token lives in memory and in sessionStorage (it survives a
 * reload of this tab, ends with the tab) — never in localStorage, where every tab and every later
 * visit could read it. Whatever signed the user in (演示登录 locally, OIDC + PKCE in AWS: see
 * providers.ts) hands its ID token to `startSession`; everything else reads it from here.
 */
export type SignInKind = 'localDemo' | 'oidc';

export interface SessionUser {
  userId: string;
  name?: string | undefined;
  agencyId: string;
  unitId?: string | undefined;
  officerId?: string | undefined;
  roles: string[];
  roleLabels?: string[] | undefined;
}

export interface Session {
  token: string;
  /** epoch milliseconds */
  expiresAt: number;
  kind: SignInKind;
  user: SessionUser;
}

const STORAGE_KEY = 'enforcement-archive.session';

let session: Session | undefined;
/** why the last session ended (shown once on the login page) */
let endedBecause: string | undefined;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

const readStored = (): Session | undefined => {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as Session;
    if (typeof s?.token !== 'string' || typeof s.expiresAt !== 'number' || !s.user?.userId) return undefined;
    return s.expiresAt > Date.now() ? s : undefined;
  } catch {
    return undefined;
  }
};

session = typeof sessionStorage === 'undefined' ? undefined : readStored();

const store = (s: Session | undefined) => {
  session = s;
  try {
    if (s) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage unavailable (private mode quotas): the session stays in memory for this page
  }
  emit();
};

export const startSession = (s: Session) => {
  endedBecause = undefined;
  store(s);
};

export const endSession = () => store(undefined);

/** The API refused the token (expired, revoked key): sign out and say why on the login page. */
export const expireSession = (reason: string) => {
  if (!session) return;
  endedBecause = reason;
  store(undefined);
};

export const takeEndReason = () => {
  const r = endedBecause;
  endedBecause = undefined;
  return r;
};

export const currentSession = () => (session && session.expiresAt > Date.now() ? session : undefined);
export const currentToken = () => currentSession()?.token;

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export const useSession = () =>
  useSyncExternalStore(
    subscribe,
    () => session,
    () => undefined,
  );

export const hasRole = (user: SessionUser | undefined, ...roles: string[]) => !!user && user.roles.some((r) => roles.includes(r));
