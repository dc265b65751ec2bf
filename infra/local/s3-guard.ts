import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { WRITE_ONCE_PREFIXES } from '../../shared/evidence/tiers.ts';
import { type LocalLog, silentLog } from './net.ts';
import { createSigV4Verifier, parseQuery, refuse, type S3Request, S3Refusal } from './s3-sigv4.ts';

/**
 * The embedded platform's S3 guard: what stands in front of s3rver so that the local object store
 * refuses what the product's bucket refuses in AWS (docs/architecture.md; issue 8). s3rver parses SigV4 but
 * verifies nothing, serves anonymous requests, ignores `x-amz-checksum-*`, `Content-MD5` and
 * `If-None-Match`, and lets any key be overwritten. In AWS those requests fail because of S3
 * itself (SigV4, checksums, conditional writes), Block Public Access, the bucket policy
 * (infra/aws/evidence-store.ts: a write under a WRITE_ONCE_PREFIXES prefix without
 * `If-None-Match: *` is denied) and versioning + Object Lock (the verified version of an original is
 * never replaced). Here the guard refuses them, with S3's error codes, status codes and XML body:
 *
 *  - authentication: a SigV4 Authorization header or presigned query, verified by re-signing the
 *    request with the SDK's own signer (@smithy/signature-v4) and the local credentials; anonymous
 *    requests get 403 AccessDenied (no public access), SigV2 400, a wrong signature 403
 *    SignatureDoesNotMatch, an unknown key id 403 InvalidAccessKeyId, an expired presigned URL 403
 *    AccessDenied, a request time off by more than 15 minutes 403 RequestTimeTooSkewed;
 *  - integrity: the body must match `x-amz-content-sha256` (400 XAmzContentSHA256Mismatch),
 *    `Content-MD5` and `x-amz-checksum-{sha256,sha1,crc32}` (400 BadDigest), headers or hoisted
 *    into a presigned query alike; nothing is stored before that is known (the body is buffered);
 *  - conditional writes: `If-None-Match: *` on a PutObject / CompleteMultipartUpload refuses an
 *    existing key (412 PreconditionFailed; a concurrent conditional write of the same key 409
 *    ConditionalRequestConflict); under a write-once prefix a write without it is 403 AccessDenied
 *    and a copy onto it 403/501, as the bucket policy makes S3 answer;
 *  - multipart: a part, completion or abort needs an upload id that exists for that key (404
 *    NoSuchUpload — a part URL replayed after its upload completed), a completion names parts that
 *    were uploaded, in order (400 InvalidPart / InvalidPartOrder).
 *
 * s3rver has no versions: locally the key IS the verified version, which is why the guard refuses
 * every second write of it (in AWS the same replay creates nothing either — 412 — and even a stray
 * version would never be served: reads go by the verified VersionId). Deletes are allowed when
 * signed: in AWS IAM keeps them to the nightly disposition and Object Lock refuses a locked
 * version; locally the product's own disposition rules are the check (shared/evidence/custody.ts).
 * CORS preflights (OPTIONS) pass unsigned, as S3 answers them before authentication.
 */

/** The parts of s3rver's filesystem store the guard reads (existence of a key, the multipart uploads folder). */
export interface GuardedStore {
  existsObject(bucket: string, key: string): Promise<boolean>;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
}

export interface S3GuardOptions {
  store: GuardedStore;
  region: string;
  credentials: readonly { accessKeyId: string; secretAccessKey: string }[];
  /** key prefixes written once (default WRITE_ONCE_PREFIXES) */
  writeOnce?: readonly string[] | undefined;
  now?: (() => Date) | undefined;
  log?: LocalLog | undefined;
}

