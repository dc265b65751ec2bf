import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Readable } from 'node:stream';
import type { Principal } from '../access/principal.ts';
import { refuse } from '../access/require-visible.ts';
import { visibilityOf } from '../access/visibility.ts';
import { documentClient, queryAll, tableName } from '../adapters/dynamodb/client.ts';
import { audit, commit, putVersioned, type AuditContext, type DomainWrite } from '../adapters/dynamodb/commit.ts';
import { s3Client } from '../adapters/s3/client.ts';
import { bucketHasObjectLock, readObject } from '../adapters/s3/evidence.ts';
import type { AuditDraft, AuditRecord } from '../audit/record.ts';
import { auditChainIds } from '../audit/shard-store.ts';
import { addCalendarDays, addMonths } from '../calendar/calendar.ts';
import { CASE_KIND_LABELS, type CaseRecord } from '../cases/model.ts';
import { findCase } from '../cases/service.ts';
import { config } from '../config.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, DomainError, forbidden, notFound, validationError } from '../kernel/errors.ts';
import { canonicalJson, GENESIS_HASH, sha256Hex } from '../kernel/hash.ts';
import { newId } from '../kernel/ids.ts';
import { notificationWrites, type NotificationDraft } from '../notify/store.ts';
import { type Agency, findAgency, listAllAgencies } from '../org/store.ts';
import { validateBag, writeBag, type BagProblem, type PayloadFile } from '../preservation/bagit.ts';
import { digestStream, type FixityDigest } from '../preservation/digest.ts';
import { SNIFF_BYTES } from '../preservation/format.ts';
import { itemReport, packageReport, type FourPropertyReport, type ItemFacts } from '../preservation/four-properties.ts';
import { packagePrefix, S3BagStore } from '../preservation/s3-store.ts';
import type { RuleParameters } from '../rules/catalog.ts';
import { ruleInForce } from '../rules/store.ts';
import { approvedDispositions, destroy, DISPOSITION_APPROVERS, dispositionRefusal, proposeDisposition, readDisposition, type CopyRecord } from './custody.ts';
import { type EvidenceItem, findEvidence, type FixityMismatchFlag, FIXITY_BUCKETS, putEvidence } from './model.ts';
import { fixityRotaPartition } from '../adapters/dynamodb/keys/evidence.ts';
import { requireEvidence } from './service.ts';
import { retentionEnd, type RetentionPeriod } from './retention.ts';

/**
 * The scheduled evidence jobs (issue 4), run nightly by EventBridge Scheduler through
 * functions/jobs/evidence.ts (and by the embedded platform's local scheduler):
 *
 * 1. retentionSweep — proposes the disposition of every original whose retention has ended (D3,
 *    the gsi2 expiry buckets), then carries out the dispositions two distinct people approved
 *    (custody.ts destroy: the one code path that deletes an original; S3 Object Lock still has the
 *    last word and a refusal is audited, never forced).
 * 2. fixity — today's rota bucket (model.ts fixityBucketOf): every original re-hashed by version,
 *    SHA-256 and SM3, once a year; a mismatch flags the record and alerts.
 * 3. preservation — every closed case becomes one RFC 8493 BagIt bag under `packages/` (case
 *    form, originals streamed by version, audit trail, PREMIS events), validated and checked for
 *    the four properties (四性检测) at the filing stage, recorded so it is packaged once.
 * 4. spotCheck — the D8 daily draw into the spot-check ledger, deterministic from the date.
 * 5. anchorAudit — every audit chain head of every agency, written once a day to write-once
 *    storage (docs/security.md §3 "Anchoring").
 *
 * Every job is idempotent: EventBridge Scheduler and Lambda's asynchronous retries may run it
 * twice. Every change goes through the one writer (commit.ts) with its audit record; every read of
 * an original's bytes is audited first.
 */

// ---- common ---------------------------------------------------------------------------------------

export const EVIDENCE_JOBS = ['retentionSweep', 'fixity', 'preservation', 'spotCheck', 'anchorAudit'] as const;
export type EvidenceJob = (typeof EVIDENCE_JOBS)[number];

const SYSTEM_USER = 'system:evidence-jobs';
const systemCtx = (agencyId: string, job: EvidenceJob): AuditContext => ({
  principal: { userId: SYSTEM_USER, name: '证据作业', agencyId, roles: [] },
  source: { requestId: `evidence-jobs:${job}` },
});
const today = () => shanghaiDate(systemClock.now());
const yesterday = () => addCalendarDays(today(), -1);
const auditObject = (e: Pick<EvidenceItem, 'evidenceId' | 'agencyId'>) => ({ objectType: 'evidence' as const, objectId: e.evidenceId, objectAgencyId: e.agencyId });
const putNew = (Item: Record<string, unknown>, onConditionFailed?: () => DomainError): DomainWrite => ({
  item: { Put: { TableName: tableName(), Item: JSON.parse(JSON.stringify(Item)) as Record<string, unknown>, ConditionExpression: 'attribute_not_exists(pk)' } },
  ...(onConditionFailed ? { onConditionFailed } : {}),
});
const getItem = async (pk: string, sk: string) =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: { pk, sk }, ConsistentRead: true }))).Item;
const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isMissingObject = (e: unknown) => ['NoSuchKey', 'NotFound', 'NoSuchVersion'].includes((e as { name?: string }).name ?? '') || statusOf(e) === 404;
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** the jobs function runs 15 minutes at most (infra/aws/evidence-jobs.ts): stop starting work before that */
export const JOB_BUDGET_MS = 12 * 60_000;

