import type { S3Event } from 'aws-lambda';
import { systemPrincipal } from '#shared/access/principal.ts';
import { verifyArrival } from '#shared/archive/attachments.ts';
import { logger } from '#shared/http/logger.ts';
import { findOfficer } from '#shared/org/store.ts';

/**
 * S3 ObjectCreated on `attachments/<officerId>/<attachmentId>` → verify the hash of what arrived.
 * The same function runs on the local s3rver event. Unknown keys are logged and ignored.
 */
export const handler = async (event: S3Event) => {
  for (const rec of event.Records ?? []) {
    const key = decodeURIComponent(rec.s3.object.key.replace(/\+/g, ' '));
    const m = /^attachments\/([0-9A-HJKMNP-TV-Z]{26})\/([0-9A-HJKMNP-TV-Z]{26})$/.exec(key);
    if (!m) {
      logger.warn('ignoring object outside attachments/', { key });
      continue;
    }
    const [, officerId, attachmentId] = m as unknown as [string, string, string];
    const officer = await findOfficer(officerId);
    const ctx = { principal: systemPrincipal('attachment-ingest', officer?.agencyId ?? 'system'), source: { requestId: rec.responseElements?.['x-amz-request-id'] } };
    try {
      const a = await verifyArrival(ctx, officerId, attachmentId, officer?.agencyId, rec.s3.object.versionId);
      logger.info('attachment verified', { attachmentId, status: a.status });
    } catch (e) {
      logger.warn('attachment not verified', { attachmentId, error: (e as Error).message });
    }
  }
};
