import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createLocalJWKSet, errors as joseErrors, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../shared/access/principal.ts';
import { LOOPBACK } from './net.ts';

/**
 * The local token issuer: stands in for the Cognito user pool on `npm start`. It signs RS256 ID
 * tokens with the claims the AWS authorizer passes to the functions (`sub`, `name`,
 * `custom:agencyId`, `custom:unitId`, `custom:officerId`, `cognito:groups` as an array) and
 * publishes its JWKS; the local router verifies every token against that JWKS with the issuer,
 * audience and times checked, as API Gateway's JWT authorizer does (`exp` after, `nbf` and `iat`
 * before the current time, within CLOCK_SKEW_SECONDS). The key pair is kept in the data folder
 * so tokens survive a restart (as long as the API port, part of the issuer URL, stays the same).
 *
 * LOCAL ONLY: anyone who can reach the router can ask `POST /local/token` for a demo user's token.
 */
export const LOCAL_AUDIENCE = 'enforcement-archive-local';
export const TOKEN_LIFETIME_SECONDS = 12 * 3600;
/**
 * Platform setting, not a domain rule: how far the token issuer's clock may run ahead of the
 * verifier's. API Gateway's JWT authorizer refuses a token whose `exp` is not after, or whose `nbf`
 * or `iat` is not before, the current time (UTC), and documents no leeway: the local router allows
 * a freshly issued token's `iat`/`nbf` to be up to a minute ahead and checks `exp` strictly, so a
 * token never lives longer here than its issuer meant.
 */
export const CLOCK_SKEW_SECONDS = 60;
export const issuerUrl = (apiPort: number) => `http://${LOOPBACK}:${apiPort}/local-issuer`;

/** Who a token speaks for: the claims of a Cognito user of the product. */
export interface TokenUser {
  userId: string;
  name?: string | undefined;
  agencyId: string;
  unitId?: string | undefined;
  officerId?: string | undefined;
  roles: readonly Role[];
}

/** A demo user as kept in `<dataDir>/users.json` (written by the seed, read by the issuer). */
export interface DemoUserRecord extends TokenUser {
  name: string;
  roles: Role[];
  agencyName?: string | undefined;
  unitName?: string | undefined;
  post?: string | undefined;
}

export type Claims = Record<string, string | number | boolean | string[]>;

/** The claims the functions receive in `requestContext.authorizer.jwt.claims`. */
export const claimsFor = (user: TokenUser): Claims => {
  const c: Claims = {
    sub: user.userId,
    'cognito:username': user.userId,
    'custom:agencyId': user.agencyId,
    'cognito:groups': [...user.roles],
    token_use: 'id',
  };
  if (user.name) c.name = user.name;
  if (user.unitId) c['custom:unitId'] = user.unitId;
  if (user.officerId) c['custom:officerId'] = user.officerId;
  return c;
};

export interface TokenIssuer {
  issuer: string;
  audience: string;
  jwks: JSONWebKeySet;
  issueToken(user: TokenUser, opts?: IssueOptions): Promise<string>;
  /** verifies signature, issuer, audience, `exp`, and `nbf` and `iat` (within CLOCK_SKEW_SECONDS); resolves to the claims */
  verify(token: string): Promise<JWTPayload>;
}

export interface IssueOptions {
  /** from `iat`; default TOKEN_LIFETIME_SECONDS */
  lifetimeSeconds?: number | undefined;
  /** `iat` in epoch seconds (tests: tokens from a clock that is ahead); default now */
  issuedAt?: number | undefined;
  /** `nbf` in epoch seconds; none by default */
  notBefore?: number | undefined;
}

/**
 * What jwtVerify (run with the skew as clockTolerance, for `nbf`) leaves to us: `iat` after the
 * current time — jose checks it only with maxTokenAge, a bound API Gateway does not have — and `exp`
 * without the tolerance.
 */
