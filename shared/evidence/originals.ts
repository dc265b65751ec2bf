import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { s3Client } from '../adapters/s3/client.ts';
import { readObject } from '../adapters/s3/evidence.ts';
import { config } from '../config.ts';
import { SNIFF_BYTES } from '../preservation/format.ts';
import type { ItemFacts } from '../preservation/four-properties.ts';
import type { EvidenceItem } from './model.ts';

/**
 * An original as the nightly jobs read it for the four properties (四性检测, DA/T 70): its bytes by
 * version, its storage protection, the metadata it must carry. Fixity (fixity.ts) and packaging
 * (packaging.ts) both check it; every read of the bytes is audited by the caller first.
 */

/** what a packaged item's metadata must hold (完整性: 必备元数据) */
export const REQUIRED_METADATA = ['title', 'officerId', 'deviceId', 'startedAt', 'endedAt', 'place', 'fileName', 'mediaType', 'caseId'] as const;

/** Storage protection of an original's version as S3 reports it (four-properties.ts security checks). */
export const protectionOf = async (e: EvidenceItem): Promise<NonNullable<ItemFacts['protection']>> => {
  const h = await s3Client().send(new HeadObjectCommand({ Bucket: config().bucketName, Key: e.key, ...(e.versionId ? { VersionId: e.versionId } : {}) }));
  return {
    ...(h.ObjectLockMode && h.ObjectLockRetainUntilDate ? { objectLock: { mode: h.ObjectLockMode, retainUntil: h.ObjectLockRetainUntilDate.toISOString() } } : {}),
    legalHold: h.ObjectLockLegalHoldStatus === 'ON',
    legalHoldRequired: e.retention?.legalHold === true,
    encryptionAtRest: h.ServerSideEncryption ?? null,
  };
};

/** The bytes of an original's version, streamed; the first SNIFF_BYTES are kept for the format check. */
export const streamOriginal = (e: EvidenceItem, head: { bytes?: Uint8Array }) =>
  async function* (): AsyncGenerator<Uint8Array> {
    const parts: Uint8Array[] = [];
    let kept = 0;
    for await (const chunk of (await readObject(e.key, e.versionId)) as Readable) {
      const c = chunk as Uint8Array;
      if (kept < SNIFF_BYTES) {
        const take = c.subarray(0, SNIFF_BYTES - kept);
        parts.push(Buffer.from(take));
        kept += take.byteLength;
      }
      yield c;
    }
    head.bytes = Buffer.concat(parts);
  };
