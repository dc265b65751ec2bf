/**
 * Runtime configuration of the console, read once at start from `/config.json` beside index.html:
 * locally the API's own router serves it (infra/local/console.ts); in AWS the stack writes it next
 * to the built files. The same build therefore runs against any API and identity provider.
 */
export type AuthConfig =
  /** `npm start`: 演示登录 with the local token issuer (`GET /local/users`, `POST /local/token`) */
  | { kind: 'localDemo' }
  /** AWS: OIDC authorization code + PKCE against Cognito or the agency's own provider */
  | {
      kind: 'oidc';
      /** the issuer: Cognito's `https://cognito-idp.<region>.amazonaws.com/<pool>` or the agency's provider */
      authority: string;
      clientId: string;
      scope?: string | undefined;
      /** registered redirect URI; default `<console origin>/console/callback` */
      redirectUri?: string | undefined;
      postLogoutRedirectUri?: string | undefined;
    };

export interface ConsoleConfig {
  /** origin of the HTTP API without trailing slash; '' = the console's own origin */
  apiBaseUrl: string;
  auth: AuthConfig;
  /** shown in the header, e.g. 本机演示环境 */
  environmentLabel?: string | undefined;
}

const DEFAULT_CONFIG: ConsoleConfig = { apiBaseUrl: '', auth: { kind: 'localDemo' }, environmentLabel: '本机演示环境' };

let current: ConsoleConfig | undefined;

const optionalText = (v: unknown) => v === undefined || typeof v === 'string';

const isAuth = (a: unknown): a is AuthConfig => {
  const o = a as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return false;
  if (o.kind === 'localDemo') return true;
  return (
    o.kind === 'oidc' &&
    typeof o.authority === 'string' &&
    o.authority.startsWith('https://') &&
    typeof o.clientId === 'string' &&
    o.clientId !== '' &&
    optionalText(o.scope) &&
    optionalText(o.redirectUri) &&
    optionalText(o.postLogoutRedirectUri)
  );
};

const isConfig = (v: unknown): v is ConsoleConfig => {
  const c = v as Partial<ConsoleConfig> | null;
  return !!c && typeof c.apiBaseUrl === 'string' && isAuth(c.auth);
};

/**
 * The body of /config.json as the console's configuration. Anything malformed — an OIDC block
 * without an https authority or a client id included — falls back to the local 演示登录, whose
 * routes exist only on `npm start`: a broken deployment fails visibly instead of half-configured.
 */
export const parseConfig = (body: unknown): ConsoleConfig => (isConfig(body) ? { ...body, apiBaseUrl: body.apiBaseUrl.replace(/\/+$/, '') } : DEFAULT_CONFIG);

export const loadConfig = async (): Promise<ConsoleConfig> => {
  if (current) return current;
  try {
    const res = await fetch('/config.json', { cache: 'no-store', headers: { accept: 'application/json' } });
    const body: unknown = res.ok ? await res.json() : undefined;
    current = parseConfig(body);
  } catch {
    current = DEFAULT_CONFIG;
  }
  return current;
};

export const config = (): ConsoleConfig => {
  if (!current) throw new Error('console configuration not loaded yet (loadConfig)');
  return current;
};
