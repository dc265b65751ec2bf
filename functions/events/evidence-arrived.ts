import type { S3Event } from 'aws-lambda';
import { evidenceIdOfKey } from '#shared/evidence/model.ts';
import { ingestArrival } from '#shared/evidence/service.ts';
import { logger } from '#shared/http/logger.ts';

/**
 * S3 ObjectCreated on `evidence/`: the ingest of an original (shared/evidence/service.ts
 * ingestArrival) — streamed once, SHA-256 and SM3, quarantine on mismatch. Keys arrive URL-encoded.
 */
export const handler = async (event: S3Event) => {
  const results = [];
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const evidenceId = evidenceIdOfKey(key);
    if (!evidenceId || !key.startsWith('evidence/')) {
      logger.warn('object outside the evidence layout ignored', { key });
      continue;
    }
    const r = await ingestArrival(evidenceId, { key, versionId: record.s3.object.versionId });
    logger.info('evidence ingest', { evidenceId, ...r });
    results.push({ evidenceId, ...r });
  }
  return results;
};