/** S3's largest single PUT */
const MAX_PUT_BYTES = 5 * 1024 ** 3;
const OBJECT_SUBRESOURCES = ['tagging', 'acl', 'uploadId', 'uploads', 'partNumber', 'retention', 'legal-hold', 'torrent', 'restore', 'select', 'attributes'];
const SUPPORTED_CHECKSUMS: Record<string, (b: Buffer) => string> = {
  'x-amz-checksum-sha256': (b) => createHash('sha256').update(b).digest('base64'),
  'x-amz-checksum-sha1': (b) => createHash('sha1').update(b).digest('base64'),
  'x-amz-checksum-crc32': (b) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32(b) >>> 0);
    return out.toString('base64');
  },
};

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export const createS3Guard = (opts: S3GuardOptions) => {
  const log = opts.log ?? silentLog;
  const now = opts.now ?? (() => new Date());
  const writeOnce = opts.writeOnce ?? WRITE_ONCE_PREFIXES;
  const { verifyHeader, verifyQuery } = createSigV4Verifier({ region: opts.region, credentials: opts.credentials, now });
  /** keys with a conditional write or a completion in flight (S3 answers the loser 409) */
  const writing = new Set<string>();
  /** keys whose new object is still reaching the disk: reads of them wait (see settle) */
  const settling = new Map<string, Promise<void>>();

  const readBody = async (req: IncomingMessage) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_PUT_BYTES) refuse(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };

  const checkBody = (p: S3Request, body: Buffer, payloadHash: string, completion: boolean) => {
    if (/^[0-9a-fA-F]{64}$/.test(payloadHash)) {
      if (createHash('sha256').update(body).digest('hex') !== payloadHash.toLowerCase()) {
        refuse(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
    } else if (payloadHash.startsWith('STREAMING-')) {
      refuse(501, 'NotImplemented', 'aws-chunked uploads are not verified by the embedded S3 guard; send the body in one piece');
    } else if (payloadHash !== 'UNSIGNED-PAYLOAD') {
      refuse(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-…, or a valid sha256 value.');
    }
    const md5 = p.headers['content-md5'];
    if (md5 !== undefined) {
      if (!/^[A-Za-z0-9+/]{22}==$/.test(md5)) refuse(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
      if (createHash('md5').update(body).digest('base64') !== md5) refuse(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    if (completion) return; // a completion's checksums are of the parts (composite), not of this XML body
    const lowerQuery = Object.fromEntries(Object.entries(p.query).map(([k, v]) => [k.toLowerCase(), v]));
    for (const source of [p.headers, lowerQuery]) {
      for (const [name, value] of Object.entries(source)) {
        if (!name.startsWith('x-amz-checksum-') || name === 'x-amz-checksum-type') continue;
        const compute = SUPPORTED_CHECKSUMS[name] ?? refuse(501, 'NotImplemented', `${name} is not verified by the embedded S3 guard`);
        if (compute(body) !== value) refuse(400, 'BadDigest', `The ${name.slice('x-amz-checksum-'.length).toUpperCase()} you specified did not match the calculated checksum.`);
      }
    }
  };

  const uploadDir = (bucket: string, uploadId: string) => {
    if (!/^[0-9a-f]{32}$/.test(uploadId)) return undefined;
    return join(opts.store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  };
  const requireUpload = async (p: S3Request) => {
    const dir = uploadDir(p.bucket, p.query.uploadId ?? '');
    const key = dir ? await readFile(join(dir, 'key'), 'utf8').catch(() => undefined) : undefined;
    if (key !== p.key) refuse(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
    return dir!;
  };
  /** the parts named in a completion exist with those ETags, in order; resolves to the object's size */
  const checkParts = async (dir: string, xml: string) => {
    let last = 0;
    let size = 0;
    for (const part of xml.match(/<Part>[\s\S]*?<\/Part>/g) ?? []) {
      const n = Number(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(part)?.[1]);
      const etag = (/<ETag>([\s\S]*?)<\/ETag>/.exec(part)?.[1] ?? '').replace(/&quot;|"/g, '').trim();
      if (!(n > last)) refuse(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order of the part number.');
      last = n;
      const stored = await readFile(join(dir, `${n}.md5`), 'utf8').catch(() => undefined);
      if (stored === undefined || stored.trim() !== etag)
        refuse(
          400,
          'InvalidPart',
          "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
        );
      size += (await stat(join(dir, String(n)))).size;
    }
    return size;
  };

  /** A PutObject, CopyObject or CompleteMultipartUpload: the conditional-write and write-once rules. Returns the key to release. */
  const checkWrite = async (p: S3Request, kind: 'put' | 'copy' | 'complete') => {
    const inf = p.headers['if-none-match'];
    if (writeOnce.some((prefix) => p.key.startsWith(prefix))) {
      // the bucket policy: explicit deny of an unconditional write (S3 has no conditional copy)
      if (inf === undefined || kind === 'copy') refuse(403, 'AccessDenied', `Access Denied: objects under ${writeOnce.join(', ')} are written once (If-None-Match: * required by the bucket policy)`);
    }
    if (inf === undefined) return undefined;
    if (kind === 'copy' || inf.trim() !== '*') refuse(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented');
    const lock = `${p.bucket}/${p.key}`;
    if (writing.has(lock))
      refuse(
        409,
        'ConditionalRequestConflict',
        'A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.',
      );
    writing.add(lock);
    try {
      if (await opts.store.existsObject(p.bucket, p.key)) refuse(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    } catch (e) {
      writing.delete(lock);
      throw e;
    }
    return lock;
  };

  /** Everything the guard checks; resolves to the request s3rver should see (the original, or one replaying the buffered body). */
  const admit = async (req: IncomingMessage, p: S3Request): Promise<{ request: IncomingMessage; release?: string | undefined; writes?: number | undefined }> => {
    if (p.method === 'OPTIONS') return { request: req };
    let payloadHash: string;
    if (p.headers.authorization !== undefined) {
      if ('X-Amz-Algorithm' in p.query) refuse(400, 'InvalidArgument', 'Only one auth mechanism allowed');
      await verifyHeader(p);
      payloadHash = p.headers['x-amz-content-sha256']!;
    } else if ('X-Amz-Algorithm' in p.query) {
      payloadHash = (await verifyQuery(p)).payload;
    } else if ('Signature' in p.query || 'AWSAccessKeyId' in p.query) {
      return refuse(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
    } else {
      return refuse(403, 'AccessDenied', 'Access Denied');
    }

    const objectRequest = p.bucket !== '' && p.key !== '';
    const has = (q: string) => q in p.query;
    const put = p.method === 'PUT' && objectRequest && !OBJECT_SUBRESOURCES.some(has);
    const copy = put && p.headers['x-amz-copy-source'] !== undefined;
    const part = p.method === 'PUT' && objectRequest && has('uploadId');
    const complete = p.method === 'POST' && objectRequest && has('uploadId');
    if (p.method === 'POST' && !objectRequest && p.bucket !== '' && /multipart\/form-data/i.test(p.headers['content-type'] ?? '')) {
      refuse(403, 'AccessDenied', 'POST Object (browser form upload) is not allowed on this bucket');
    }
    let uploadFolder: string | undefined;
    if (part || complete || (p.method === 'DELETE' && objectRequest && has('uploadId')) || (p.method === 'GET' && objectRequest && has('uploadId'))) {
      uploadFolder = await requireUpload(p);
    }
    const release = put ? await checkWrite(p, copy ? 'copy' : 'put') : complete ? await checkWrite(p, 'complete') : undefined;
    try {
      if (p.method !== 'PUT' && p.method !== 'POST') {
        if (objectRequest && (p.method === 'GET' || p.method === 'HEAD')) await settling.get(`${p.bucket}/${p.key}`);
        return { request: req, release };
      }
      const body = await readBody(req);
      checkBody(p, body, payloadHash, complete);
      const writes = complete ? await checkParts(uploadFolder!, body.toString('utf8')) : put && !copy ? body.length : undefined;
      return { request: replayOf(req, body), release, writes };
    } catch (e) {
      if (release) writing.delete(release);
      throw e;
    }
  };

  const respond = (res: ServerResponse, p: S3Request, e: S3Refusal) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message>` +
      `<Resource>${xmlEscape(p.rawPath)}</Resource><RequestId>${requestId}</RequestId></Error>`;
    res.writeHead(e.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': requestId });
    res.end(p.method === 'HEAD' ? undefined : body);
  };

  /**
   * s3rver answers a write (and emits its ObjectCreated event) once its hashing stream has seen the
   * last byte, before its file write has drained: S3 answers when the object is durable. The answer
   * is held until the file has its full size, and reads of the key wait for it meanwhile.
   */
  const settle = (res: ServerResponse, p: S3Request, size: number) => {
    const lock = `${p.bucket}/${p.key}`;
    const path = opts.store.getResourcePath(p.bucket, p.key, 'object');
    const settled = new Promise<void>((resolve) => {
      const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        const finish = () => {
          end(...args);
          resolve();
        };
        if (res.statusCode >= 300) finish();
        else void onDisk(path, size).then(finish, finish);
        return res;
      }) as typeof res.end;
      res.once('close', () => resolve());
    });
    settling.set(lock, settled);
    void settled.then(() => {
      if (settling.get(lock) === settled) settling.delete(lock);
    });
  };

  /** Wraps s3rver's request listener (its Koa callback). */
  const wrap =
    (inner: RequestListener): RequestListener =>
    (req, res) => {
      const url = req.url ?? '/';
      const at = url.indexOf('?');
      const rawPath = at < 0 ? url : url.slice(0, at);
      let p: S3Request = { method: req.method ?? 'GET', rawPath, query: {}, bucket: '', key: '', headers: {} };
      (async () => {
        try {
          const [, bucket = '', ...key] = rawPath.split('/');
          p = {
            ...p,
            query: parseQuery(at < 0 ? '' : url.slice(at + 1)),
            bucket: decodePath(bucket),
            key: decodePath(key.join('/')),
            headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)])),
          };
          const { request, release, writes } = await admit(req, p);
          if (release) res.once('close', () => writing.delete(release));
          if (writes !== undefined) settle(res, p, writes);
          inner(request, res);
        } catch (e) {
          if (!(e instanceof S3Refusal)) {
            log(`[s3-guard] ${p.method} ${rawPath}: ${(e as Error)?.stack ?? String(e)}`);
            return respond(res, p, new S3Refusal(500, 'InternalError', 'We encountered an internal error. Please try again.'));
          }
          log(`[s3-guard] refused ${p.method} ${rawPath}: ${e.status} ${e.code} ${e.message}`);
          respond(res, p, e);
        }
      })();
    };

  return { wrap };
};

const decodePath = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return refuse(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
};

/** until the file at `path` has `size` bytes (a few seconds at most) */
const onDisk = async (path: string, size: number) => {
  for (let i = 0; i < 1000; i++) {
    if ((await stat(path).catch(() => undefined))?.size === size) return;
    await new Promise((r) => setTimeout(r, 2));
  }
};

/** the slices a replayed body is handed out in, as a socket would */
const REPLAY_CHUNK = 64 * 1024;

/**
 * A request that replays a body the guard has already read (s3rver streams `ctx.req` into its
 * store). The body goes out in socket-sized slices, on demand: s3rver answers as soon as its hashing
 * stream has seen the last byte, before the file write has drained, so one 16 MiB chunk would let
 * the answer (and the ObjectCreated event) overtake the bytes on disk.
 */
const replayOf = (req: IncomingMessage, body: Buffer): IncomingMessage => {
  const replay = new IncomingMessage(req.socket);
  Object.assign(replay, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    complete: true,
  });
  let at = 0;
  replay._read = () => {
    if (at >= body.length) {
      replay.push(null);
      return;
    }
    const end = Math.min(body.length, at + REPLAY_CHUNK);
    const slice = body.subarray(at, end);
    at = end;
    replay.push(slice);
  };
  return replay;
};
