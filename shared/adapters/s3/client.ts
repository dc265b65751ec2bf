import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { config } from '../../config.ts';

/** S3 singleton. `WHEN_REQUIRED` keeps SDK ≥ 3.729 from signing an empty-body CRC32 into presigned URLs (docs/architecture.md §14). */
let s3: S3Client | undefined;
let builtFor: string | undefined;
export const s3Client = () => {
  const c = config();
  const key = `${c.region}|${c.s3Endpoint ?? ''}`;
  if (!s3 || builtFor !== key) {
    s3 = new S3Client({
      region: c.region,
      ...(c.s3Endpoint ? { endpoint: c.s3Endpoint, forcePathStyle: true } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    builtFor = key;
  }
  return s3;
};

export const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/**
 * A presigned PUT that carries the client's SHA-256 (S3 rejects a body that does not match it), its
 * size and `If-None-Match: *`, all signed: S3 writes the key only if nothing is there yet, so the URL
 * stops working once the upload is complete (412; the bucket policy refuses a write under
 * WRITE_ONCE_PREFIXES without the header, shared/evidence/tiers.ts). A presigned URL cannot be
 * revoked, so that and a lifetime no longer than the upload needs are what stop a replay.
 */
export const presignPut = async (key: string, contentType: string, size: number, sha256Hex: string, expiresIn = 900) => {
  const checksum = hexToBase64(sha256Hex);
  const url = await getSignedUrl(
    s3Client(),
    new PutObjectCommand({ Bucket: config().bucketName, Key: key, ContentType: contentType, ContentLength: size, ChecksumSHA256: checksum, IfNoneMatch: '*' }),
    { expiresIn, signableHeaders: new Set(['content-type', 'x-amz-checksum-sha256', 'if-none-match']) },
  );
  return { url, method: 'PUT' as const, headers: { 'content-type': contentType, 'x-amz-checksum-sha256': checksum, 'if-none-match': '*' }, expiresIn };
};

/** A presigned GET, of the version verified when one is known (a later version of the key is never what was verified). */
export const presignGet = (key: string, expiresIn = 300, versionId?: string | undefined) =>
  getSignedUrl(s3Client(), new GetObjectCommand({ Bucket: config().bucketName, Key: key, ...(versionId ? { VersionId: versionId } : {}) }), { expiresIn });

/** Stream the object (a version of it, when named) once and hash it: the server's own verdict on what arrived, and which version that was. */
export const hashObject = async (key: string, versionId?: string | undefined): Promise<{ sha256: string; size: number; versionId?: string | undefined } | undefined> => {
  try {
    const r = await s3Client().send(new GetObjectCommand({ Bucket: config().bucketName, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
    const h = createHash('sha256');
    let size = 0;
    for await (const chunk of r.Body as Readable) {
      h.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { sha256: h.digest('hex'), size, versionId: r.VersionId };
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchKey' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
};

/** S3's HTTP status of a failed call, when it got that far. */
export const s3StatusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
/** S3's answer for a key or version that is not there (GET, HEAD). */
export const isMissingObject = (e: unknown) => ['NoSuchKey', 'NotFound', 'NoSuchVersion'].includes((e as { name?: string }).name ?? '') || s3StatusOf(e) === 404;
