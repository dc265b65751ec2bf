import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { config } from '../config';
import { currentToken, expireSession } from '../auth/session';
import { networkProblem, problemFromResponse } from './problem';
import type { paths } from './schema';

/**
 * The typed API client: openapi-fetch over the types openapi-typescript generated from the API's
 * own OpenAPI document (scripts/write-openapi.ts), so request paths, parameters and bodies are
 * checked against the route contracts at compile time. Responses are still `unknown` in the
 * contracts; the fields the console reads are described in views.ts.
 *
 * `call()` turns the { data, error, response } result into data or a thrown ApiProblem with the
 * API's Chinese message; a 401 ends the session (the login page explains why).
 */
export type ApiClient = Client<paths>;

const bearer: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
};

let client: ApiClient | undefined;

export const api = (): ApiClient => {
  if (!client) {
    client = createClient<paths>({ baseUrl: config().apiBaseUrl });
    client.use(bearer);
  }
  return client;
};

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

export interface WithEtag<T> {
  data: T;
  /** the record's version for If-Match, e.g. `"3"` */
  etag: string;
}

const settle = async (request: Promise<FetchResult>): Promise<FetchResult> => {
  let result: FetchResult;
  try {
    result = await request;
  } catch (e) {
    throw networkProblem(e);
  }
  if (!result.response.ok) {
    if (result.response.status === 401) expireSession('登录已过期或身份令牌无效，请重新登录');
    throw problemFromResponse(result.response, result.error);
  }
  return result;
};

/** `await call<View>(api().GET('/me'))` → the body, or throws ApiProblem. */
export const call = async <T>(request: Promise<FetchResult>): Promise<T> => (await settle(request)).data as T;

/** As `call`, with the ETag the API sent (for the next If-Match). */
export const callWithEtag = async <T>(request: Promise<FetchResult>): Promise<WithEtag<T>> => {
  const r = await settle(request);
  return { data: r.data as T, etag: r.response.headers.get('etag') ?? '' };
};

/** The API's ETag of a record version (for If-Match), as the API writes it: the version in quotes. */
export const etagOf = (version: number) => `"${version}"`;

/** An Idempotency-Key for a create the user may retry (one per form submission). */
export const idempotencyKey = () => crypto.randomUUID();