/** The audit records of one agency's day with one of `actions` (gsi1 AUDITDAY#<agency>#<date>, commit.ts). */
const auditDay = (agencyId: string, date: string, actions: readonly string[]) =>
  queryAll({
    TableName: tableName(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p',
    FilterExpression: `#r.#a IN (${actions.map((_, i) => `:a${i}`).join(', ')}) AND #r.#o = :ok`,
    ExpressionAttributeNames: { '#r': 'record', '#a': 'action', '#o': 'outcome' },
    ExpressionAttributeValues: { ':p': `AUDITDAY#${agencyId}#${date}`, ':ok': 'allowed', ...Object.fromEntries(actions.map((a, i) => [`:a${i}`, a])) },
  }, (i) => i.record as AuditRecord);

/** An object's audit trail (gsi2 AUDITOBJ#<type>#<id>), oldest first. */
const auditTrail = (objectType: AuditDraft['objectType'], objectId: string) =>
  queryAll({ TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': `AUDITOBJ#${objectType}#${objectId}` } }, (i) => i.record as AuditRecord);

/** Audit drafts in chunks that fit one transaction (100 items: the drafts, the head, the domain writes). */
const auditInChunks = async (ctx: AuditContext, drafts: AuditDraft[]) => {
  for (let i = 0; i < drafts.length; i += 40) await audit(ctx, drafts.slice(i, i + 40));
};

const monthsFrom = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(`${m}-01`, 1).slice(0, 7)) out.push(m);
  return out;
};

// ---- 1. retention sweep and disposition ------------------------------------------------------------

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
const isObjectLockRefusal = (e: unknown) => (e as { name?: string }).name === 'AccessDenied' || statusOf(e) === 403;

const SWEEP_CURSOR = { pk: 'SWEEP#cursor', sk: 'retention' };
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
  const cursor = (await getItem(SWEEP_CURSOR.pk, SWEEP_CURSOR.sk))?.nextMonth as string | undefined;
  const from = opts.full || day.endsWith('-01') || !cursor ? FIRST_EXPIRY_MONTH : cursor;
  const months = monthsFrom(from, month);
  const result: SweepResult = { months: { from, to: month, count: months.length }, candidates: 0, proposed: 0, alreadyProposed: 0, retained: 0, destroyed: 0, destructionRefused: 0, objectLockRefused: 0, errors: 0 };
  const proposedBy = new Map<string, number>();
  let firstHeld: string | undefined;

  for (const m of months) {
    const expired = await queryAll({
      TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :today',
      ExpressionAttributeValues: { ':p': `EXPIRY#${m}`, ':today': day },
    }, (i) => (i.record as EvidenceItem).evidenceId);
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
        await proposeDisposition(systemCtx(e.agencyId, 'retentionSweep'), e);
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
    const note = notificationWrites({
      kind: 'opened', agencyId, title: `【待审批】${n} 件声像资料保存期限届满，已提出销毁申请`,
      body: `保存期限届满且无长期保存措施的原始声像资料 ${n} 件已提出销毁申请。销毁须经两名不同的审批人员（机关领导或法制部门）批准后，由夜间作业执行并登记销毁清册（D3、D7）。`,
      recipients: DISPOSITION_APPROVERS.map((role) => ({ type: 'role' as const, agencyId, role })),
    }, at);
    await commit(systemCtx(agencyId, 'retentionSweep'), note.writes, [
      { action: 'notification.send', objectType: 'notification', objectId: note.notification.notificationId, objectAgencyId: agencyId, outcome: 'allowed', reason: `${n} disposition proposals` },
    ]);
  }

  await destroyApproved(result, opts.deleteVersion ?? deleteObjectVersion);

  const nextMonth = firstHeld ?? month;
  if (nextMonth !== cursor) {
    await commit(systemCtx('system', 'retentionSweep'), [{ item: { Put: { TableName: tableName(), Item: { ...SWEEP_CURSOR, kind: 'jobCursor', nextMonth, at: nowIso(systemClock) } } } }], []);
  }
  return result;
};

const destroyApproved = async (result: SweepResult, deleteVersion: typeof deleteObjectVersion) => {
  for (const listed of await approvedDispositions()) {
    const d = await readDisposition(listed.evidenceId); // the index is eventually consistent
    if (d?.status !== 'approved') continue;
    const ctx = systemCtx(d.agencyId, 'retentionSweep');
    try {
      if (await destroy(d, deleteVersion)) result.destroyed++;
      else result.destructionRefused++;
    } catch (err) {
      const locked = isObjectLockRefusal(err);
      if (locked) result.objectLockRefused++;
      else result.errors++;
      await audit(ctx, [{
        action: 'evidence.destroy', objectType: 'evidence', objectId: d.evidenceId, objectAgencyId: d.agencyId, outcome: locked ? 'denied' : 'failed',
        reason: locked ? `S3 refused the deletion (Object Lock retention or legal hold still running, or no permission): ${errText(err)}` : `deletion failed: ${errText(err)}`,
      }]);
    }
  }
};

// ---- 2. fixity ----------------------------------------------------------------------------------------

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


const fixityItem = (c: FixityCheck) => ({ pk: `FIXITY#${c.evidenceId}`, sk: c.at, kind: 'fixityCheck', record: c });

export const fixityChecksOf = (evidenceId: string) =>
  queryAll({ TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `FIXITY#${evidenceId}` }, ScanIndexForward: false }, (i) => i.record as FixityCheck);

const checkedOn = async (evidenceId: string, date: string) =>
  ((await documentClient().send(new QueryCommand({
    TableName: tableName(), KeyConditionExpression: 'pk = :p AND begins_with(sk, :d)', ExpressionAttributeValues: { ':p': `FIXITY#${evidenceId}`, ':d': date }, Limit: 1, ConsistentRead: true,
  }))).Items ?? []).length > 0;

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
      await audit(systemCtx(e.agencyId, 'fixity'), [{ action: 'evidence.fixity', ...auditObject(e), outcome: 'failed', reason: `not checked: ${errText(err)}` }]).catch(() => undefined);
    }
  }
  return r;
};

const checkOne = async (e: EvidenceItem, bucket: number): Promise<FixityCheck> => {
  const ctx = systemCtx(e.agencyId, 'fixity');
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
  const report = itemReport({
    id: e.evidenceId, title: e.title,
    declared: { sha256: e.sha256, sm3: e.sm3, bytes: e.size, mediaType: e.mediaType },
    ...(actual ? { recomputed: { sha256: actual.sha256, sm3: actual.sm3, bytes: actual.bytes } } : {}),
    metadata: { fields: { title: e.title, ...e.capture, fileName: e.fileName, mediaType: e.mediaType, caseId: e.caseId }, required: REQUIRED_METADATA },
    format: head.bytes?.length ? { firstBytes: head.bytes } : {},
    protection: await protectionOf(e),
  }, { stage: 'storage', now: new Date(at) });
  const check: FixityCheck = {
    checkId: newId(), evidenceId: e.evidenceId, agencyId: e.agencyId, at, bucket, key: e.key, versionId: e.versionId, ok,
    expected: { sha256: e.sha256!, sm3: e.sm3!, bytes: e.size }, actual, missing: missing || undefined,
    fourProperties: { overall: report.overall, authenticity: report.authenticity.pass, integrity: report.integrity.pass, usability: report.usability.pass, security: report.security.pass },
  };
  if (ok) {
    await commit(ctx, [putNew(fixityItem(check))], [{ action: 'evidence.fixity', ...auditObject(e), outcome: 'allowed', reason: 'fixity ok (SHA-256, SM3, size)' }]);
    return check;
  }
  const what = missing ? '对象版本已不存在' : `SHA-256 登记 ${e.sha256!.slice(0, 16)}…，实际 ${actual!.sha256.slice(0, 16)}…；SM3 ${actual!.sm3 === e.sm3 ? '一致' : '不一致'}；${actual!.bytes} 字节（登记 ${e.size}）`;
  const alert = notificationWrites({
    kind: 'decided', agencyId: e.agencyId, title: `【告警】原始声像资料固定性校验不符：${e.title}`,
    body: `定期固定性校验发现原始声像资料与入库时登记的摘要不符（${what}）。原件可能已损坏或被篡改（D7），请立即核查存储并保全相关日志。证据编号 ${e.evidenceId}。`,
    recipients: [{ type: 'role', agencyId: e.agencyId, role: 'secAdmin' }, { type: 'role', agencyId: e.agencyId, role: 'leadership' }],
  }, at);
  const flag: FixityMismatchFlag = {
    checkId: check.checkId, at, expectedSha256: e.sha256!, actualSha256: actual?.sha256, actualSm3: actual?.sm3, actualBytes: actual?.bytes, missing: missing || undefined,
  };
  let current: EvidenceItem = e;
  for (let attempt = 1; ; attempt++) {
    const flagged: EvidenceItem = { ...current, fixityMismatch: flag, version: current.version + 1, updatedAt: at };
    try {
      await commit(ctx, [putEvidence(flagged, current.version), putNew(fixityItem(check)), ...alert.writes], [
        { action: 'evidence.fixity', ...auditObject(e), outcome: 'failed', reason: missing ? 'fixity: object version missing' : `fixity mismatch: sha256 ${actual!.sha256}, sm3 ${actual!.sm3}, ${actual!.bytes} bytes` },
      ]);
      return check;
    } catch (err) {
      // someone changed the record meanwhile (a hold, a link): flag the current version
      if (!(err instanceof DomainError && err.code === 'evidence.versionConflict') || attempt >= 3) throw err;
      current = (await findEvidence(e.evidenceId, true)) ?? current;
    }
  }
};

