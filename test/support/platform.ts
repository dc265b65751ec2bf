import { randomBytes } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { resetConfig } from '../../shared/config.ts';
import { ensureTable, LOCAL_CREDENTIALS, localDynamoClient } from '../../infra/local/dynamodb.ts';
import { createRouter, type LocalResponse, type Router } from '../../infra/local/router.ts';
import { everyAreaLoader } from '../../infra/local/outbox.ts';
import { localS3Client, objectCreatedEvent } from '../../infra/local/s3.ts';
import { type Claims, claimsFor, createTokenIssuer, type TokenIssuer, type TokenUser } from '../../infra/local/tokens.ts';

/**
 * Helpers for integration tests against the embedded services started once per run by
 * test/support/global-setup.ts:
 *
 * - `freshTable()` — a new, uniquely named archive table (files run in parallel), with
 *   process.env set so the handlers of this worker use it (TABLE_NAME, BUCKET_NAME, endpoints…).
 * - `callRoute(method, path, { token | claims | user, body, headers })` — calls the route's handler
 *   in-process through the same router logic as `npm start` (route matching, JWT check, API
 *   Gateway v2 event), no network.
 * - `tokenFor(user)` — a token of the test issuer that `callRoute` accepts.
 */

export const REGION = 'cn-north-1';

export interface EmbeddedServices {
  dynamoEndpoint: string;
  s3Endpoint: string;
  bucketName: string;
}

export const embedded = (): EmbeddedServices => ({
  dynamoEndpoint: inject('dynamoEndpoint'),
  s3Endpoint: inject('s3Endpoint'),
  bucketName: inject('testBucket'),
});

/** Points this worker's handlers at the embedded services (everything but TABLE_NAME). */
export const useEmbeddedServices = (): EmbeddedServices => {
  const e = embedded();
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: e.dynamoEndpoint,
    S3_ENDPOINT: e.s3Endpoint,
    BUCKET_NAME: e.bucketName,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  });
  resetConfig();
  return e;
};

/** A DynamoDB client for the run's DynamoDB Local (for assertions on stored items). */
export const dynamoClient = () => localDynamoClient(embedded().dynamoEndpoint, REGION);
/** A path-style S3 client for the run's s3rver. */
export const s3Client = () => localS3Client(embedded().s3Endpoint, REGION);

/**
 * Creates a new archive table (createTableInput) with a unique name, makes it this worker's
 * TABLE_NAME and returns the name. Call it in `beforeAll` (or `beforeEach` for full isolation).
 */
export const freshTable = async (prefix = 'archive'): Promise<string> => {
  useEmbeddedServices();
  const name = `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const client = dynamoClient();
  try {
    await ensureTable(client, name);
  } finally {
    client.destroy();
  }
  process.env.TABLE_NAME = name;
  resetConfig();
  return name;
};

/** Drops a table made by freshTable (optional: the in-memory database disappears after the run). */
export const dropTable = async (name: string) => {
  const client = dynamoClient();
  try {
    await client.send(new DeleteTableCommand({ TableName: name }));
  } finally {
    client.destroy();
  }
};

// ---- tokens and in-process routing ----------------------------------------------------------

export const TEST_ISSUER = 'http://127.0.0.1/local-issuer-test';

let issuerPromise: Promise<TokenIssuer> | undefined;
/** The test token issuer (in-memory key, one per worker). */
export const testIssuer = () => (issuerPromise ??= createTokenIssuer({ issuer: TEST_ISSUER }));

/** A signed token for this user that callRoute verifies like API Gateway's authorizer. */
export const tokenFor = async (user: TokenUser, opts?: { lifetimeSeconds?: number }) => (await testIssuer()).issueToken(user, opts);

let routerPromise: Promise<Router> | undefined;
/** The router logic of `npm start`, without the local-only routes (/local/*, /docs). */
export const testRouter = () =>
  (routerPromise ??= testIssuer().then((issuer) => createRouter({ issuer, localRoutes: false, loadHandler: everyAreaLoader(), log: (l) => process.stderr.write(`${l}\n`) })));

export interface CallOptions {
  /** a bearer token (from tokenFor); verified as API Gateway would */
  token?: string | undefined;
  /** skip the token: hand these claims to the function directly */
  claims?: Claims | undefined;
  /** shorthand for `claims: claimsFor(user)` */
  user?: TokenUser | undefined;
  /** an object is sent as JSON (content-type application/json unless headers say otherwise) */
  body?: unknown;
  headers?: Record<string, string> | undefined;
  /** appended as the query string */
  query?: Record<string, string | number | boolean | undefined> | undefined;
}

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  /** the raw body as text */
  text: string;
  /** the body parsed as JSON when it is JSON (problem+json included), else undefined */
  json: any;
  raw: LocalResponse;
}

/**
 * Calls a route in-process: `callRoute('GET', '/officers/01…/file', { user })`. The path is the
 * concrete path (with ids), optionally with a query string.
 */
export const callRoute = async (method: string, path: string, opts: CallOptions = {}): Promise<CallResult> => {
  const router = await testRouter();
  const headers: Record<string, string> = { 'user-agent': 'vitest', host: '127.0.0.1', ...lower(opts.headers) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined;
  if (opts.body !== undefined) {
    if (typeof opts.body === 'string' || Buffer.isBuffer(opts.body)) body = opts.body;
    else {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  let url = path;
  if (opts.query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined) qs.append(k, String(v));
    const s = qs.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  const claims = opts.claims ?? (opts.user ? claimsFor(opts.user) : undefined);
  const raw = await router.dispatch({ method, url, headers, body }, { claims });
  const text = raw.body.toString('utf8');
  let json: unknown;
  if (/json/i.test(raw.headers['content-type'] ?? '') && text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: raw.status, headers: raw.headers, text, json, raw };
};

const lower = (h: Record<string, string> | undefined) => Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

/** An ObjectCreated event as S3 delivers it, for calling functions/events handlers directly. */
export { objectCreatedEvent };
export type { Claims, TokenUser };
