import { createHmac, createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * SigV4 as S3 checks it, for the embedded platform's S3 guard (infra/local/s3-guard.ts): a request
 * signed in its Authorization header, or presigned in its query, is signed again with the SDK's own
 * signer (@smithy/signature-v4) from what arrived — method, path as sent, query, the headers it
 * names as signed, the payload hash it declares — and the signatures compared. No SigV4 arithmetic
 * is written here; refusals carry S3's error codes and status codes.
 */

/** what the guard reads of a request */
export interface S3Request {
  method: string;
  rawPath: string;
  query: Record<string, string>;
  bucket: string;
  key: string;
  headers: Record<string, string>;
}

export class S3Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
export const refuse = (status: number, code: string, message: string): never => {
  throw new S3Refusal(status, code, message);
};

/** SHA-256 / HMAC-SHA256 over node:crypto in the shape @smithy/signature-v4 asks for (as @smithy/hash-node does). */
class NodeSha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh() {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string' ? this.secret : ArrayBuffer.isView(this.secret) ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength) : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data));
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset() {
    this.hash = this.fresh();
  }
}

const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
const SKEW_MS = 15 * 60_000;
const PRESIGN_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token'];
/** `20261204T142717Z` → Date */
const parseAmzDate = (s: string | undefined) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? '');
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
};
export /** the query as S3 reads it: `+` is a literal plus (not a space), a missing `=` an empty value */
const parseQuery = (raw: string): Record<string, string> => {
  const q: Record<string, string> = {};
  for (const part of raw.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return refuse(400, 'InvalidArgument', 'Invalid query string encoding');
      }
    };
    q[decode(i < 0 ? part : part.slice(0, i))] = i < 0 ? '' : decode(part.slice(i + 1));
  }
  return q;
};
const sameHex = (a: string, b: string) => a.length === b.length && /^[0-9a-f]+$/.test(a) && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const createSigV4Verifier = (opts: { region: string; credentials: readonly { accessKeyId: string; secretAccessKey: string }[]; now: () => Date }) => {
  const now = opts.now;
  const secrets = new Map(opts.credentials.map((c) => [c.accessKeyId, c]));
  const signerFor = (accessKeyId: string) => {
    const credentials = secrets.get(accessKeyId) ?? refuse(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    // S3 signs the path as sent (no second URI encoding)
    return new SignatureV4({ service: 's3', region: opts.region, credentials, sha256: NodeSha256, uriEscapePath: false, applyChecksum: false });
  };
  const checkScope = (scope: string, date: string, paramsError: string) => {
    const [accessKeyId = '', day, region, service, terminator] = scope.split('/');
    if (day !== date.slice(0, 8) || service !== 's3' || terminator !== 'aws4_request') refuse(400, paramsError, `Invalid credential scope ${scope}`);
    if (region !== opts.region) refuse(400, paramsError, `The authorization header is malformed; the region '${region}' is wrong; expecting '${opts.region}'`);
    return accessKeyId;
  };
  const requestOf = (p: S3Request, signed: string[], query: Record<string, string>) => {
    const [hostname = '', port] = (p.headers.host ?? '').split(':');
    const headers: Record<string, string> = {};
    for (const h of signed) {
      const v = p.headers[h] ?? refuse(403, 'SignatureDoesNotMatch', `Signed header ${h} is missing from the request`);
      headers[h] = v;
    }
    return { method: p.method, protocol: 'http:', hostname, port: port ? Number(port) : undefined, path: p.rawPath, query, headers };
  };

  /** SigV4 with an Authorization header: re-sign what arrived and compare. */
  const verifyHeader = async (p: S3Request) => {
    const auth = p.headers.authorization!;
    if (!auth.startsWith('AWS4-HMAC-SHA256 ')) refuse(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
    const fields: Record<string, string | undefined> = Object.fromEntries(
      auth
        .slice(17)
        .split(',')
        .map((f) => f.trim().split('=', 2) as [string, string]),
    );
    const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = fields;
    if (!credential || !signedHeaders || !signature) return refuse(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
    const date = p.headers['x-amz-date'] ?? '';
    const signingDate = parseAmzDate(date) ?? refuse(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
    if (Math.abs(now().getTime() - signingDate.getTime()) > SKEW_MS) refuse(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    if (!p.headers['x-amz-content-sha256']) refuse(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    const signer = signerFor(checkScope(credential, date, 'AuthorizationHeaderMalformed'));
    const signedList = signedHeaders.split(';');
    if (!signedList.includes('host')) refuse(403, 'AccessDenied', 'Host must be a signed header');
    const out = await signer.sign(
      requestOf(
        p,
        signedList.filter((h) => h !== 'x-amz-date'),
        p.query,
      ),
      { signingDate, signableHeaders: new Set(signedList) },
    );
    const expected = /SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(String(out.headers.authorization));
    if (!expected || expected[1] !== signedHeaders || !sameHex(expected[2]!, signature)) {
      refuse(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    }
  };

  /** SigV4 presigned query: expiry first, then re-presign what arrived and compare. */
  const verifyQuery = async (p: S3Request) => {
    const q = p.query;
    if (q['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256') refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    const date = q['X-Amz-Date'] ?? '';
    const signingDate = parseAmzDate(date) ?? refuse(400, 'AuthorizationQueryParametersError', "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    const expiresIn = Number(q['X-Amz-Expires']);
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGNED_SECONDS) refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be between 1 and 604800 seconds');
    const { 'X-Amz-Credential': credential, 'X-Amz-SignedHeaders': signedHeaders, 'X-Amz-Signature': signature } = q;
    if (!credential || !signedHeaders || !signature)
      return refuse(
        400,
        'AuthorizationQueryParametersError',
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      );
    const t = now().getTime();
    if (t > signingDate.getTime() + expiresIn * 1000) refuse(403, 'AccessDenied', 'Request has expired');
    if (signingDate.getTime() > t + SKEW_MS) refuse(403, 'AccessDenied', 'Request is not valid yet');
    const signer = signerFor(checkScope(credential, date, 'AuthorizationQueryParametersError'));
    const signedList = signedHeaders.split(';');
    if (!signedList.includes('host')) refuse(403, 'AccessDenied', 'Host must be a signed header');
    const query = Object.fromEntries(Object.entries(q).filter(([k]) => !PRESIGN_PARAMS.includes(k)));
    const request = requestOf(p, signedList, query);
    // the payload hash of a presigned request: the signed X-Amz-Content-Sha256 parameter, else UNSIGNED-PAYLOAD
    const payload = query['X-Amz-Content-Sha256'];
    if (payload !== undefined) {
      delete query['X-Amz-Content-Sha256'];
      request.headers['X-Amz-Content-Sha256'] = payload; // the signer hoists it back into the query
    }
    const out = await signer.presign(
      { ...request, ...(payload === undefined ? { body: { unsigned: true } } : {}) },
      {
        signingDate,
        expiresIn,
        signableHeaders: new Set(signedList),
        unhoistableHeaders: new Set(signedList.filter((h) => h.startsWith('x-amz-'))),
      },
    );
    if (out.query?.['X-Amz-SignedHeaders'] !== signedHeaders || !sameHex(String(out.query?.['X-Amz-Signature']), signature)) {
      refuse(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    }
    return { payload: payload ?? 'UNSIGNED-PAYLOAD' };
  };

  return { verifyHeader, verifyQuery };
};
