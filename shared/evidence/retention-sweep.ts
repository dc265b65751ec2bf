import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { queryAll, tableName } from '../adapters/dynamodb/client.ts';
import { audit, commit } from '../adapters/dynamodb/commit.ts';
import { expiryPartition, sweepCursorKey } from '../adapters/dynamodb/keys/evidence.ts';
import { s3Client, s3StatusOf } from '../adapters/s3/client.ts';
import { bucketHasObjectLock } from '../adapters/s3/evidence.ts';
import { addMonths } from '../calendar/calendar.ts';
import { config } from '../config.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { DomainError } from '../kernel/errors.ts';
import { notificationWrites } from '../notify/store.ts';
import { approvedDispositions, destroy, DISPOSITION_APPROVERS, dispositionRefusal, proposeDisposition, readDisposition } from './custody.ts';
import { errText, getItem, jobContext, today } from './job-support.ts';
import { type EvidenceItem, findEvidence } from './model.ts';

/** The nightly retention sweep and the disposition it carries out (job 1 of job-support.ts; D3, D7). */

const monthsFrom = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(`${m}-01`, 1).slice(0, 7)) out.push(m);
  return out;
};

/**
 * The one delete of the product (docs/security.md §4, infra/aws/access.ts: s3:DeleteObjectVersion on
 * `evidence/` for this function only): the verified version of an original, by its VersionId. In a
 * versioned bucket a delete without a VersionId would only hide the bytes behind a delete marker,
 * so it is refused. Never BypassGovernanceRetention: S3 Object Lock refuses while a retention or a
 * legal hold runs, and that refusal stands.
 */
