import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../infra/local/dynamodb.ts';
import { type S3Local, startS3Local } from '../../infra/local/s3.ts';

/**
 * The embedded platform's S3 guard (infra/local/s3-guard.ts): the local stand-in for what the
 * product's bucket refuses in AWS — requests without a valid SigV4 signature or presigned query,
 * expired presigned URLs, bodies that do not match their checksums, and a second write to a key
 * under a write-once prefix (the bucket policy's required `If-None-Match: *`, Object Lock's
 * "the verified version stays"). Each refusal is an S3-style XML error with S3's status code;
 * properly signed requests reach s3rver as before.
 */
const BUCKET = 'guarded';
const REGION = 'cn-north-1';
let s3: S3Local;
let dir: string;

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('base64');
const key = (prefix = 'evidence/') => `${prefix}AG/${randomBytes(6).toString('hex')}/original`;
const client = (credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_CREDENTIALS) =>
  new S3Client({ endpoint: s3.endpoint, region: REGION, credentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED', maxAttempts: 1 });
const url = (k: string) => `${s3.endpoint}/${BUCKET}/${k}`;

/** the S3 error code of an XML error body */
const codeOf = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];
const refused = async (res: Response) => ({ status: res.status, code: codeOf(await res.text()), type: res.headers.get('content-type') });
const sdkError = (p: Promise<unknown>) =>
  p.then(
    () => ({ name: 'none', status: 200 }),
    (e: { name: string; $metadata?: { httpStatusCode?: number } }) => ({ name: e.name, status: e.$metadata?.httpStatusCode }),
  );

const presignedPut = (k: string, body: Buffer, opts: { expiresIn?: number; signingDate?: Date; checksum?: Buffer } = {}) =>
  getSignedUrl(
    s3.client,
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: k,
      ContentType: 'video/mp4',
      ContentLength: body.length,
      ChecksumSHA256: (opts.checksum ?? sha256(body)).toString('base64'),
      IfNoneMatch: '*',
    }),
    { expiresIn: opts.expiresIn ?? 300, signingDate: opts.signingDate, signableHeaders: new Set(['content-type', 'x-amz-checksum-sha256', 'if-none-match']) },
  );
