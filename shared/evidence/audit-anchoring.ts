import { bucketHasObjectLock } from '../adapters/s3/evidence.ts';
import { type AnchorResult, anchorAgency } from '../audit/anchor.ts';
import { listAllAgencies } from '../org/store.ts';
import { jobContext, yesterday } from './job-support.ts';
import { retentionEnd, type RetentionPeriod } from './retention.ts';

/**
 * The nightly anchoring of every agency's audit chains (job 5 of job-support.ts), as the evidence
 * jobs' system actor; the anchoring itself is shared/audit/anchor.ts. `date` defaults to
 * yesterday: the job runs just after midnight and anchors the day that ended.
 */

/**
 * How long an anchor stays write-once (COMPLIANCE retention): 30 years, the longest definite period
 * of the archive (国家档案局令第8号 定期30年; D3/D4 defaults). A product constant, not regulation: the
 * anchors protect the audit trail of records kept that long.
 */
export const ANCHOR_RETENTION: RetentionPeriod = { unit: 'years', value: 30 };

export const anchorAudit = async (opts: { date?: string } = {}): Promise<AnchorResult> => {
  const date = opts.date ?? yesterday();
  const out: AnchorResult = { date, written: 0, alreadyAnchored: 0, recovered: 0 };
  const lockable = await bucketHasObjectLock();
  const retainUntil = retentionEnd(date, ANCHOR_RETENTION)!;
  for (const agency of await listAllAgencies()) out[await anchorAgency(jobContext(agency.agencyId, 'anchorAudit'), agency, date, { retainUntil, lockable })]++;
  return out;
};
