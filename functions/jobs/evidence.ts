import { anchorAudit } from '#shared/evidence/audit-anchoring.ts';
import { fixity } from '#shared/evidence/fixity.ts';
import { EVIDENCE_JOBS, type EvidenceJob } from '#shared/evidence/job-support.ts';
import { preservation } from '#shared/evidence/packaging.ts';
import { retentionSweep } from '#shared/evidence/retention-sweep.ts';
import { spotCheck } from '#shared/evidence/spot-check.ts';
import { FIXITY_BUCKETS } from '#shared/evidence/model.ts';
import { logger } from '#shared/http/logger.ts';

/**
 * The nightly evidence jobs, one function (EventBridge Scheduler, infra/aws/evidence-jobs.ts; the
 * embedded platform's local scheduler): `{"job": <name>}` runs one of the jobs listed in
 * shared/evidence/job-support.ts. Optional arguments (operators and tests): `full` (retentionSweep: from
 * the first expiry bucket), `bucket` (fixity: that rota bucket instead of today's), `date`
 * (spotCheck, anchorAudit: that day instead of yesterday). Every job is idempotent, so a retried
 * invocation does no harm.
 */
export type EvidenceJobEvent =
  | { job: 'retentionSweep'; full?: boolean }
  | { job: 'fixity'; bucket?: number }
  | { job: 'preservation' }
  | { job: 'spotCheck'; date?: string }
  | { job: 'anchorAudit'; date?: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const checkEvent = (event: unknown): EvidenceJobEvent => {
  const e = event as Partial<Record<string, unknown>> | null;
  if (!e || typeof e !== 'object' || !(EVIDENCE_JOBS as readonly unknown[]).includes(e.job)) throw new Error(`unknown evidence job ${JSON.stringify(event)}`);
  if (e.date !== undefined && (typeof e.date !== 'string' || !DATE.test(e.date) || Number.isNaN(Date.parse(e.date)))) throw new Error(`date must be YYYY-MM-DD: ${JSON.stringify(e.date)}`);
  if (e.bucket !== undefined && !(Number.isInteger(e.bucket) && (e.bucket as number) >= 0 && (e.bucket as number) < FIXITY_BUCKETS)) {
    throw new Error(`bucket must be an integer 0–${FIXITY_BUCKETS - 1}: ${JSON.stringify(e.bucket)}`);
  }
  if (e.full !== undefined && typeof e.full !== 'boolean') throw new Error('full must be a boolean');
  return e as EvidenceJobEvent;
};

const run = (e: EvidenceJobEvent) => {
  switch (e.job) {
    case 'retentionSweep':
      return retentionSweep({ full: e.full });
    case 'fixity':
      return fixity({ bucket: e.bucket });
    case 'preservation':
      return preservation();
    case 'spotCheck':
      return spotCheck({ date: e.date });
    case 'anchorAudit':
      return anchorAudit({ date: e.date });
  }
};

export const handler = async (event: EvidenceJobEvent) => {
  const e = checkEvent(event);
  const job: EvidenceJob = e.job;
  const started = Date.now();
  const result = await run(e);
  logger.info('evidence job', { job, ms: Date.now() - started, result: result as unknown as Record<string, unknown> });
  return result;
};
