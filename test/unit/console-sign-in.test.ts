import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The console's sign-in switch (issue 10): /config.json with `auth.kind: 'oidc'` (what
 * infra/aws/console-hosting.ts writes) selects the authorization code flow with PKCE through
 * oidc-client-ts, keeping tokens and the PKCE verifier in the tab's sessionStorage; anything
 * malformed falls back to the local 演示登录. No identity provider runs here: the provider's
 * metadata is given, and the test stops at the authorization request the browser would follow.
 *
 * The console's modules are ES modules for the browser (web/, its own tsconfig), loaded here at run
 * time so the root type-check does not compile them with Node's module rules.
 */
const WEB_SRC = join(import.meta.dirname, '..', '..', 'web', 'src');
const load = async <T>(rel: string) => (await import(pathToFileURL(join(WEB_SRC, rel)).href)) as T;

type Config = { apiBaseUrl: string; auth: Record<string, unknown> & { kind: string } };
interface ConfigModule {
  parseConfig: (body: unknown) => Config;
}
interface SettingsModule {
  oidcSettings: (auth: Record<string, unknown>, origin: string, storage: Storage) => Record<string, unknown>;
}
interface OidcClientModule {
  OidcClient: new (settings: Record<string, unknown>) => { createSigninRequest: (args: { state?: unknown }) => Promise<{ url: string; state: { id: string } }> };
}

/** sessionStorage stand-in that records every key written */
const memoryStorage = (): Storage & { keys: () => string[] } => {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k: string) => m.get(k) ?? null,
    key: (i: number) => [...m.keys()][i] ?? null,
    removeItem: (k: string) => void m.delete(k),
    setItem: (k: string, v: string) => void m.set(k, String(v)),
    keys: () => [...m.keys()],
  };
};

const ORIGIN = 'https://d111111abcdef8.cloudfront.net';
const AWS_CONFIG = {
  apiBaseUrl: 'https://abc123.execute-api.ap-east-1.amazonaws.com/',
  auth: {
    kind: 'oidc',
    authority: 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_Example',
    clientId: 'console-client-id',
    scope: 'openid profile',
    redirectUri: `${ORIGIN}/console/callback`,
    postLogoutRedirectUri: `${ORIGIN}/console/login`,
  },
};

describe('console sign-in configuration', () => {
  let config: ConfigModule;
  let settings: SettingsModule;
  let oidc: OidcClientModule;
  beforeAll(async () => {
    config = await load<ConfigModule>('config.ts');
    settings = await load<SettingsModule>('auth/oidc-settings.ts');
    oidc = await load<OidcClientModule>('../node_modules/oidc-client-ts/dist/esm/oidc-client-ts.js');
  });

  it('selects OIDC when /config.json says so, and the local 演示登录 otherwise', () => {
    expect(config.parseConfig(AWS_CONFIG)).toEqual({ ...AWS_CONFIG, apiBaseUrl: 'https://abc123.execute-api.ap-east-1.amazonaws.com' });
    expect(config.parseConfig({ apiBaseUrl: '', auth: { kind: 'localDemo' } }).auth).toEqual({ kind: 'localDemo' });
  });

  it.each([
    ['an http authority', { ...AWS_CONFIG.auth, authority: 'http://idp.example' }],
    ['no client id', { ...AWS_CONFIG.auth, clientId: '' }],
    ['an unknown kind', { kind: 'implicit', authority: AWS_CONFIG.auth.authority, clientId: 'x' }],
  ])('falls back to 演示登录 for an OIDC block with %s', (_what, auth) => {
    expect(config.parseConfig({ ...AWS_CONFIG, auth }).auth).toEqual({ kind: 'localDemo' });
  });

  it('builds an authorization code request with an S256 PKCE challenge, state kept in sessionStorage only', async () => {
    const storage = memoryStorage();
    const s = settings.oidcSettings(config.parseConfig(AWS_CONFIG).auth, ORIGIN, storage);
    expect(s).toMatchObject({ response_type: 'code', client_id: 'console-client-id', redirect_uri: `${ORIGIN}/console/callback`, automaticSilentRenew: false });
    const client = new oidc.OidcClient({
      ...s,
      metadata: {
        issuer: AWS_CONFIG.auth.authority,
        authorization_endpoint: 'https://example-domain.auth.ap-east-1.amazoncognito.com/oauth2/authorize',
        token_endpoint: 'https://example-domain.auth.ap-east-1.amazoncognito.com/oauth2/token',
      },
    });
    const req = await client.createSigninRequest({ state: { from: '/console/work' } });
    const url = new URL(req.url);
    expect(url.origin + url.pathname).toBe('https://example-domain.auth.ap-east-1.amazoncognito.com/oauth2/authorize');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('redirect_uri')).toBe(`${ORIGIN}/console/callback`);
    // the verifier waits for the callback in the given storage (sessionStorage in the browser)
    const stored = storage.keys().map((k) => storage.getItem(k) ?? '');
    expect(stored.some((v) => v.includes('code_verifier'))).toBe(true);
  });
});
