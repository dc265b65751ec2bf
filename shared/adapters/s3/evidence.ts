import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, GetObjectLockConfigurationCommand,
  HeadObjectCommand, PutObjectLegalHoldCommand, PutObjectRetentionCommand, PutObjectTaggingCommand, UploadPartCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import { config } from '../../config.ts';
import { hexToBase64, s3Client } from './client.ts';

/**
 * The S3 side of evidence: presigned single and multipart uploads (the client sends the bytes
 * straight to S3, no Lambda carries them), reads by version, tags for the lifecycle tiers, and
 * Object Lock — applied only where the bucket has it (the embedded platform's S3 server does not;
 * there the use cases enforce holds and retention on their own, DESIGN.md §3).
 */
const bucket = () => config().bucketName;
const UPLOAD_URL_SECONDS = 6 * 3600; // a multi-GB upload over a field connection takes hours

export const presignSinglePut = async (key: string, contentType: string, size: number, sha256Hex: string) => {
  const checksum = hexToBase64(sha256Hex);
  const url = await getSignedUrl(s3Client(), new PutObjectCommand({ Bucket: bucket(), Key: key, ContentType: contentType, ContentLength: size, ChecksumSHA256: checksum }),
    { expiresIn: UPLOAD_URL_SECONDS, signableHeaders: new Set(['content-type', 'x-amz-checksum-sha256']) });
  return { url, method: 'PUT' as const, headers: { 'content-type': contentType, 'x-amz-checksum-sha256': checksum } };
};

export const startMultipart = async (key: string, contentType: string) =>
  (await s3Client().send(new CreateMultipartUploadCommand({ Bucket: bucket(), Key: key, ContentType: contentType }))).UploadId!;

/** Presigned UploadPart URLs for parts `from`…`from + count - 1` (1-based). */
export const presignParts = (key: string, uploadId: string, from: number, count: number) =>
  Promise.all(Array.from({ length: count }, async (_, i) => ({
    partNumber: from + i,
    url: await getSignedUrl(s3Client(), new UploadPartCommand({ Bucket: bucket(), Key: key, UploadId: uploadId, PartNumber: from + i }), { expiresIn: UPLOAD_URL_SECONDS }),
  })));

export const completeMultipart = (key: string, uploadId: string, parts: { partNumber: number; etag: string }[]) =>
  s3Client().send(new CompleteMultipartUploadCommand({
    Bucket: bucket(), Key: key, UploadId: uploadId,
    MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
  }));

export const abortMultipart = (key: string, uploadId: string) =>
  s3Client().send(new AbortMultipartUploadCommand({ Bucket: bucket(), Key: key, UploadId: uploadId }));

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

export const presignGetVersion = (key: string, versionId: string | undefined, expiresIn: number, downloadName?: string) =>
  getSignedUrl(s3Client(), new GetObjectCommand({
    Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}),
    ...(downloadName ? { ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(downloadName)}` } : {}),
  }), { expiresIn });

export const tagObject = (key: string, versionId: string | undefined, tags: Record<string, string>) =>
  s3Client().send(new PutObjectTaggingCommand({
    Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}),
    Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
  }));

let lockSupport: Promise<boolean> | undefined;
/** Whether the bucket has Object Lock (asked once per container). */
export const bucketHasObjectLock = () =>
  (lockSupport ??= s3Client().send(new GetObjectLockConfigurationCommand({ Bucket: bucket() }))
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
    await s3Client().send(new PutObjectRetentionCommand({
      Bucket: bucket(), Key: key, VersionId: versionId,
      Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(`${lock.retainUntil}T23:59:59+08:00`) },
    }));
  }
  await s3Client().send(new PutObjectLegalHoldCommand({ Bucket: bucket(), Key: key, VersionId: versionId, LegalHold: { Status: lock.legalHold ? 'ON' : 'OFF' } }));
  return true;
};