const checkTimes = (payload: JWTPayload, skewSeconds: number) => {
  const now = Math.floor(Date.now() / 1000);
  if (payload.exp! <= now) throw new joseErrors.JWTExpired('"exp" claim timestamp check failed', payload, 'exp', 'check_failed');
  if (payload.iat === undefined) return;
  if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) throw new joseErrors.JWTClaimValidationFailed('"iat" claim must be a number', payload, 'iat', 'invalid');
  if (payload.iat > now + skewSeconds) {
    throw new joseErrors.JWTClaimValidationFailed('"iat" claim timestamp check failed (it should be in the past)', payload, 'iat', 'check_failed');
  }
};

/** The Chinese detail of the 401 for a token that failed verification. */
export const tokenErrorDetail = (e: unknown) => {
  if (e instanceof joseErrors.JWTExpired) return '身份令牌已过期，请重新登录';
  if (e instanceof joseErrors.JWTClaimValidationFailed && (e.claim === 'iat' || e.claim === 'nbf')) {
    return '身份令牌的签发时间或生效时间晚于当前时间（超出允许的时钟偏差），请校准时钟后重新登录';
  }
  return '身份令牌无效（签名、签发方或受众不符）';
};

interface KeyFile {
  kid: string;
  alg: 'RS256';
  createdAt: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

const writePrivate = (file: string, content: string) => {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, file);
};

const loadOrCreateKey = async (keyFile: string | undefined): Promise<KeyFile> => {
  if (keyFile && existsSync(keyFile)) {
    const k = JSON.parse(readFileSync(keyFile, 'utf8')) as KeyFile;
    if (k.alg === 'RS256' && k.privateJwk && k.publicJwk && k.kid) return k;
  }
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const kid = randomUUID();
  const k: KeyFile = {
    kid,
    alg: 'RS256',
    createdAt: new Date().toISOString(),
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
  if (keyFile) writePrivate(keyFile, JSON.stringify(k, null, 2));
  return k;
};

/**
 * `keyFile` keeps the key pair across restarts (`<dataDir>/issuer-key.json`); without it the key
 * lives in memory only (tests).
 */
export const createTokenIssuer = async (opts: { issuer: string; audience?: string; keyFile?: string | undefined; clockSkewSeconds?: number }): Promise<TokenIssuer> => {
  const audience = opts.audience ?? LOCAL_AUDIENCE;
  const skew = opts.clockSkewSeconds ?? CLOCK_SKEW_SECONDS;
  const key = await loadOrCreateKey(opts.keyFile);
  const privateKey = await importJWK(key.privateJwk, 'RS256');
  const jwks: JSONWebKeySet = { keys: [key.publicJwk] };
  const keySet = createLocalJWKSet(jwks);
  return {
    issuer: opts.issuer,
    audience,
    jwks,
    issueToken: (user, o = {}) => {
      const iat = o.issuedAt ?? Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ ...claimsFor(user), auth_time: iat })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
        .setIssuer(opts.issuer)
        .setAudience(audience)
        .setSubject(user.userId)
        .setIssuedAt(iat)
        .setJti(randomUUID())
        .setExpirationTime(iat + (o.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS));
      if (o.notBefore !== undefined) jwt.setNotBefore(o.notBefore);
      return jwt.sign(privateKey);
    },
    verify: async (token) => {
      const { payload } = await jwtVerify(token, keySet, { issuer: opts.issuer, audience, algorithms: ['RS256'], requiredClaims: ['sub', 'exp'], clockTolerance: skew });
      checkTimes(payload, skew);
      return payload;
    },
  };
};

// ---- demo users (users.json) ----------------------------------------------------------------

export const usersFile = (dataDir: string) => join(dataDir, 'users.json');

export const readDemoUsers = (dataDir: string | undefined): DemoUserRecord[] => {
  if (!dataDir) return [];
  const file = usersFile(dataDir);
  if (!existsSync(file)) return [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { users?: DemoUserRecord[] };
    return Array.isArray(parsed.users) ? parsed.users : [];
  } catch {
    return [];
  }
};

export const writeDemoUsers = (dataDir: string, users: readonly DemoUserRecord[]) =>
  writePrivate(usersFile(dataDir), `${JSON.stringify({ version: 1, note: '本地演示用户（由 infra/local/seed.ts 生成），仅用于本机 npm start', users }, null, 2)}\n`);
