import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type ObjectLockMode,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import { config } from '../config.ts';
import { s3Client } from '../adapters/s3/client.ts';
import { bucketHasObjectLock } from '../adapters/s3/evidence.ts';
import { unsafePathReason } from './bagit.ts';
import type { BagStore } from './store.ts';

/**
 * A BagStore over an S3 prefix of the evidence bucket: `packages/<agencyId>/<packageId>/` (the
 * preservation job, shared/evidence/packaging.ts). Files are streamed both ways: a write of unknown
 * length goes up as a multipart upload one part at a time (bounded memory, never the whole file),
 * a read is the GetObject body. S3 has no directories: `ensureDirectory` writes an empty marker
 * object `<dir>/` (what the S3 console does), which `list` leaves out.
 *
 * Preserved bytes are written once: every write first checks the key is free and sends
 * `If-None-Match: *` (S3 refuses to replace an existing key; the embedded s3rver ignores the header,
 * hence the check). Where the bucket has Object Lock, each object is written with COMPLIANCE
 * retention until `lockUntil` (set at creation, so there is no moment without the lock).
 */
const PART_BYTES = 16 * 1024 * 1024;
/** S3 allows 10,000 parts: parts grow by PART_BYTES every GROW_EVERY parts (5 TiB fits) */
const GROW_EVERY = 1000;

const enoent = (path: string, cause?: unknown) => Object.assign(new Error(`no such file: ${path}`, cause === undefined ? undefined : { cause }), { code: 'ENOENT' });
const eexist = (path: string) => Object.assign(new Error(`file exists: ${path}`), { code: 'EEXIST' });
const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isMissing = (e: unknown) => ['NoSuchKey', 'NotFound'].includes((e as { name?: string }).name ?? '') || statusOf(e) === 404;
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');
const sha256b64 = (b: Uint8Array) => createHash('sha256').update(b).digest('base64');

export interface S3BagStoreOptions {
  /** YYYY-MM-DD: COMPLIANCE retention of every object written, where the bucket has Object Lock */
  lockUntil?: string | undefined;
}

export class S3BagStore implements BagStore {
  /** `packages/<agencyId>/<packageId>/` */
  readonly prefix: string;

  constructor(
    prefix: string,
    readonly options: S3BagStoreOptions = {},
  ) {
    if (!/^packages\/[^/]+\/[^/]+\/$/.test(prefix)) throw new Error(`not a package prefix: ${prefix}`);
    this.prefix = prefix;
  }

  static forPackage(agencyId: string, packageId: string, options?: S3BagStoreOptions) {
    return new S3BagStore(packagePrefix(agencyId, packageId), options);
  }