export const deleteObjectVersion = async (key: string, versionId: string | undefined): Promise<void> => {
  if (!key.startsWith('evidence/')) throw new Error(`refusing to delete outside evidence/: ${key}`);
  if (!versionId && (await bucketHasObjectLock())) throw new Error(`no version id recorded for ${key}: a delete would only add a delete marker`);
  await s3Client().send(new DeleteObjectCommand({ Bucket: config().bucketName, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
};

/** S3's answer to a delete of a version under COMPLIANCE/GOVERNANCE retention or a legal hold. */
const isObjectLockRefusal = (e: unknown) => (e as { name?: string }).name === 'AccessDenied' || s3StatusOf(e) === 403;

/** the first expiry bucket that can exist (the rule versions' earliest effective date) */
export const FIRST_EXPIRY_MONTH = '2000-01';

export interface SweepResult {
  months: { from: string; to: string; count: number };
  candidates: number;
  proposed: number;
  alreadyProposed: number;
  retained: number;
  destroyed: number;
  destructionRefused: number;
  objectLockRefused: number;
  errors: number;
}

/**
 * (a) Proposals: the expiry buckets `EXPIRY#<YYYY-MM>` (model.ts keysOf: verified items with a
 * fixed end and no hold) from the cursor's month to this month, items whose last day to keep is
 * before today. The cursor (`SWEEP#cursor`) is the earliest month that still held an expired item
 * (proposed and waiting for approval, or failed): the months before it were empty, and stay
 * skipped. An item can still land in a month before the cursor — an original captured long ago and
 * stored late, or a hold of a reason the D4 version does not list (it freezes deletion without
 * extending the date) released, which puts the item back into its old bucket — so on the first day
 * of each month, or with `full`, the sweep starts again from FIRST_EXPIRY_MONTH (an empty month is
 * one Query of 0.5 RCU). Keeping an item a little longer is safe; deleting it early is not.
 * (b) Destruction: every approved disposition, re-read, carried out by custody.ts destroy with
 * `deleteVersion` (default deleteObjectVersion; tests stand in S3's Object Lock refusal).
 */
export const retentionSweep = async (opts: { full?: boolean; deleteVersion?: typeof deleteObjectVersion } = {}): Promise<SweepResult> => {
  const day = today();
  const month = day.slice(0, 7);
  const cursor = (await getItem(sweepCursorKey()))?.nextMonth as string | undefined;
  const from = opts.full || day.endsWith('-01') || !cursor ? FIRST_EXPIRY_MONTH : cursor;
  const months = monthsFrom(from, month);
  const result: SweepResult = {
    months: { from, to: month, count: months.length },
    candidates: 0,
    proposed: 0,
    alreadyProposed: 0,
    retained: 0,
    destroyed: 0,
    destructionRefused: 0,
    objectLockRefused: 0,
    errors: 0,
  };
  const proposedBy = new Map<string, number>();
  let firstHeld: string | undefined;

  for (const m of months) {
    const expired = await queryAll(
      {
        TableName: tableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :today',
        ExpressionAttributeValues: { ':p': expiryPartition(m), ':today': day },
      },
      (i) => (i.record as EvidenceItem).evidenceId,
    );
    if (expired.length > 0) firstHeld ??= m;
    for (const evidenceId of expired) {
      result.candidates++;
      try {
        const e = await findEvidence(evidenceId, true); // the index is eventually consistent
        if (!e || dispositionRefusal(e, day)) {
          result.retained++;
          continue;
        }
        if (await readDisposition(evidenceId)) {
          result.alreadyProposed++;
          continue;
        }
        await proposeDisposition(jobContext(e.agencyId, 'retentionSweep'), e);
        result.proposed++;
        proposedBy.set(e.agencyId, (proposedBy.get(e.agencyId) ?? 0) + 1);
      } catch (err) {
        if (err instanceof DomainError && err.code === 'evidence.dispositionExists') {
          result.alreadyProposed++;
          continue;
        }
        result.errors++;
      }
    }
  }

  // the approvers are told once per agency and night (the proposals themselves are audited by custody.ts)
  for (const [agencyId, n] of proposedBy) {
    const at = nowIso(systemClock);
    const note = notificationWrites(
      {
        kind: 'opened',
        agencyId,
        title: `【待审批】${n} 件声像资料保存期限届满，已提出销毁申请`,
        body: `保存期限届满且无长期保存措施的原始声像资料 ${n} 件已提出销毁申请。销毁须经两名不同的审批人员（机关领导或法制部门）批准后，由夜间作业执行并登记销毁清册（D3、D7）。`,
        recipients: DISPOSITION_APPROVERS.map((role) => ({ type: 'role' as const, agencyId, role })),
      },
      at,
    );
    await commit(jobContext(agencyId, 'retentionSweep'), note.writes, [
      { action: 'notification.send', objectType: 'notification', objectId: note.notification.notificationId, objectAgencyId: agencyId, outcome: 'allowed', reason: `${n} disposition proposals` },
    ]);
  }

  await destroyApproved(result, opts.deleteVersion ?? deleteObjectVersion);

  const nextMonth = firstHeld ?? month;
  if (nextMonth !== cursor) {
    await commit(jobContext('system', 'retentionSweep'), [{ item: { Put: { TableName: tableName(), Item: { ...sweepCursorKey(), kind: 'jobCursor', nextMonth, at: nowIso(systemClock) } } } }], []);
  }
  return result;
};

const destroyApproved = async (result: SweepResult, deleteVersion: typeof deleteObjectVersion) => {
  for (const listed of await approvedDispositions()) {
    const d = await readDisposition(listed.evidenceId); // the index is eventually consistent
    if (d?.status !== 'approved') continue;
    const ctx = jobContext(d.agencyId, 'retentionSweep');
    try {
      if (await destroy(d, deleteVersion)) result.destroyed++;
      else result.destructionRefused++;
    } catch (err) {
      const locked = isObjectLockRefusal(err);
      if (locked) result.objectLockRefused++;
      else result.errors++;
      await audit(ctx, [
        {
          action: 'evidence.destroy',
          objectType: 'evidence',
          objectId: d.evidenceId,
          objectAgencyId: d.agencyId,
          outcome: locked ? 'denied' : 'failed',
          reason: locked ? `S3 refused the deletion (Object Lock retention or legal hold still running, or no permission): ${errText(err)}` : `deletion failed: ${errText(err)}`,
        },
      ]);
    }
  }
};