// ---- 3. preservation packages --------------------------------------------------------------------------

export type PackageStatus = 'packaging' | 'packaged' | 'invalid' | 'failed';

export interface PackageRecord {
  caseId: string;
  caseNumber: string;
  agencyId: string;
  packageId: string;
  /** `packages/<agencyId>/<packageId>/` in the evidence bucket */
  prefix: string;
  status: PackageStatus;
  attempts: number;
  claimedAt: string;
  packagedAt?: string | undefined;
  baggingDate?: string | undefined;
  bagInfo?: [string, string][] | undefined;
  /** Payload-Oxum "octets.streams" */
  payloadOxum?: string | undefined;
  /** every tag file (manifests, tag manifests, bagit.txt, bag-info.txt) with its SHA-256 and SM3 */
  tagFiles?: { path: string; bytes: number; sha256: string; sm3: string }[] | undefined;
  evidence?: { evidenceId: string; path: string; bytes: number; sha256: string; sm3: string }[] | undefined;
  /** linked items not packaged (not verified, or derived copies) */
  excluded?: { evidenceId: string; status: string; reason: string }[] | undefined;
  validation?: { complete: boolean; valid: boolean; problems: BagProblem[] } | undefined;
  /** the 四性检测 package report at the filing stage (per-item reports summarised) */
  report?: PackageReportSummary | undefined;
  /** COMPLIANCE retention of the bag's objects, where the bucket has Object Lock */
  lock?: { retainUntil: string; applied: boolean } | null | undefined;
  /** prefixes of earlier attempts that did not complete (left in place: nothing deletes) */
  abandoned: string[];
  error?: string | undefined;
  version: number;
}

type PackageReportSummary = Omit<FourPropertyReport, 'items'> & { items: { id: string; overall: boolean; failed: string[] }[] };

const packageKey = (caseId: string) => ({ pk: `PACKAGE#${caseId}`, sk: 'META' });
const packageItem = (p: PackageRecord) => ({
  ...packageKey(p.caseId), kind: 'package', record: p,
  ...(p.packagedAt ? { gsi1pk: `PACKAGES#${p.agencyId}`, gsi1sk: `${p.packagedAt}#${p.caseId}` } : {}),
});
export const findPackage = async (caseId: string) => (await getItem(packageKey(caseId).pk, packageKey(caseId).sk))?.record as PackageRecord | undefined;

/** a claim older than this is a run that died (the jobs function lives 15 minutes at most) */
const PACKAGING_CLAIM_MS = 30 * 60_000;
const MAX_PACKAGING_ATTEMPTS = 3;
/** what a packaged item's metadata must hold (完整性: 必备元数据) */
const REQUIRED_METADATA = ['title', 'officerId', 'deviceId', 'startedAt', 'endedAt', 'place', 'fileName', 'mediaType', 'caseId'] as const;

const closingStep = (c: CaseRecord) => c.steps.find((s) => s.step === 'closed') ?? c.steps.find((s) => s.step === 'archived');

/** A file name as a bag path segment: no separators, control characters or leading dots (RFC 8493 §5.1). */
export const bagFileName = (name: string) => {
  // eslint-disable-next-line no-control-regex
  let s = name.normalize('NFC').replace(/[\u0000-\u001f\u007f/\\:%]/g, '_').trim();
  if (s === '' || /^[.~]/.test(s)) s = `_${s}`;
  return s.length > 200 ? s.slice(0, 200) : s;
};

/** The case file's own retention end (D3 in force today, counted like retention.ts): the bag's lock. */
const caseFileUntil = async (c: CaseRecord, closedOn: string, on: string): Promise<string | null> => {
  const d3 = (await ruleInForce('D3', c.agencyPath, on)).parameters;
  const period: RetentionPeriod = c.kind === 'penalty' && c.decision?.major.major ? d3.majorPenaltyCaseFile : d3.caseFiles[c.kind];
  const from = d3.caseFileCountFrom === 'yearAfterClose' ? `${closedOn.slice(0, 4)}-12-31` : closedOn;
  return retentionEnd(from, period);
};

/** Storage protection of an original's version as S3 reports it (four-properties.ts security checks). */
const protectionOf = async (e: EvidenceItem): Promise<NonNullable<ItemFacts['protection']>> => {
  const h = await s3Client().send(new HeadObjectCommand({ Bucket: config().bucketName, Key: e.key, ...(e.versionId ? { VersionId: e.versionId } : {}) }));
  return {
    ...(h.ObjectLockMode && h.ObjectLockRetainUntilDate ? { objectLock: { mode: h.ObjectLockMode, retainUntil: h.ObjectLockRetainUntilDate.toISOString() } } : {}),
    legalHold: h.ObjectLockLegalHoldStatus === 'ON',
    legalHoldRequired: e.retention?.legalHold === true,
    encryptionAtRest: h.ServerSideEncryption ?? null,
  };
};

/** The bytes of an original's version, streamed; the first SNIFF_BYTES are kept for the format check. */
const streamOriginal = (e: EvidenceItem, head: { bytes?: Uint8Array }) =>
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

interface PremisEvent {
  eventIdentifier: string;
  eventType: string;
  eventDateTime: string;
  eventDetail: string;
  eventOutcome?: string | undefined;
  linkingAgentIdentifier?: string | undefined;
  linkingObjectIdentifier: string[];
}