  /** The S3 key of a bag-relative file path; paths that could leave the bag are refused (RFC 8493 §5.1). */
  keyOf(path: string): string {
    const reason = unsafePathReason(path);
    if (reason) throw Object.assign(new Error(`path escapes the bag: ${JSON.stringify(path)} (${reason})`), { code: 'EBAGPATH' });
    return `${this.prefix}${path}`;
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const r = await s3Client().send(new ListObjectsV2Command({ Bucket: config().bucketName, Prefix: `${this.prefix}${prefix}`, ContinuationToken: token }));
      for (const o of r.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue; // directory markers
        out.push(o.Key.slice(this.prefix.length));
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async *read(path: string): AsyncGenerator<Uint8Array> {
    const Key = this.keyOf(path);
    let body: Readable;
    try {
      body = (await s3Client().send(new GetObjectCommand({ Bucket: config().bucketName, Key }))).Body as Readable;
    } catch (e) {
      if (isMissing(e)) throw enoent(path, e);
      throw e;
    }
    yield* body as AsyncIterable<Uint8Array>;
  }

  async exists(path: string): Promise<boolean> {
    return this.#exists(this.keyOf(path));
  }

  async #exists(Key: string): Promise<boolean> {
    try {
      await s3Client().send(new HeadObjectCommand({ Bucket: config().bucketName, Key }));
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }

  async #lock(): Promise<{ ObjectLockMode: ObjectLockMode; ObjectLockRetainUntilDate: Date } | Record<string, never>> {
    const until = this.options.lockUntil;
    if (!until || !(await bucketHasObjectLock())) return {};
    return { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(`${until}T23:59:59+08:00`) };
  }

  async write(path: string, content: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const Key = this.keyOf(path);
    if (await this.#exists(Key)) throw eexist(path);
    const Bucket = config().bucketName;
    const lock = await this.#lock();
    const putWhole = async (bytes: Uint8Array) => {
      await s3Client().send(new PutObjectCommand({ Bucket, Key, Body: bytes, ContentLength: bytes.byteLength, ChecksumSHA256: sha256b64(bytes), IfNoneMatch: '*', ...lock }));
    };
    if (content instanceof Uint8Array) return putWhole(content);

    // Unknown length: collect one part; if the stream ends first it is a single PUT, else multipart.
    let uploadId: string | undefined;
    const parts: { PartNumber: number; ETag: string }[] = [];
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const partSize = () => PART_BYTES * (1 + Math.floor(parts.length / GROW_EVERY));
    const flush = async (bytes: Uint8Array) => {
      uploadId ??= (await s3Client().send(new CreateMultipartUploadCommand({ Bucket, Key, ...lock }))).UploadId!;
      const PartNumber = parts.length + 1;
      const r = await s3Client().send(new UploadPartCommand({ Bucket, Key, UploadId: uploadId, PartNumber, Body: bytes, ContentLength: bytes.byteLength, ContentMD5: md5(bytes) }));
      parts.push({ PartNumber, ETag: r.ETag! });
    };
    try {
      for await (const chunk of content) {
        let c = chunk;
        while (c.byteLength > 0) {
          const room = partSize() - pendingBytes;
          const take = c.subarray(0, room);
          pending.push(take);
          pendingBytes += take.byteLength;
          c = c.subarray(take.byteLength);
          if (pendingBytes === partSize()) {
            const whole = Buffer.concat(pending);
            pending = [];
            pendingBytes = 0;
            await flush(whole);
          }
        }
      }
      const rest = Buffer.concat(pending);
      if (uploadId === undefined) return await putWhole(rest);
      if (rest.byteLength > 0) await flush(rest);
      await s3Client().send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: parts }, IfNoneMatch: '*' }));
    } catch (e) {
      if (uploadId)
        await s3Client()
          .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId }))
          .catch(() => undefined);
      throw e;
    }
  }

  async ensureDirectory(path: string): Promise<void> {
    const dir = path.replace(/\/+$/, '');
    const Key = `${this.keyOf(dir)}/`;
    if (await this.#exists(Key)) return;
    await s3Client()
      .send(new PutObjectCommand({ Bucket: config().bucketName, Key, Body: new Uint8Array(0), ContentLength: 0, IfNoneMatch: '*' }))
      .catch((e: unknown) => {
        if (statusOf(e) !== 412) throw e; // written meanwhile: a directory is there either way
      });
  }

  /** The marker, else any object below the directory (no MaxKeys: s3rver fails on a truncated V2 listing under Node 22). */
  async hasDirectory(path: string): Promise<boolean> {
    const dir = `${this.keyOf(path.replace(/\/+$/, ''))}/`;
    if (await this.#exists(dir)) return true;
    const r = await s3Client().send(new ListObjectsV2Command({ Bucket: config().bucketName, Prefix: dir }));
    return (r.KeyCount ?? r.Contents?.length ?? 0) > 0;
  }

  /** A presigned GET of one file of the bag (courts and archives download the bag file by file). */
  presignGet(path: string, expiresIn: number): Promise<string> {
    return getSignedUrl(s3Client(), new GetObjectCommand({ Bucket: config().bucketName, Key: this.keyOf(path) }), { expiresIn });
  }
}

/** Where a case's package lives in the evidence bucket. */
export const packagePrefix = (agencyId: string, packageId: string) => `packages/${agencyId}/${packageId}/`;
