/**
 * Runtime configuration of the console, read once at start from `/config.json` beside index.html:
 * locally the API's own router serves it (infra/local/console.ts); in AWS the stack writes it next
 * to the built files. The same build therefore runs against any API and identity provider.
 */
export type AuthConfig =
  /** `npm start`: 演示登录 with the local token issuer (`GET /local/users`, `POST /local/token`) */
  | { kind: 'localDemo' }
  /** AWS: OIDC authorization code + PKCE against Cognito or the agency's own provider */
  | { kind: 'oidc'; authority: string; clientId: string; scope?: string | undefined };

export interface ConsoleConfig {
  /** origin of the HTTP API without trailing slash; '' = the console's own origin */
  apiBaseUrl: string;
  auth: AuthConfig;
  /** shown in the header, e.g. 本机演示环境 */
  environmentLabel?: string | undefined;
}

const DEFAULT_CONFIG: ConsoleConfig = { apiBaseUrl: '', auth: { kind: 'localDemo' }, environmentLabel: '本机演示环境' };

let current: ConsoleConfig | undefined;

const isConfig = (v: unknown): v is ConsoleConfig => {
  const c = v as Partial<ConsoleConfig> | null;
  return !!c && typeof c.apiBaseUrl === 'string' && !!c.auth && (c.auth.kind === 'localDemo' || c.auth.kind === 'oidc');
};

export const loadConfig = async (): Promise<ConsoleConfig> => {
  if (current) return current;
  try {
    const res = await fetch('/config.json', { cache: 'no-store', headers: { accept: 'application/json' } });
    const body: unknown = res.ok ? await res.json() : undefined;
    current = isConfig(body) ? { ...body, apiBaseUrl: body.apiBaseUrl.replace(/\/+$/, '') } : DEFAULT_CONFIG;
  } catch {
    current = DEFAULT_CONFIG;
  }
  return current;
};

export const config = (): ConsoleConfig => {
  if (!current) throw new Error('console configuration not loaded yet (loadConfig)');
  return current;
};
