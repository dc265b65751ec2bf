import type { UserManagerSettings } from 'oidc-client-ts';
import { WebStorageStateStore } from 'oidc-client-ts';
import type { AuthConfig } from '../config';
import { PATHS } from '../app/paths';

export type OidcAuth = Extract<AuthConfig, { kind: 'oidc' }>;

/**
 * The oidc-client-ts settings for the authorization code flow with PKCE (oidc-client-ts always sends
 * an S256 code challenge for `response_type: 'code'`). Both the user (tokens) and the in-flight
 * sign-in state (PKCE verifier, nonce) live in the tab's sessionStorage, never in localStorage.
 * No silent renew (it would need a hidden iframe on the provider's origin, which the console's
 * CSP does not frame) and no session monitor: an expired token sends the user to sign in again.
 */
export const oidcSettings = (auth: OidcAuth, consoleOrigin: string, storage: Storage): UserManagerSettings => ({
  authority: auth.authority,
  client_id: auth.clientId,
  redirect_uri: auth.redirectUri ?? `${consoleOrigin}${PATHS.callback}`,
  post_logout_redirect_uri: auth.postLogoutRedirectUri ?? `${consoleOrigin}${PATHS.login}`,
  response_type: 'code',
  scope: auth.scope ?? 'openid profile',
  userStore: new WebStorageStateStore({ store: storage }),
  stateStore: new WebStorageStateStore({ store: storage }),
  automaticSilentRenew: false,
  monitorSession: false,
  // the ID token carries the groups and custom claims; the API reads them, the console asks GET /me
  loadUserInfo: false,
});
