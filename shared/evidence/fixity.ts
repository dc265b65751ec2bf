import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, queryAll, tableName } from '../adapters/dynamodb/client.ts';
import { audit, commit } from '../adapters/dynamodb/commit.ts';
import { fixityCheckKey, fixityCheckPartition, fixityRotaPartition } from '../adapters/dynamodb/keys/evidence.ts';
import { isMissingObject } from '../adapters/s3/client.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { DomainError, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { notificationWrites } from '../notify/store.ts';
import { digestStream, type FixityDigest } from '../preservation/digest.ts';
import { itemReport } from '../preservation/four-properties.ts';
import { auditObject, errText, JOB_BUDGET_MS, jobContext, putNew, today } from './job-support.ts';
import { type EvidenceItem, findEvidence, FIXITY_BUCKETS, type FixityMismatchFlag, putEvidence } from './model.ts';
import { protectionOf, REQUIRED_METADATA, streamOriginal } from './originals.ts';

/** The nightly fixity check of today's rota bucket (job 2 of job-support.ts; D7). */

/** The rota bucket of a day: one bucket per day, each every FIXITY_BUCKETS days (≤ a year) whatever the leap years. */
export const fixityBucketOn = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000) % FIXITY_BUCKETS;

export interface FixityCheck {
  checkId: string;
  evidenceId: string;
  agencyId: string;
  at: string;
  bucket: number;
  key: string;
  versionId?: string | undefined;
  ok: boolean;
  /** what the ingest recorded */
  expected: { sha256: string; sm3: string; bytes: number };
  /** what the object holds now; absent when it is gone */
  actual?: FixityDigest | undefined;
  missing?: boolean | undefined;
  /** the storage-stage 四性检测 (DA/T 70) of the item at this check */
  fourProperties?: { overall: boolean; authenticity: boolean; integrity: boolean; usability: boolean; security: boolean } | undefined;
}

const fixityItem = (c: FixityCheck) => ({ ...fixityCheckKey(c.evidenceId, c.at), kind: 'fixityCheck', record: c });

export const fixityChecksOf = (evidenceId: string) =>
  queryAll(
    { TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': fixityCheckPartition(evidenceId) }, ScanIndexForward: false },
    (i) => i.record as FixityCheck,
  );

const checkedOn = async (evidenceId: string, date: string) =>
  (
    (
      await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :d)',
          ExpressionAttributeValues: { ':p': fixityCheckPartition(evidenceId), ':d': date },
          Limit: 1,
          ConsistentRead: true,
        }),
      )
    ).Items ?? []
  ).length > 0;

export interface FixityResult {
  bucket: number;
  items: number;
  checked: number;
  ok: number;
  mismatched: string[];
  alreadyChecked: number;
  skipped: number;
  errors: number;
  incomplete: boolean;
}

/**
 * Today's rota bucket (or `bucket`): each verified original is streamed by its version and hashed
 * (SHA-256 and SM3 in one pass) and compared with what the ingest recorded. Each result is an
 * immutable `FIXITY#<evidenceId>` / `<at>` item with the audit record `evidence.fixity`; a
 * mismatch or a vanished object also flags the record (`fixityMismatch`) and tells the agency's
 * security administrator and leadership. An item already checked today is not checked again (a
 * rerun continues where a run stopped); a read that fails for another reason is audited as failed
 * and left for the rerun.
 */