/** PREMIS (Data Dictionary 3.0) objects, events and agents, as JSON. */
const premisOf = (c: CaseRecord, items: EvidenceItem[], paths: Map<string, string>, fixityByItem: Map<string, FixityCheck[]>, copiesByItem: Map<string, CopyRecord[]>, pkg: { packageId: string; at: string }) => {
  const events: PremisEvent[] = [];
  for (const e of items) {
    if (e.ingestedAt) {
      events.push({
        eventIdentifier: `ingest:${e.evidenceId}`, eventType: 'ingestion', eventDateTime: e.ingestedAt, linkingAgentIdentifier: 'system:evidence-ingest',
        eventDetail: `入库校验：与声明的 SHA-256 一致，计算 SHA-256 与 SM3${e.late ? '；迟于当日存储时限（D2）' : ''}`, eventOutcome: 'verified', linkingObjectIdentifier: [e.evidenceId],
      });
    }
    for (const f of fixityByItem.get(e.evidenceId) ?? []) {
      events.push({ eventIdentifier: `fixity:${f.checkId}`, eventType: 'fixity check', eventDateTime: f.at, linkingAgentIdentifier: SYSTEM_USER, eventDetail: 'SHA-256、SM3 与字节数复核', eventOutcome: f.ok ? 'pass' : f.missing ? 'missing' : 'fail', linkingObjectIdentifier: [e.evidenceId] });
    }
    for (const h of e.holds) {
      events.push({ eventIdentifier: `hold:${h.holdId}`, eventType: 'policy assignment', eventDateTime: h.placedAt, linkingAgentIdentifier: h.placedBy, eventDetail: `长期保存（D4）：${h.reason}`, eventOutcome: 'placed', linkingObjectIdentifier: [e.evidenceId] });
      if (h.releasedAt) events.push({ eventIdentifier: `hold-release:${h.holdId}`, eventType: 'policy assignment', eventDateTime: h.releasedAt, linkingAgentIdentifier: h.releasedBy, eventDetail: `解除长期保存措施${h.note ? `：${h.note}` : ''}`, eventOutcome: 'released', linkingObjectIdentifier: [e.evidenceId] });
    }
    for (const cp of copiesByItem.get(e.evidenceId) ?? []) {
      events.push({ eventIdentifier: `copy:${cp.copyId}`, eventType: 'replication', eventDateTime: cp.producedAt, linkingAgentIdentifier: cp.producedBy, eventDetail: `向 ${cp.recipient} 提供复制件（D5）：${cp.purpose}，${cp.reference}`, eventOutcome: 'produced', linkingObjectIdentifier: [e.evidenceId] });
    }
  }
  events.push({
    eventIdentifier: `package:${pkg.packageId}`, eventType: 'information package creation', eventDateTime: pkg.at, linkingAgentIdentifier: SYSTEM_USER,
    eventDetail: `结案案卷封装为 BagIt 1.0 信息包（RFC 8493，SHA-256 与 SM3 清单）：案件 ${c.caseNumber}`, linkingObjectIdentifier: [c.caseId, ...items.map((e) => e.evidenceId)],
  });
  events.sort((a, b) => (a.eventDateTime < b.eventDateTime ? -1 : a.eventDateTime > b.eventDateTime ? 1 : 0));
  const agents = [...new Set(events.map((x) => x.linkingAgentIdentifier).filter((x): x is string => !!x))].map((id) => ({
    agentIdentifier: id, agentType: id.startsWith('system:') ? 'software' : 'person',
  }));
  return {
    premisVersion: '3.0',
    objects: [
      { objectIdentifier: { type: 'caseId', value: c.caseId }, objectCategory: 'intellectual entity', title: c.title, caseNumber: c.caseNumber, contentLocation: 'data/case.json' },
      ...items.map((e) => ({
        objectIdentifier: { type: 'evidenceId', value: e.evidenceId }, objectCategory: 'file', originalName: e.fileName, size: e.size,
        fixity: [{ messageDigestAlgorithm: 'SHA-256', messageDigest: e.sha256 }, { messageDigestAlgorithm: 'SM3', messageDigest: e.sm3 }],
        format: { formatName: e.mediaType }, contentLocation: paths.get(e.evidenceId), storageVersionId: e.versionId,
        significantProperties: { kind: e.kind, title: e.title, capture: e.capture, late: e.late ?? false },
        retention: e.retention ? { retentionClass: e.retention.retentionClass, retainUntil: e.retention.retainUntil, atLeastUntil: e.retention.atLeastUntil, rules: e.retention.rules } : undefined,
        ...(e.derivedFrom ? { relationship: { type: 'derivation', ...e.derivedFrom } } : {}),
      })),
    ],
    events,
    agents,
  };
};

export type PackageOutcome = 'packaged' | 'invalid' | 'failed' | 'alreadyPackaged' | 'inProgress' | 'notClosed' | 'missing' | 'gaveUp';

/**
 * One closed case → one bag under `packages/<agencyId>/<packageId>/`:
 *   data/case.json, data/evidence/<evidenceId>/<fileName> (each verified original, streamed by
 *   version), data/audit.json (the audit trail of the case and of each item), data/premis.json;
 *   bag-info: Source-Organization (agency), External-Identifier (case number), Bagging-Date.
 * Claimed first (`PACKAGE#<caseId>`, status packaging) so that two runs never package one case
 * twice; then validated (RFC 8493 §3 over what S3 now holds) and checked for the four properties
 * at the filing stage; the record keeps the manifests' hashes, Payload-Oxum and the report. A bag
 * that does not validate, or a run that fails, is retried with a new package id (the earlier
 * prefix is kept in `abandoned`) up to MAX_PACKAGING_ATTEMPTS times.
 */
