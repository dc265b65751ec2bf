import type { S3Event } from 'aws-lambda';
import { evidenceIdOfKey } from '#shared/evidence/model.ts';
import { ingestArrival } from '#shared/evidence/service.ts';
import { logger } from '#shared/http/logger.ts';

/**
 * S3 ObjectCreated on `evidence/`: the ingest of an original (shared/evidence/service.ts
 * ingestArrival) — streamed once, SHA-256 and SM3, quarantine on mismatch. A second write of an
 * ingested key, or a key that belongs to no declaration, is tampering (shared/evidence/tamper.ts):
 * logged as an error, never as routine. Keys arrive URL-encoded.
 */
export interface ArrivalResult {
  key: string;
  evidenceId?: string | undefined;
  outcome: string;
  status?: string | undefined;
  late?: boolean | undefined;
  intact?: boolean | undefined;
  sha256?: string | undefined;
  sm3?: string | undefined;
}

export const handler = async (event: S3Event): Promise<ArrivalResult[]> => {
  const results: ArrivalResult[] = [];
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    if (!key.startsWith('evidence/')) {
      logger.warn('object outside evidence/ ignored', { key });
      continue;
    }
    const { versionId, sequencer, eTag, size } = record.s3.object;
    const evidenceId = evidenceIdOfKey(key);
    const r: ArrivalResult = { key, evidenceId, ...(await ingestArrival(evidenceId, { key, versionId, sequencer, eTag, size })) };
    if (r.outcome === 'tampered' || r.outcome === 'unexpected') logger.error('evidence tampering: unexpected write under evidence/', { ...r });
    else logger.info('evidence ingest', { ...r });
    results.push(r);
  }
  return results;
};