export const fixity = async (opts: { bucket?: number; budgetMs?: number } = {}): Promise<FixityResult> => {
  const day = today();
  const bucket = opts.bucket ?? fixityBucketOn(day);
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= FIXITY_BUCKETS) throw validationError('jobs.fixityBucket', `巡检分组须为 0–${FIXITY_BUCKETS - 1}`);
  const deadline = Date.now() + (opts.budgetMs ?? JOB_BUDGET_MS);
  const rota = await queryAll({ TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': fixityRotaPartition(bucket) } }, (i) => i.sk as string);
  const r: FixityResult = { bucket, items: rota.length, checked: 0, ok: 0, mismatched: [], alreadyChecked: 0, skipped: 0, errors: 0, incomplete: false };
  for (const evidenceId of rota) {
    if (Date.now() > deadline) {
      r.incomplete = true;
      break;
    }
    const e = await findEvidence(evidenceId, true);
    if (!e || e.status !== 'verified' || !e.sha256 || !e.sm3) {
      r.skipped++; // disposed, or not an original of record
      continue;
    }
    if (await checkedOn(evidenceId, day)) {
      r.alreadyChecked++;
      continue;
    }
    try {
      const check = await checkOne(e, bucket);
      r.checked++;
      if (check.ok) r.ok++;
      else r.mismatched.push(evidenceId);
    } catch (err) {
      r.errors++;
      await audit(jobContext(e.agencyId, 'fixity'), [{ action: 'evidence.fixity', ...auditObject(e), outcome: 'failed', reason: `not checked: ${errText(err)}` }]).catch(() => undefined);
    }
  }
  return r;
};

const checkOne = async (e: EvidenceItem, bucket: number): Promise<FixityCheck> => {
  const ctx = jobContext(e.agencyId, 'fixity');
  let actual: FixityDigest | undefined;
  let missing = false;
  // the first bytes, for the usability (format) check of the storage-stage 四性检测
  const head: { bytes?: Uint8Array } = {};
  try {
    actual = await digestStream(streamOriginal(e, head)());
  } catch (err) {
    if (!isMissingObject(err)) throw err;
    missing = true;
  }
  const at = nowIso(systemClock);
  const ok = !!actual && actual.sha256 === e.sha256 && actual.sm3 === e.sm3 && actual.bytes === e.size;
  // DA/T 70 in storage: authenticity, integrity, usability, security of the item as it is kept
  const report = itemReport(
    {
      id: e.evidenceId,
      title: e.title,
      declared: { sha256: e.sha256, sm3: e.sm3, bytes: e.size, mediaType: e.mediaType },
      ...(actual ? { recomputed: { sha256: actual.sha256, sm3: actual.sm3, bytes: actual.bytes } } : {}),
      metadata: { fields: { title: e.title, ...e.capture, fileName: e.fileName, mediaType: e.mediaType, caseId: e.caseId }, required: REQUIRED_METADATA },
      format: head.bytes?.length ? { firstBytes: head.bytes } : {},
      protection: await protectionOf(e),
    },
    { stage: 'storage', now: new Date(at) },
  );
  const check: FixityCheck = {
    checkId: newId(),
    evidenceId: e.evidenceId,
    agencyId: e.agencyId,
    at,
    bucket,
    key: e.key,
    versionId: e.versionId,
    ok,
    expected: { sha256: e.sha256!, sm3: e.sm3!, bytes: e.size },
    actual,
    missing: missing || undefined,
    fourProperties: { overall: report.overall, authenticity: report.authenticity.pass, integrity: report.integrity.pass, usability: report.usability.pass, security: report.security.pass },
  };
  if (ok) {
    await commit(ctx, [putNew(fixityItem(check))], [{ action: 'evidence.fixity', ...auditObject(e), outcome: 'allowed', reason: 'fixity ok (SHA-256, SM3, size)' }]);
    return check;
  }
  const what = missing
    ? '对象版本已不存在'
    : `SHA-256 登记 ${e.sha256!.slice(0, 16)}…，实际 ${actual!.sha256.slice(0, 16)}…；SM3 ${actual!.sm3 === e.sm3 ? '一致' : '不一致'}；${actual!.bytes} 字节（登记 ${e.size}）`;
  const alert = notificationWrites(
    {
      kind: 'decided',
      agencyId: e.agencyId,
      title: `【告警】原始声像资料固定性校验不符：${e.title}`,
      body: `定期固定性校验发现原始声像资料与入库时登记的摘要不符（${what}）。原件可能已损坏或被篡改（D7），请立即核查存储并保全相关日志。证据编号 ${e.evidenceId}。`,
      recipients: [
        { type: 'role', agencyId: e.agencyId, role: 'secAdmin' },
        { type: 'role', agencyId: e.agencyId, role: 'leadership' },
      ],
    },
    at,
  );
  const flag: FixityMismatchFlag = {
    checkId: check.checkId,
    at,
    expectedSha256: e.sha256!,
    actualSha256: actual?.sha256,
    actualSm3: actual?.sm3,
    actualBytes: actual?.bytes,
    missing: missing || undefined,
  };
  let current: EvidenceItem = e;
  for (let attempt = 1; ; attempt++) {
    const flagged: EvidenceItem = { ...current, fixityMismatch: flag, version: current.version + 1, updatedAt: at };
    try {
      await commit(
        ctx,
        [putEvidence(flagged, current.version), putNew(fixityItem(check)), ...alert.writes],
        [
          {
            action: 'evidence.fixity',
            ...auditObject(e),
            outcome: 'failed',
            reason: missing ? 'fixity: object version missing' : `fixity mismatch: sha256 ${actual!.sha256}, sm3 ${actual!.sm3}, ${actual!.bytes} bytes`,
          },
        ],
      );
      return check;
    } catch (err) {
      // someone changed the record meanwhile (a hold, a link): flag the current version
      if (!(err instanceof DomainError && err.code === 'evidence.versionConflict') || attempt >= 3) throw err;
      current = (await findEvidence(e.evidenceId, true)) ?? current;
    }
  }
};