export const packageCase = async (caseId: string): Promise<{ outcome: PackageOutcome; packageId?: string; valid?: boolean; error?: string }> => {
  const c = await findCase(caseId, true);
  if (!c) return { outcome: 'missing' };
  const closing = closingStep(c);
  if (!closing) return { outcome: 'notClosed' };
  const existing = await findPackage(caseId);
  const nowMs = systemClock.now().getTime();
  if (existing?.status === 'packaged') return { outcome: 'alreadyPackaged', packageId: existing.packageId };
  if (existing?.status === 'packaging' && Date.parse(existing.claimedAt) > nowMs - PACKAGING_CLAIM_MS) return { outcome: 'inProgress', packageId: existing.packageId };
  if (existing && existing.attempts >= MAX_PACKAGING_ATTEMPTS) return { outcome: 'gaveUp', packageId: existing.packageId };

  const ctx = systemCtx(c.agencyId, 'preservation');
  const caseAudit = (reason: string): AuditDraft => ({ action: 'case.package', objectType: 'case', objectId: c.caseId, objectAgencyId: c.agencyId, outcome: 'allowed', reason });
  const packageId = newId();
  const prefix = packagePrefix(c.agencyId, packageId);
  let claim: PackageRecord = {
    caseId, caseNumber: c.caseNumber, agencyId: c.agencyId, packageId, prefix, status: 'packaging', attempts: (existing?.attempts ?? 0) + 1,
    claimedAt: nowIso(systemClock), abandoned: existing ? [...existing.abandoned, existing.prefix] : [], version: (existing?.version ?? 0) + 1,
  };
  try {
    await commit(ctx, [putVersioned(packageItem(claim), existing?.version, () => conflict('package.claimed', '该案件正在封装'))], [caseAudit(`packaging ${packageId} started (attempt ${claim.attempts})`)]);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'package.claimed') return { outcome: 'inProgress' };
    throw err;
  }

  const finish = async (next: PackageRecord, reason: string, extra: DomainWrite[] = []) => {
    await commit(ctx, [putVersioned(packageItem(next), claim.version, () => conflict('package.claimed', '封装记录已被改动')), ...extra], [caseAudit(reason)]);
    claim = next;
  };

  try {
    const at = systemClock.now();
    const atIso = nowIso(systemClock);
    const day = shanghaiDate(at);
    const agency = await findAgency(c.agencyId);
    const linked = await queryAll({ TableName: tableName(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': `EVIDS#CASE#${caseId}` } }, (i) => (i.record as EvidenceItem).evidenceId);
    const records = (await Promise.all(linked.map((id) => findEvidence(id, true)))).filter((e): e is EvidenceItem => !!e && e.caseId === caseId);
    const items = records.filter((e) => e.status === 'verified' && !e.derivedFrom);
    const excluded = records.filter((e) => !items.includes(e)).map((e) => ({ evidenceId: e.evidenceId, status: e.status, reason: e.derivedFrom ? '派生复制件，不作为原件封装' : `状态为 ${e.status}` }));

    // every read of an original is audited before its bytes are read (fail closed)
    await auditInChunks(ctx, items.map((e) => ({ action: 'evidence.package', ...auditObject(e), outcome: 'allowed' as const, reason: `read for preservation package ${packageId} of case ${c.caseNumber}` })));

    const trail = [...(await auditTrail('case', caseId)), ...(await Promise.all(items.map((e) => auditTrail('evidence', e.evidenceId)))).flat()]
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
    const fixityByItem = new Map(await Promise.all(items.map(async (e) => [e.evidenceId, (await fixityChecksOf(e.evidenceId)).reverse()] as const)));
    const copiesByItem = new Map(await Promise.all(items.map(async (e) => [e.evidenceId, await queryAll({
      TableName: tableName(), KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)', ExpressionAttributeValues: { ':p': `EVID#${e.evidenceId}`, ':c': 'COPY#' },
    }, (i) => i.record as CopyRecord)] as const)));

    const paths = new Map(items.map((e) => [e.evidenceId, `evidence/${e.evidenceId}/${bagFileName(e.fileName)}`]));
    const heads = new Map(items.map((e) => [e.evidenceId, {} as { bytes?: Uint8Array }]));
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    const payload: PayloadFile[] = [
      { path: 'case.json', content: json(c) },
      ...items.map((e) => ({ path: paths.get(e.evidenceId)!, content: streamOriginal(e, heads.get(e.evidenceId)!) })),
      { path: 'audit.json', content: json({ caseId, caseNumber: c.caseNumber, generatedAt: atIso, note: '案件及其声像资料的审计记录（哈希链字段保留，可逐条核验）', records: trail }) },
      { path: 'premis.json', content: json(premisOf(c, items, new Map([...paths].map(([k, v]) => [k, `data/${v}`])), fixityByItem, copiesByItem, { packageId, at: atIso })) },
    ];

    const closedOn = closing.on;
    const lockUntil = await caseFileUntil(c, closedOn, day);
    const store = S3BagStore.forPackage(c.agencyId, packageId, { lockUntil: lockUntil ?? undefined });
    const written = await writeBag(store, payload, {
      sourceOrganization: agency?.name ?? c.agencyId,
      externalIdentifier: c.caseNumber,
      externalDescription: `${CASE_KIND_LABELS[c.kind]}案卷：${c.title}（${closedOn} 结案）`,
      baggingDate: day,
      other: [['Internal-Sender-Identifier', `case:${c.caseId}`], ['Bag-Group-Identifier', `package:${packageId}`]],
    }, { now: at });

    const validation = await validateBag(store);
    const stored = new Map(validation.payload.map((p) => [p.path, p]));
    const itemReports = await Promise.all(items.map(async (e) => {
      const d = stored.get(`data/${paths.get(e.evidenceId)}`);
      return itemReport({
        id: e.evidenceId, title: e.title,
        declared: { sha256: e.sha256, sm3: e.sm3, bytes: e.size, mediaType: e.mediaType },
        ...(d?.digests.sha256 && d.digests.sm3 ? { recomputed: { sha256: d.digests.sha256, sm3: d.digests.sm3, bytes: d.bytes } } : {}),
        metadata: { fields: { title: e.title, ...e.capture, fileName: e.fileName, mediaType: e.mediaType, caseId: e.caseId }, required: REQUIRED_METADATA },
        format: heads.get(e.evidenceId)!.bytes ? { firstBytes: heads.get(e.evidenceId)!.bytes! } : {},
        protection: await protectionOf(e),
      }, { stage: 'filing', now: at });
    }));
    const report = packageReport({ id: packageId, title: `${c.caseNumber} ${c.title}`, bag: validation, items: itemReports, expectedItemCount: items.length }, { stage: 'filing', now: at });
    const summary: PackageReportSummary = {
      ...report,
      items: itemReports.map((i) => ({ id: i.subject.id, overall: i.overall, failed: [i.authenticity, i.integrity, i.usability, i.security].flatMap((p) => p.checks.filter((x) => !x.pass).map((x) => x.id)) })),
    };
    const tag = (f: (typeof written.tagFiles)[number]) => ({ path: f.path, bytes: f.bytes, sha256: f.digests.sha256!, sm3: f.digests.sm3! });
    const next: PackageRecord = {
      ...claim, status: validation.valid ? 'packaged' : 'invalid', packagedAt: atIso, baggingDate: day, bagInfo: written.bagInfo,
      payloadOxum: `${written.oxum.octets}.${written.oxum.streams}`, tagFiles: written.tagFiles.map(tag),
      evidence: items.map((e) => {
        const w = written.payload.find((p) => p.path === `data/${paths.get(e.evidenceId)}`)!;
        return { evidenceId: e.evidenceId, path: w.path, bytes: w.bytes, sha256: w.digests.sha256!, sm3: w.digests.sm3! };
      }),
      excluded, validation: { complete: validation.complete, valid: validation.valid, problems: validation.problems.slice(0, 50) }, report: summary,
      lock: lockUntil ? { retainUntil: lockUntil, applied: await bucketHasObjectLock() } : null,
      version: claim.version + 1,
    };
    const alert = validation.valid ? [] : notificationWrites({
      kind: 'decided', agencyId: c.agencyId, title: `【告警】案卷信息包校验未通过：${c.caseNumber}`,
      body: `案件 ${c.caseNumber} 的 BagIt 信息包写入后校验未通过（${validation.problems.filter((p) => p.severity === 'error').slice(0, 3).map((p) => p.message).join('；')}），下一次作业将重新封装。`,
      recipients: [{ type: 'role', agencyId: c.agencyId, role: 'secAdmin' }],
    }, atIso).writes;
    await finish(next, `package ${packageId} ${validation.valid ? 'valid' : 'INVALID'}: Payload-Oxum ${next.payloadOxum}, four properties ${report.overall ? 'pass' : 'not all pass'}`, alert);
    return { outcome: validation.valid ? 'packaged' : 'invalid', packageId, valid: validation.valid };
  } catch (err) {
    // the last attempt tells the security administrator: nothing retries it after that
    const last = claim.attempts >= MAX_PACKAGING_ATTEMPTS ? notificationWrites({
      kind: 'decided', agencyId: c.agencyId, title: `【告警】案卷信息包封装失败：${c.caseNumber}`,
      body: `案件 ${c.caseNumber} 已 ${claim.attempts} 次封装失败（${errText(err).slice(0, 200)}），不再自动重试，请核查后处理。`,
      recipients: [{ type: 'role', agencyId: c.agencyId, role: 'secAdmin' }],
    }, nowIso(systemClock)).writes : [];
    await finish({ ...claim, status: 'failed', error: errText(err).slice(0, 1000), version: claim.version + 1 }, `package ${packageId} failed: ${errText(err).slice(0, 200)}`, last).catch(() => undefined);
    return { outcome: 'failed', packageId, error: errText(err) };
  }
};

const PRESERVE_CURSOR = (agencyId: string) => ({ pk: 'PRESERVE#cursor', sk: agencyId });

export interface PreservationResult {
  agencies: number;
  closedCases: number;
  packaged: number;
  invalid: number;
  failed: number;
  alreadyPackaged: number;
  other: number;
  incomplete: boolean;
}

/**
 * Cases closed (or archived) since the last run, found through the audit days of each agency
 * (`case.step.closed` / `case.step.archived` records; the case table has no index by state),
 * from the agency's cursor — or its creation — to today. Today is scanned again tomorrow.
 */
export const preservation = async (opts: { budgetMs?: number } = {}): Promise<PreservationResult> => {
  const deadline = Date.now() + (opts.budgetMs ?? JOB_BUDGET_MS);
  const day = today();
  const r: PreservationResult = { agencies: 0, closedCases: 0, packaged: 0, invalid: 0, failed: 0, alreadyPackaged: 0, other: 0, incomplete: false };
  for (const agency of await listAllAgencies()) {
    if (r.incomplete) break;
    r.agencies++;
    const key = PRESERVE_CURSOR(agency.agencyId);
    const start = ((await getItem(key.pk, key.sk))?.nextDay as string | undefined) ?? shanghaiDate(new Date(agency.createdAt));
    const caseIds = new Set<string>();
    for (let d = start; d <= day; d = addCalendarDays(d, 1)) {
      for (const a of await auditDay(agency.agencyId, d, ['case.step.closed', 'case.step.archived'])) caseIds.add(a.objectId);
    }
    let clean = true;
    for (const caseId of caseIds) {
      if (Date.now() > deadline) {
        r.incomplete = true;
        clean = false;
        break;
      }
      r.closedCases++;
      const out = await packageCase(caseId);
      if (out.outcome === 'packaged') r.packaged++;
      else if (out.outcome === 'alreadyPackaged') r.alreadyPackaged++;
      else if (out.outcome === 'invalid') r.invalid++;
      else if (out.outcome === 'failed') r.failed++;
      else r.other++;
      if (out.outcome === 'invalid' || out.outcome === 'failed' || out.outcome === 'inProgress') clean = false;
    }
    if (clean && start !== day) {
      await commit(systemCtx(agency.agencyId, 'preservation'), [{ item: { Put: { TableName: tableName(), Item: { ...key, kind: 'jobCursor', nextDay: day, at: nowIso(systemClock) } } } }], []);
    }
  }
  return r;
};

/** Who may know a case's package exists: shared/access/visibility.ts, row `package`; `allowed` narrows what the action needs. */
const requirePackage = async (ctx: AuditContext, caseId: string, action: string, allowed: (p: Principal, c: CaseRecord) => boolean) => {
  const c = await findCase(caseId);
  const v = visibilityOf('package', ctx.principal, c);
  const object = { action, objectType: 'case' as const, objectId: caseId, objectAgencyId: c?.agencyId };
  const refusal = action === 'case.exportPackage' ? { code: 'package.forbidden', detail: '向人民法院、复议机关或档案馆提供案卷信息包由本机关法制部门统一办理（D5）' } : undefined;
  if (v !== 'read' || !allowed(ctx.principal, c!)) return refuse(ctx, 'package', v === 'read' ? 'forbidden' : v, object, refusal);
  const pkg = await findPackage(caseId);
  if (!pkg || pkg.status !== 'packaged') await refuse(ctx, 'package', 'hidden', { ...object, reason: 'no package yet' });
  return { c: c!, pkg: pkg! };
};

/** The package record of a case (its manifests' hashes, Payload-Oxum, validation, 四性检测 report). */
export const getPackage = async (ctx: AuditContext, caseId: string) => {
  const { c, pkg } = await requirePackage(ctx, caseId, 'case.readPackage', () => true);
  await audit(ctx, [{ action: 'case.readPackage', objectType: 'case', objectId: caseId, objectAgencyId: c.agencyId, outcome: 'allowed' }]);
  return pkg;
};

/**
 * Presigned GET URLs of every file of a case's bag, for a court, a review body or an archives
 * office (D5: provided centrally by the agency's legal department; the bag itself is the copy kept).
 * URL lifetime: D6's presignedUrlSeconds. The export, and each item's content leaving, are audited.
 */
export const exportPackage = async (ctx: AuditContext, caseId: string, request: { recipient: string; purpose: string }) => {
  const { c, pkg } = await requirePackage(ctx, caseId, 'case.exportPackage', (p, cs) => p.agencyId === cs.agencyId && p.roles.includes('legal'));
  const d6 = (await ruleInForce('D6', c.agencyPath, today())).parameters;
  const store = new S3BagStore(pkg.prefix);
  // DA/T 70 at handover: the package is re-validated as it leaves (RFC 8493 complete and valid)
  const validation = await validateBag(store);
  const handover = packageReport({ id: pkg.packageId, title: `${c.caseNumber} ${c.title}`, bag: validation, items: [], expectedItemCount: 0 }, { stage: 'handover', now: systemClock.now() });
  const paths = (await store.list('')).sort();
  const files = await Promise.all(paths.map(async (path) => ({ path, url: await store.presignGet(path, d6.presignedUrlSeconds) })));
  await auditInChunks(ctx, [
    { action: 'case.exportPackage', objectType: 'case', objectId: caseId, objectAgencyId: c.agencyId, outcome: 'allowed', purpose: request.purpose, reason: `package ${pkg.packageId} to ${request.recipient}` },
    ...(pkg.evidence ?? []).map((e) => ({ action: 'evidence.exportPackage', objectType: 'evidence' as const, objectId: e.evidenceId, objectAgencyId: c.agencyId, outcome: 'allowed' as const, purpose: request.purpose, reason: `in package ${pkg.packageId} to ${request.recipient}` })),
  ]);
  return {
    caseId, caseNumber: c.caseNumber, packageId: pkg.packageId, bagInfo: pkg.bagInfo, payloadOxum: pkg.payloadOxum, tagFiles: pkg.tagFiles,
    expiresIn: d6.presignedUrlSeconds, files,
    handover: { bagValid: validation.valid, complete: validation.complete, problems: validation.problems.length, overall: handover.overall, report: handover },
  };
};

// ---- 4. D8 spot checks ------------------------------------------------------------------------------------

export interface SpotCheckCandidate {
  evidenceId: string;
  officerId: string;
}
export interface SpotCheckPick extends SpotCheckCandidate {
  reason: 'dailySample' | 'perOfficerMinimum';
  rank: string;
}

/** D8 daily sample size of a population of `n`: a rate (at least `atLeast`) or a count, never more than there is. */
export const spotCheckSampleSize = (n: number, s: RuleParameters<'D8'>['dailySample']) =>
  Math.min(n, s.mode === 'count' ? s.count : Math.max(s.atLeast, Math.ceil(Number((s.rate * n).toFixed(9)))));

/**
 * The D8 draw, pure: every candidate ranked by SHA-256(seed, id) — the same seed gives the same
 * picks whatever the order the candidates come in — the first `spotCheckSampleSize` taken, then
 * officers still under D8's per-officer minimum for the period (counting `sampledInPeriod`, the
 * picks of the earlier days of the period) topped up from their own items in rank order.
 */
export const sampleSpotChecks = (population: readonly SpotCheckCandidate[], seed: string, d8: RuleParameters<'D8'>, sampledInPeriod: ReadonlyMap<string, number>): SpotCheckPick[] => {
  const unique = [...new Map(population.map((c) => [c.evidenceId, c])).values()];
  const ranked = unique.map((c) => ({ ...c, rank: sha256Hex(`${seed}#${c.evidenceId}`) })).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  const picks: SpotCheckPick[] = ranked.slice(0, spotCheckSampleSize(ranked.length, d8.dailySample)).map((c) => ({ ...c, reason: 'dailySample' as const }));
  const chosen = new Set(picks.map((p) => p.evidenceId));
  for (const officerId of [...new Set(ranked.map((c) => c.officerId))].sort()) {
    let have = (sampledInPeriod.get(officerId) ?? 0) + picks.filter((p) => p.officerId === officerId).length;
    for (const c of ranked) {
      if (have >= d8.perOfficer.minimum) break;
      if (c.officerId !== officerId || chosen.has(c.evidenceId)) continue;
      picks.push({ ...c, reason: 'perOfficerMinimum' });
      chosen.add(c.evidenceId);
      have++;
    }
  }
  return picks;
};

export interface SpotCheckEntry {
  agencyId: string;
  date: string;
  evidenceId: string;
  officerId: string;
  unitId: string;
  title: string;
  capturedAt: string;
  reason: SpotCheckPick['reason'];
  /** assigned by the agency (执法监督) when the playback review is scheduled */
  reviewer: string | null;
  status: 'toReview';
  ruleVersion: string;
  seed: string;
  sampledAt: string;
}
export interface SpotCheckRun {
  agencyId: string;
  date: string;
  population: number;
  sampled: number;
  ruleVersion: string;
  seed: string;
  completedAt: string;
}

const ledgerPk = (agencyId: string, date: string) => `SPOTCHECK#${agencyId}#${date}`;
const runKey = (agencyId: string, date: string) => ({ pk: `SPOTCHECKRUN#${agencyId}`, sk: date });
const spotCheckSeed = (agencyId: string, date: string) => sha256Hex(`D8#${agencyId}#${date}`);

export const spotCheckEntries = (agencyId: string, date: string) =>
  queryAll({ TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': ledgerPk(agencyId, date) }, ConsistentRead: true }, (i) => i.record as SpotCheckEntry);

export interface SpotCheckResult {
  date: string;
  agencies: { agencyId: string; population: number; sampled: number; written: number; alreadyDrawn: boolean }[];
}

/**
 * D8: the spot-check draw of `date` (default: yesterday) for every agency, from the originals the
 * agency verified that day (its `evidence.ingest` audit records), into the ledger
 * `SPOTCHECK#<agencyId>#<date>` / `<evidenceId>` (immutable entries, reviewer to be assigned) and
 * the run record `SPOTCHECKRUN#<agencyId>` / `<date>`. A day already drawn is not drawn again; a
 * run that stopped half-way is finished by the next, which draws the same items.
 */
export const spotCheck = async (opts: { date?: string } = {}): Promise<SpotCheckResult> => {
  const date = opts.date ?? yesterday();
  const out: SpotCheckResult = { date, agencies: [] };
  for (const agency of await listAllAgencies()) out.agencies.push(await spotCheckAgency(agency, date));
  return out;
};

const spotCheckAgency = async (agency: Agency, date: string) => {
  const agencyId = agency.agencyId;
  const key = runKey(agencyId, date);
  const done = (await getItem(key.pk, key.sk))?.record as SpotCheckRun | undefined;
  if (done) return { agencyId, population: done.population, sampled: done.sampled, written: 0, alreadyDrawn: true };
  const ctx = systemCtx(agencyId, 'spotCheck');
  const d8 = await ruleInForce('D8', [agencyId, ...agency.ancestors], date);
  const ids = [...new Set((await auditDay(agencyId, date, ['evidence.ingest'])).map((a) => a.objectId))];
  const items = (await Promise.all(ids.map((id) => findEvidence(id, true))))
    .filter((e): e is EvidenceItem => !!e && e.agencyId === agencyId && e.status === 'verified' && !e.derivedFrom);
  const byId = new Map(items.map((e) => [e.evidenceId, e]));
  // the officers' picks of the earlier days of the D8 period (the day itself excluded: a rerun counts the same)
  const from = addCalendarDays(addMonths(date, -d8.parameters.perOfficer.period.value), 1);
  const officers = [...new Set(items.map((e) => e.capture.officerId))];
  const counts = new Map(await Promise.all(officers.map(async (o) => [o, (await documentClient().send(new QueryCommand({
    TableName: tableName(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :from AND :to', Select: 'COUNT',
    ExpressionAttributeValues: { ':p': `SPOTCHECKS#OFFICER#${o}`, ':from': from, ':to': `${addCalendarDays(date, -1)}~` },
  }))).Count ?? 0] as const)));
  const seed = spotCheckSeed(agencyId, date);
  const picks = sampleSpotChecks(items.map((e) => ({ evidenceId: e.evidenceId, officerId: e.capture.officerId })), seed, d8.parameters, counts);
  const existing = new Set((await spotCheckEntries(agencyId, date)).map((x) => x.evidenceId));
  const at = nowIso(systemClock);
  let written = 0;
  for (const p of picks) {
    if (existing.has(p.evidenceId)) continue;
    const e = byId.get(p.evidenceId)!;
    const entry: SpotCheckEntry = {
      agencyId, date, evidenceId: e.evidenceId, officerId: e.capture.officerId, unitId: e.unitId, title: e.title, capturedAt: e.capture.startedAt,
      reason: p.reason, reviewer: null, status: 'toReview', ruleVersion: d8.versionId, seed, sampledAt: at,
    };
    try {
      await commit(ctx, [putNew({
        pk: ledgerPk(agencyId, date), sk: e.evidenceId, gsi1pk: `SPOTCHECKS#OFFICER#${entry.officerId}`, gsi1sk: `${date}#${e.evidenceId}`, kind: 'spotCheck', record: entry,
      }, () => conflict('spotCheck.exists', '已列入抽检台帐'))], [{ action: 'evidence.spotCheckSampled', ...auditObject(e), outcome: 'allowed', reason: `D8 ${p.reason} (${d8.versionId}) for ${date}` }]);
      written++;
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'spotCheck.exists')) throw err;
    }
  }
  const run: SpotCheckRun = { agencyId, date, population: items.length, sampled: picks.length, ruleVersion: d8.versionId, seed, completedAt: at };
  const tell = picks.length === 0 ? [] : notificationWrites({
    kind: 'opened', agencyId, title: `【抽检】${date} 声像资料抽检台帐：${picks.length} 条待指定检查人员`,
    body: `按 D8（${d8.versionId}）自 ${date} 存储的 ${items.length} 条声像资料中抽取 ${picks.length} 条（含每名执法人员每期最低抽检数），请指定回放检查人员并登记检查结果。`,
    recipients: [{ type: 'role', agencyId, role: 'supervision' }],
  } satisfies NotificationDraft, at).writes;
  try {
    await commit(ctx, [putNew({ ...key, kind: 'spotCheckRun', record: run }, () => conflict('spotCheck.drawn', '当日已抽检')), ...tell], [
      { action: 'evidence.spotCheckDraw', objectType: 'agency', objectId: agencyId, objectAgencyId: agencyId, outcome: 'allowed', reason: `D8 ${date}: ${picks.length} of ${items.length}` },
    ]);
  } catch (err) {
    if (!(err instanceof DomainError && err.code === 'spotCheck.drawn')) throw err;
    return { agencyId, population: items.length, sampled: picks.length, written, alreadyDrawn: true };
  }
  return { agencyId, population: items.length, sampled: picks.length, written, alreadyDrawn: false };
};

const LEDGER_READERS = ['leadership', 'supervision', 'discipline'] as const;
/** The ledger of a day (read by the agency's leadership, supervision, discipline; superiors' leadership and supervision). */
export const spotCheckLedger = async (ctx: AuditContext, agencyId: string, date: string) => {
  const p = ctx.principal;
  const agency = await findAgency(agencyId);
  const inTree = !!agency && (agency.agencyId === p.agencyId || agency.ancestors.includes(p.agencyId));
  const may = inTree && (p.agencyId === agencyId ? p.roles.some((r) => (LEDGER_READERS as readonly string[]).includes(r)) : p.roles.some((r) => r === 'leadership' || r === 'supervision'));
  if (!may) {
    await audit(ctx, [{ action: 'evidence.spotCheckLedger', objectType: 'agency', objectId: agencyId, objectAgencyId: agency?.agencyId, outcome: inTree ? 'denied' : 'notFound' }]);
    if (!inTree) throw notFound('agency.notFound', '机关不存在或无权访问');
    throw forbidden('spotCheck.forbidden', '抽检台帐由机关领导、执法监督、纪检监察部门查看');
  }
  const key = runKey(agencyId, date);
  const run = (await getItem(key.pk, key.sk))?.record as SpotCheckRun | undefined;
  const items = await spotCheckEntries(agencyId, date);
  await audit(ctx, [{ action: 'evidence.spotCheckLedger', objectType: 'agency', objectId: agencyId, objectAgencyId: agencyId, outcome: 'allowed', reason: date }]);
  return { date, run: run ?? null, items };
};

/** An item's fixity history (those who may know the item exists: service.ts evidenceVisibility). */
export const fixityHistory = async (ctx: AuditContext, evidenceId: string) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.fixityHistory');
  const items = await fixityChecksOf(evidenceId);
  await audit(ctx, [{ action: 'evidence.fixityHistory', ...auditObject(e), outcome: 'allowed' }]);
  return { evidenceId, fixityMismatch: e.fixityMismatch ?? null, items };
};

// ---- 5. audit anchors ----------------------------------------------------------------------------------------

/**
 * How long an anchor stays write-once (COMPLIANCE retention): 30 years, the longest definite period
 * of the archive (国家档案局令第8号 定期30年; D3/D4 defaults). A product constant, not regulation: the
 * anchors protect the audit trail of records kept that long.
 */
export const ANCHOR_RETENTION: RetentionPeriod = { unit: 'years', value: 30 };

export interface AnchorHead {
  chainId: string;
  seq: number;
  hash: string;
}
export interface AnchorRecord {
  agencyId: string;
  date: string;
  key: string;
  versionId?: string | undefined;
  /** SHA-256 of the anchor file's bytes */
  sha256: string;
  headsSha256: string;
  heads: AnchorHead[];
  locked: boolean;
  retainUntil: string;
  anchoredAt: string;
}

export const anchorKey = (date: string, agencyId: string) => `anchors/${date}/${agencyId}.json`;
const anchorItemKey = (agencyId: string, date: string) => ({ pk: `ANCHOR#${agencyId}`, sk: date });
export const findAnchor = async (agencyId: string, date: string) => (await getItem(anchorItemKey(agencyId, date).pk, anchorItemKey(agencyId, date).sk))?.record as AnchorRecord | undefined;

/**
 * Every chain head of an agency (commit.ts: `AUDIT#<agency>#<shard>` / HEAD; an unused shard is at genesis):
 * every chain below its stored shard count, which only grows (shared/audit/shard-setting.ts).
 */
export const auditHeads = async (agencyId: string): Promise<AnchorHead[]> =>
  Promise.all((await auditChainIds(agencyId)).map(async (chainId) => {
    const h = await getItem(`AUDIT#${chainId}`, 'HEAD');
    return { chainId, seq: (h?.seq as number | undefined) ?? 0, hash: (h?.hash as string | undefined) ?? GENESIS_HASH };
  }));

export interface AnchorResult {
  date: string;
  written: number;
  alreadyAnchored: number;
  recovered: number;
}

/**
 * The daily anchoring of the audit chains (docs/security.md §3): for each agency one object
 * `anchors/<date>/<agencyId>.json` — every chain head (seq and hash), the SHA-256 of the heads'
 * canonical JSON — written once (If-None-Match), with COMPLIANCE retention for ANCHOR_RETENTION
 * where the bucket has Object Lock (set on the PUT itself), and the record `ANCHOR#<agency>` /
 * `<date>` with the file's SHA-256 and version, audited. `date` defaults to yesterday: the job runs
 * just after midnight and anchors the day that ended. Idempotent per day: a day anchored is
 * skipped; a file written by a run that died before its record is recorded as it is, never rewritten.
 */
export const anchorAudit = async (opts: { date?: string } = {}): Promise<AnchorResult> => {
  const date = opts.date ?? yesterday();
  const out: AnchorResult = { date, written: 0, alreadyAnchored: 0, recovered: 0 };
  const Bucket = config().bucketName;
  const lockable = await bucketHasObjectLock();
  for (const agency of await listAllAgencies()) {
    if (await findAnchor(agency.agencyId, date)) {
      out.alreadyAnchored++;
      continue;
    }
    const Key = anchorKey(date, agency.agencyId);
    const retainUntil = retentionEnd(date, ANCHOR_RETENTION)!;
    let body: Buffer;
    let versionId: string | undefined;
    let heads: AnchorHead[];
    let recovered = false;
    const present = await s3Client().send(new HeadObjectCommand({ Bucket, Key })).then(() => true, (e: unknown) => {
      if (isMissingObject(e)) return false;
      throw e;
    });
    if (present) {
      const stored = await readObject(Key);
      const chunks: Buffer[] = [];
      for await (const c of stored) chunks.push(c as Buffer);
      body = Buffer.concat(chunks);
      const parsed = JSON.parse(body.toString('utf8')) as { heads: AnchorHead[] };
      heads = parsed.heads;
      recovered = true;
    } else {
      heads = await auditHeads(agency.agencyId);
      const doc = {
        type: 'auditChainAnchor', version: 1, agencyId: agency.agencyId, agencyName: agency.name, date, anchoredAt: nowIso(systemClock),
        hashAlgorithm: 'SHA-256', canonicalization: 'RFC 8785', heads, headsSha256: sha256Hex(canonicalJson(heads)),
      };
      body = Buffer.from(`${canonicalJson(doc)}\n`);
      const put = await s3Client().send(new PutObjectCommand({
        Bucket, Key, Body: body, ContentType: 'application/json', ChecksumSHA256: Buffer.from(sha256Hex(body), 'hex').toString('base64'), IfNoneMatch: '*',
        ...(lockable ? { ObjectLockMode: 'COMPLIANCE' as const, ObjectLockRetainUntilDate: new Date(`${retainUntil}T23:59:59+08:00`) } : {}),
      }));
      versionId = put.VersionId;
    }
    const rec: AnchorRecord = {
      agencyId: agency.agencyId, date, key: Key, versionId, sha256: sha256Hex(body), headsSha256: sha256Hex(canonicalJson(heads)), heads,
      locked: lockable, retainUntil, anchoredAt: nowIso(systemClock),
    };
    try {
      await commit(systemCtx(agency.agencyId, 'anchorAudit'), [putNew({ ...anchorItemKey(agency.agencyId, date), kind: 'auditAnchor', record: rec }, () => conflict('anchor.exists', '当日已锚定'))], [
        { action: 'audit.anchor', objectType: 'audit', objectId: `${agency.agencyId}:${date}`, objectAgencyId: agency.agencyId, outcome: 'allowed', reason: `${Key} sha256 ${rec.sha256}` },
      ]);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'anchor.exists')) throw err;
      out.alreadyAnchored++;
      continue;
    }
    if (recovered) out.recovered++;
    else out.written++;
  }
  return out;
};