const putHeaders = { 'content-type': 'video/mp4', 'if-none-match': '*' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3-guard-'));
  s3 = await startS3Local({ directory: dir, region: REGION, buckets: [{ name: BUCKET, corsOrigins: ['http://127.0.0.1'] }] });
});
afterAll(async () => {
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('properly signed requests pass to s3rver unchanged', () => {
  it('SDK calls and presigned URLs, keys with spaces, plus signs and CJK, a download name in the query', async () => {
    const k = `scratch/a b+c~d/证据 ${randomBytes(3).toString('hex')}.txt`;
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: '内容', ChecksumSHA256: sha256('内容').toString('base64'), ContentMD5: md5('内容') }));
    await s3.client.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: k, Tagging: { TagSet: [{ Key: 'evidence', Value: 'x' }] } }));
    expect(await (await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: k }))).Body!.transformToString()).toBe('内容');
    expect((await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'scratch/a b+c~d/' }))).KeyCount).toBe(1);
    const get = await getSignedUrl(s3.client, new GetObjectCommand({ Bucket: BUCKET, Key: k, ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent('证据.txt')}` }), {
      expiresIn: 60,
    });
    const res = await fetch(get);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('内容');
    // a CORS preflight is answered before authentication, as S3 does
    expect((await fetch(url(k), { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'PUT' } })).status).toBe(200);
  });
});

describe('authentication: only SigV4, as the bucket in AWS (no public access)', () => {
  it('refuses unsigned PUT, GET and DELETE with 403 AccessDenied in S3 XML', async () => {
    const k = key('scratch/');
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: 'kept' }));
    expect(await refused(await fetch(url(key('scratch/')), { method: 'PUT', body: 'x' }))).toMatchObject({ status: 403, code: 'AccessDenied', type: 'application/xml' });
    expect(await refused(await fetch(url(k)))).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await refused(await fetch(url(k), { method: 'DELETE' }))).toMatchObject({ status: 403, code: 'AccessDenied' });
    // nothing happened: the object is still there, as it was
    expect(await (await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: k }))).Body!.transformToString()).toBe('kept');
    // SigV2 (s3rver's own scheme) is not accepted either
    expect((await refused(await fetch(`${url(k)}?AWSAccessKeyId=S3RVER&Expires=9999999999&Signature=x`))).status).toBe(400);
  });

  it('refuses a wrong secret (SignatureDoesNotMatch), an unknown key id, a tampered presigned URL and an expired one', async () => {
    const k = key('scratch/');
    expect(await sdkError(client({ accessKeyId: 'S3RVER', secretAccessKey: 'wrong' }).send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: 'x' })))).toEqual({
      name: 'SignatureDoesNotMatch',
      status: 403,
    });
    expect(await sdkError(client({ accessKeyId: 'NOBODY', secretAccessKey: 'S3RVER' }).send(new ListObjectsV2Command({ Bucket: BUCKET })))).toEqual({ name: 'InvalidAccessKeyId', status: 403 });

    const body = randomBytes(64);
    const good = await presignedPut(k, body);
    const sig = /X-Amz-Signature=([0-9a-f]+)/.exec(good)![1]!;
    const flipped = good.replace(sig, `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`);
    expect(await refused(await fetch(flipped, { method: 'PUT', headers: putHeaders, body }))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    // a signed header dropped by the caller (if-none-match) breaks the signature
    expect(await refused(await fetch(good, { method: 'PUT', headers: { 'content-type': 'video/mp4' }, body }))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    // another key in the same URL
    expect(await refused(await fetch(good.replace(k, key('scratch/')), { method: 'PUT', headers: putHeaders, body }))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    // signed an hour ago for one minute
    const expired = await presignedPut(key('scratch/'), body, { expiresIn: 60, signingDate: new Date(Date.now() - 3_600_000) });
    expect(await refused(await fetch(expired, { method: 'PUT', headers: putHeaders, body }))).toMatchObject({ status: 403, code: 'AccessDenied' });
    const expiredGet = await getSignedUrl(s3.client, new GetObjectCommand({ Bucket: BUCKET, Key: k }), { expiresIn: 60, signingDate: new Date(Date.now() - 3_600_000) });
    expect(await refused(await fetch(expiredGet))).toMatchObject({ status: 403, code: 'AccessDenied' });
    // the untampered URL still works: nothing above was stored
    expect((await fetch(good, { method: 'PUT', headers: putHeaders, body })).status).toBe(200);
  });
});

describe('integrity of what is written', () => {
  it('refuses a body that does not match x-amz-checksum-sha256 (presigned or header), Content-MD5 or the signed payload hash', async () => {
    const body = randomBytes(1024);
    const other = Buffer.from(body);
    other[7]! ^= 1;
    const k = key();
    const presigned = await presignedPut(k, body);
    expect(await refused(await fetch(presigned, { method: 'PUT', headers: putHeaders, body: other }))).toMatchObject({ status: 400, code: 'BadDigest' });
    expect(await sdkError(s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key(), Body: other, ChecksumSHA256: sha256(body).toString('base64'), IfNoneMatch: '*' })))).toEqual({
      name: 'BadDigest',
      status: 400,
    });
    expect(await sdkError(s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key('scratch/'), Body: other, ContentMD5: md5(body) })))).toEqual({ name: 'BadDigest', status: 400 });
    // a body swapped after signing (x-amz-content-sha256 is the hash of the signed body)
    const swap = client();
    const swapBody = (next: (args: { request: { body?: unknown } }) => Promise<unknown>) => async (args: { request: { body?: unknown } }) => {
      args.request.body = other;
      return next(args);
    };
    swap.middlewareStack.addRelativeTo(swapBody as never, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'swapBodyAfterSigning' });
    expect(await sdkError(swap.send(new PutObjectCommand({ Bucket: BUCKET, Key: key('scratch/'), Body: body })))).toEqual({ name: 'XAmzContentSHA256Mismatch', status: 400 });
    // nothing reached the store
    expect((await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: k }))).KeyCount).toBe(0);
    // the right body passes
    expect((await fetch(presigned, { method: 'PUT', headers: putHeaders, body })).status).toBe(200);
  });
});

describe('write-once prefixes (evidence/, attachments/): the stand-in for the bucket policy and Object Lock', () => {
  it('a stored original cannot be overwritten: without If-None-Match 403, with it 412, by a replayed presigned URL 412', async () => {
    const body = randomBytes(256);
    const k = key();
    const presigned = await presignedPut(k, body);
    expect((await fetch(presigned, { method: 'PUT', headers: putHeaders, body })).status).toBe(200);
    const attacker = randomBytes(256);
    expect(await refused(await fetch(presigned, { method: 'PUT', headers: putHeaders, body }))).toMatchObject({ status: 412, code: 'PreconditionFailed' });
    expect(await sdkError(s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: attacker })))).toEqual({ name: 'AccessDenied', status: 403 });
    expect(await sdkError(s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: attacker, IfNoneMatch: '*' })))).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(await sdkError(s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `attachments/${randomBytes(4).toString('hex')}`, Body: attacker })))).toEqual({
      name: 'AccessDenied',
      status: 403,
    });
    const kept = Buffer.from(await (await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: k }))).Body!.transformToByteArray());
    expect(kept.equals(body)).toBe(true);
    // tags are not a write of the object: the ingest tags originals
    await s3.client.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: k, Tagging: { TagSet: [{ Key: 'retention-class', Value: 'routine' }] } }));
    // outside the write-once prefixes S3's ordinary overwrite semantics stay
    const scratch = key('scratch/');
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: scratch, Body: 'a' }));
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: scratch, Body: 'b' }));
  });

  it('multipart: completing over a stored original is 412; a part URL replayed after completion is NoSuchUpload', async () => {
    const k = key();
    const part = randomBytes(5 * 1024 * 1024);
    const { UploadId } = await s3.client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: k }));
    const partUrl = await getSignedUrl(s3.client, new UploadPartCommand({ Bucket: BUCKET, Key: k, UploadId, PartNumber: 1 }), { expiresIn: 300 });
    const put = await fetch(partUrl, { method: 'PUT', body: part });
    expect(put.status).toBe(200);
    const etag = put.headers.get('etag')!;
    // a part list naming an ETag that was not uploaded
    expect(
      await sdkError(s3.client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: k, UploadId, IfNoneMatch: '*', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00"' }] } }))),
    ).toEqual({ name: 'InvalidPart', status: 400 });
    // completing an original needs If-None-Match (the bucket policy)
    expect(await sdkError(s3.client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: k, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: etag }] } })))).toEqual({
      name: 'AccessDenied',
      status: 403,
    });
    await s3.client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: k, UploadId, IfNoneMatch: '*', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: etag }] } }));
    expect(await refused(await fetch(partUrl, { method: 'PUT', body: randomBytes(1024) }))).toMatchObject({ status: 404, code: 'NoSuchUpload' });
    // a second multipart upload to the stored key can be started (S3 allows it) but never completed over it
    const again = await s3.client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: k }));
    const p2 = await s3.client.send(new UploadPartCommand({ Bucket: BUCKET, Key: k, UploadId: again.UploadId, PartNumber: 1, Body: part }));
    expect(
      await sdkError(
        s3.client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: k, UploadId: again.UploadId, IfNoneMatch: '*', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p2.ETag }] } })),
      ),
    ).toEqual({ name: 'PreconditionFailed', status: 412 });
    // an upload id of another key
    expect(await sdkError(s3.client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key(), UploadId: again.UploadId, PartNumber: 2, Body: 'x' })))).toEqual({ name: 'NoSuchUpload', status: 404 });
  }, 30_000);

  it('two concurrent conditional writes of one key: one wins, the other is refused', async () => {
    const k = key();
    const results = await Promise.all([1, 2, 3].map(() => sdkError(s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: randomBytes(2 * 1024 * 1024), IfNoneMatch: '*' })))));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409 || r.status === 412)).toBe(true);
  });
});
