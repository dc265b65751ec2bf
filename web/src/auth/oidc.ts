import { UserManager } from 'oidc-client-ts';
import type { Me } from '../api/views';
import { config } from '../config';
import { oidcSettings, type OidcAuth } from './oidc-settings';
import { completeSignIn } from './providers';

/**
 * Sign-in against Cognito (global partition) or the agency's OIDC provider (aws-cn): the
 * authorization code flow with PKCE through oidc-client-ts. The provider sends the browser back to
 * /console/callback (OidcCallbackPage), where the code is exchanged and the ID token handed to
 * completeSignIn like every other sign-in.
 */
let manager: UserManager | undefined;

const oidcAuth = (): OidcAuth => {
  const auth = config().auth;
  if (auth.kind !== 'oidc') throw new Error('console is not configured for OIDC sign-in');
  return auth;
};

const userManager = () => {
  manager ??= new UserManager(oidcSettings(oidcAuth(), window.location.origin, window.sessionStorage));
  return manager;
};

/** Leave for the provider's sign-in page; `from` (a console path) is where to return afterwards. */
export const startOidcSignIn = (from?: string) => userManager().signinRedirect({ state: { from } });

/** On /console/callback: exchange the code (with the PKCE verifier) and start the session. */
export const finishOidcSignIn = async (url: string): Promise<{ me: Me; from?: string | undefined }> => {
  const user = await userManager().signinCallback(url);
  if (!user?.id_token) throw new Error('身份认证未返回 ID 令牌');
  const me = await completeSignIn(user.id_token, user.expires_in ?? 0, 'oidc');
  const from = (user.state as { from?: unknown } | undefined)?.from;
  return { me, from: typeof from === 'string' ? from : undefined };
};

/** Forget the provider's tokens in this tab (the console's own session ends in session.ts). */
export const forgetOidcUser = async () => {
  if (config().auth.kind === 'oidc') await userManager().removeUser();
};
