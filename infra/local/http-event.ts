import type { Context } from 'aws-lambda';
import { type RouteGroup, routeKey } from '../../shared/http/contract.ts';
import { newId } from '../../shared/kernel/ids.ts';
import { LOOPBACK } from './net.ts';
import type { Claims } from './tokens.ts';
import type { HttpEvent, LocalRequest } from './local-http.ts';
import type { RouteMatch } from './route-match.ts';

/** The APIGatewayProxyEventV2WithJWTAuthorizer and Lambda context API Gateway would build for a request (infra/local/router.ts). */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');
/** API Gateway's `requestContext.time`, e.g. `12/Mar/2020:19:03:58 +0000`. */
const clfTime = (d: Date) => `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;

/** Content types API Gateway passes as text; everything else arrives base64-encoded. */
const isTextual = (contentType: string | undefined) =>
  !!contentType && /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql)\b|application\/[a-z0-9.+-]+\+(json|xml)\b)/i.test(contentType.trim());

export const normaliseHeaders = (h: LocalRequest['headers']) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    if (v === undefined) continue;
    const key = k.toLowerCase();
    const value = Array.isArray(v) ? v.join(key === 'cookie' ? '; ' : ',') : String(v);
    out[key] = out[key] !== undefined ? `${out[key]},${value}` : value;
  }
  return out;
};

export interface BuiltEvent {
  event: HttpEvent;
  requestId: string;
}

export const buildEvent = (req: LocalRequest, match: RouteMatch, claims: Claims | undefined, now = new Date()): BuiltEvent => {
  const requestId = newId();
  const q = req.url.indexOf('?');
  const rawPath = q === -1 ? req.url : req.url.slice(0, q);
  const rawQueryString = q === -1 ? '' : req.url.slice(q + 1);
  const headers = normaliseHeaders(req.headers);
  const cookies = headers.cookie ? headers.cookie.split(/;\s*/).filter(Boolean) : undefined;
  delete headers.cookie;
  const sourceIp = req.sourceIp ?? LOOPBACK;
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString) {
    queryStringParameters = {};
    for (const [k, v] of new URLSearchParams(rawQueryString)) {
      queryStringParameters[k] = queryStringParameters[k] !== undefined ? `${queryStringParameters[k]},${v}` : v;
    }
  }

  let body: string | undefined;
  let isBase64Encoded = false;
  const raw = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  if (raw && raw.length > 0) {
    if (isTextual(headers['content-type'])) body = raw.toString('utf8');
    else {
      body = raw.toString('base64');
      isBase64Encoded = true;
    }
  }

  const host = headers.host ?? LOOPBACK;
  const event = {
    version: '2.0',
    routeKey: routeKey(match.contract),
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: req.method.toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: routeKey(match.contract),
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
      // the real authorizer only adds this block on routes that have the JWT authorizer
      ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: null } } } : {}),
    },
    ...(Object.keys(match.params).length ? { pathParameters: match.params } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded,
  } as HttpEvent;
  return { event, requestId };
};

export const lambdaContext = (group: RouteGroup, requestId: string, timeoutMs: number): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `local-http-${group}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `local:function:http-${group}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/local/http-${group}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};
