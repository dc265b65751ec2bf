import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import { config } from '../../config.ts';
import { presignPut, s3Client } from './client.ts';

/**
 * The S3 side of evidence: presigned single and multipart uploads (the client sends the bytes
 * straight to S3, no Lambda carries them), reads by version, tags for the lifecycle tiers, and
 * Object Lock — applied only where the bucket has it (the embedded platform's S3 server does not;
 * there the use cases enforce holds and retention on their own, docs/architecture.md §11).
 */
const bucket = () => config().bucketName;

/**
 * The upload URLs of an original live `expiresIn` seconds (D2 uploadUrlMinutes: as long as one
 * upload needs; more part URLs come from GET /evidence/{id}/upload). Why a replay after the upload
 * is refused or harmless, in AWS and locally:
 *  - the single PUT signs `If-None-Match: *` (client.ts presignPut): once the original is stored
 *    S3 answers 412 and writes nothing; the bucket policy denies an original's write without that
 *    header (infra/aws/evidence-store.ts), so the header cannot simply be dropped — it is signed;
 *  - a part URL names its upload id: once the upload is completed (or aborted) S3 answers 404
 *    NoSuchUpload, and the completion itself carries `If-None-Match: *`;
 *  - a presigned URL cannot be revoked, so should anything still write a second version (a
 *    credential with s3:PutObject, say), the verified version stays under Object Lock, every read
 *    names it by VersionId (presignGetVersion), and the ingest treats the second ObjectCreated as
 *    tampering (shared/evidence/tamper.ts);
 *  - the embedded platform's S3 has no versions: its guard (infra/local/s3-guard.ts) enforces the
 *    same conditional writes and upload ids, so the key itself stays the verified object.
 */
export const presignSinglePut = (key: string, contentType: string, size: number, sha256Hex: string, expiresIn: number) => presignPut(key, contentType, size, sha256Hex, expiresIn);

export const startMultipart = async (key: string, contentType: string) => (await s3Client().send(new CreateMultipartUploadCommand({ Bucket: bucket(), Key: key, ContentType: contentType }))).UploadId!;

/** Presigned UploadPart URLs for parts `from`…`from + count - 1` (1-based), each valid `expiresIn` seconds. */
export const presignParts = (key: string, uploadId: string, from: number, count: number, expiresIn: number) =>
  Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      partNumber: from + i,
      url: await getSignedUrl(s3Client(), new UploadPartCommand({ Bucket: bucket(), Key: key, UploadId: uploadId, PartNumber: from + i }), { expiresIn }),
    })),
  );

/** Assembles the parts, only if the key is still empty (`If-None-Match: *`: an original is written once). */
export const completeMultipart = (key: string, uploadId: string, parts: { partNumber: number; etag: string }[]) =>
  s3Client().send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket(),
      Key: key,
      UploadId: uploadId,
      IfNoneMatch: '*',
      MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
    }),
  );

export const abortMultipart = (key: string, uploadId: string) => s3Client().send(new AbortMultipartUploadCommand({ Bucket: bucket(), Key: key, UploadId: uploadId }));

export const headObject = async (key: string) => {
  try {
    const r = await s3Client().send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    return { size: r.ContentLength ?? 0, versionId: r.VersionId, contentType: r.ContentType };
  } catch (e) {
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
};

/** The object's bytes, by version where the bucket has versions. */
export const readObject = async (key: string, versionId?: string | undefined) =>
  (await s3Client().send(new GetObjectCommand({ Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }))).Body as Readable;

/**
 * A presigned GET of the verified version. In a versioned bucket (AWS: versioning and Object Lock)
 * the bare key serves whatever version is current, a stray one included, so a version id is
 * required there; the embedded S3 has no versions and its guard keeps the key itself write-once.
 */
export const presignGetVersion = async (key: string, versionId: string | undefined, expiresIn: number, downloadName?: string) => {
  if (!versionId && (await bucketHasObjectLock())) throw new Error(`no verified version recorded for ${key}: the bare key is never served`);
  return getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: bucket(),
      Key: key,
      ...(versionId ? { VersionId: versionId } : {}),
      ...(downloadName ? { ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(downloadName)}` } : {}),
    }),
    { expiresIn },
  );
};

export const tagObject = (key: string, versionId: string | undefined, tags: Record<string, string>) =>
  s3Client().send(
    new PutObjectTaggingCommand({
      Bucket: bucket(),
      Key: key,
      ...(versionId ? { VersionId: versionId } : {}),
      Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
    }),
  );

let lockSupport: Promise<boolean> | undefined;
/** Whether the bucket has Object Lock (asked once per container). */
export const bucketHasObjectLock = () =>
  (lockSupport ??= s3Client()
    .send(new GetObjectLockConfigurationCommand({ Bucket: bucket() }))
    .then((r) => r.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled')
    .catch((e: unknown) => {
      // "no configuration" (or a server without the API, like the embedded one) means no Object Lock;
      // anything else — AccessDenied above all — must not silently switch the protection off
      const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (err.name === 'ObjectLockConfigurationNotFoundError' || err.name === 'NotImplemented' || err.$metadata?.httpStatusCode === 501) return false;
      lockSupport = undefined;
      throw e;
    }));
export const forgetObjectLockSupport = () => {
  lockSupport = undefined;
};

/**
 * Object Lock on one version: COMPLIANCE retention until `retainUntil` (it can be extended, never
 * shortened, by anyone — D7) and a legal hold while any D4 hold is active. Returns whether the
 * bucket applied it.
 */
export const applyObjectLock = async (key: string, versionId: string | undefined, lock: { retainUntil?: string | undefined; legalHold: boolean }) => {
  if (!(await bucketHasObjectLock())) return false;
  if (lock.retainUntil) {
    await s3Client().send(
      new PutObjectRetentionCommand({
        Bucket: bucket(),
        Key: key,
        VersionId: versionId,
        Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(`${lock.retainUntil}T23:59:59+08:00`) },
      }),
    );
  }
  await s3Client().send(new PutObjectLegalHoldCommand({ Bucket: bucket(), Key: key, VersionId: versionId, LegalHold: { Status: lock.legalHold ? 'ON' : 'OFF' } }));
  return true;
};
