import { type Principal, systemPrincipal } from '../access/principal.ts';
import { requireVisible } from '../access/require-visible.ts';
import { visibilityOf, type VisibilitySubject } from '../access/visibility.ts';
import { audit, commit, type AuditContext, type DomainWrite, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import { queryAll, tableName as tableNameOf } from '../adapters/dynamodb/client.ts';
import { caseEvidencePartition, recordKeepingPartition, storageRecordKey, storageYearPrefix } from '../adapters/dynamodb/keys/evidence.ts';
import { abortMultipart, applyObjectLock, completeMultipart, presignParts, presignSinglePut, readObject, startMultipart, tagObject, headObject } from '../adapters/s3/evidence.ts';
import { calendarFor } from '../calendar/store.ts';
import { findCase } from '../cases/service.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, forbidden, notFound, requireVersion, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { notificationWrites } from '../notify/store.ts';
import { findAgency, findOfficer } from '../org/store.ts';
import { digestStream } from '../preservation/digest.ts';
import { ruleInForce } from '../rules/store.ts';
import { checkCapture, lateStorageAlert } from './capture.ts';
import { cancelDispositionWrite, requireGrant } from './custody.ts';
import { type Arrival, type Capture, type DERIVATIONS, type EvidenceItem, findEvidence, fixityQueueWrite, type LateDeclaration, originalKey, partPlan, putEvidence } from './model.ts';
import { extendOnly, type HoldReason, type RecordingKind, retentionFor, type RetentionDecision, STORAGE_TIER_SCHEDULE, storedLate } from './retention.ts';
import { strayArrival, unexpectedObject } from './tamper.ts';
import { QUARANTINE_TAG, RETENTION_CLASS_TAG, TIER_SCHEDULE_TAG, tierScheduleFor } from './tiers.ts';

/**
 * Evidence use cases (D2–D7, docs/rules.md): declare an upload (size, type, SHA-256) and get presigned
 * URLs; complete a multipart upload; ingest what arrived (hash once, SHA-256 and SM3, quarantine on
 * mismatch, D2 late flag, retention and Object Lock); holds (D4) and case links that can only extend
 * retention. Originals are never overwritten: a key is written once, by the upload of its declaration.
 */
const now = (ctx: AuditContext) => (ctx.clock ?? systemClock).now();
const auditObject = (e: Pick<EvidenceItem, 'evidenceId' | 'agencyId'>) => ({ objectType: 'evidence' as const, objectId: e.evidenceId, objectAgencyId: e.agencyId });

// ---- who may see and do what -------------------------------------------------------------------------

/**
 * Knowing that an item exists (its record, not its content: D6 — content only with an approved grant):
 * the capturing officer, the unit's head, the agency's leadership, legal, supervision and discipline,
 * and the superiors' leadership and supervision (shared/access/visibility.ts, row `evidence`).
 */
const subjectOf = (e: EvidenceItem): VisibilitySubject => ({ agencyId: e.agencyId, agencyPath: e.agencyPath, unitId: e.unitId, officerIds: [e.capture.officerId] });
export const evidenceVisibility = (p: Principal, e: EvidenceItem) => visibilityOf('evidence', p, subjectOf(e));

export const requireEvidence = async (ctx: AuditContext, evidenceId: string, action: string, consistent = false): Promise<EvidenceItem> => {
  const e = await findEvidence(evidenceId, consistent);
  await requireVisible(ctx, 'evidence', e && subjectOf(e), { action, objectType: 'evidence', objectId: evidenceId });
  return e!;
};

// ---- retention ------------------------------------------------------------------------------------

/** The retention decision for an item now: rule versions in force, its case link, its holds. */
export const decideRetention = async (e: EvidenceItem, on: string): Promise<RetentionDecision> => {
  const [d3, d4] = await Promise.all([ruleInForce('D3', e.agencyPath, on), ruleInForce('D4', e.agencyPath, on)]);
  const c = e.caseId ? await findCase(e.caseId) : undefined;
  const next = retentionFor(
    {
      kind: e.kind,
      capturedOn: shanghaiDate(new Date(e.capture.startedAt)),
      // D3 counted from the ingest too: a declared capture date alone never makes an original disposable
      storedOn: e.ingestedAt ? shanghaiDate(new Date(e.ingestedAt)) : undefined,
      caseLink: c ? { caseId: c.caseId, caseKind: c.kind, major: c.decision?.major.major, caseClosedOn: c.steps.find((s) => s.step === 'closed')?.on } : undefined,
      holds: e.holds,
    },
    { D3: d3, D4: d4 },
  );
  // D3/D4: a change can only extend what was decided before
  return e.retention ? extendOnly(e.retention, next).decision : next;
};

/** The S3 side of a decision: Object Lock (where the bucket has it) and the lifecycle schedule tag. */
const applyToObject = async (e: EvidenceItem, r: RetentionDecision, at: Date) => {
  const applied = await applyObjectLock(e.key, e.versionId, { retainUntil: r.retainUntil ?? r.atLeastUntil ?? undefined, legalHold: r.legalHold || r.retainUntil === null });
  // the lifecycle schedule S3 applies from the object's creation (shared/evidence/tiers.ts): colder
  // classes only for as long as the item is certainly kept, never DEEP_ARCHIVE while held or pending
  const created = Date.parse(e.ingestedAt ?? at.toISOString());
  const keptDays = r.retainUntil ? Math.max(0, Math.floor((Date.parse(`${r.retainUntil}T23:59:59+08:00`) - created) / 86_400_000)) : null;
  const schedule = tierScheduleFor(STORAGE_TIER_SCHEDULE[r.retentionClass], { keptDays, deepArchiveAllowed: !r.legalHold && !r.pendingCaseClose && !r.pendingCaseLink });
  await tagObject(e.key, e.versionId, { [RETENTION_CLASS_TAG]: r.retentionClass, [TIER_SCHEDULE_TAG]: schedule, evidence: e.evidenceId });
  return { retainUntil: r.retainUntil ?? r.atLeastUntil ?? undefined, legalHold: r.legalHold || r.retainUntil === null, applied };
};

// ---- declare and upload ------------------------------------------------------------------------------

export interface DeclareInput {
  kind: RecordingKind;
  title: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  capture: Capture;
  caseId?: string | undefined;
  /** D4 (三): the recording is of a mass or sudden incident (held long-term from the start) */
  incident?: 'massIncident' | 'suddenIncident' | undefined;
  /** D2: why a capture older than its storage due time plus the late window is stored only now */
  lateReason?: string | undefined;
}

export const declareEvidence = async (ctx: AuditContext, input: DeclareInput, idem: Omit<IdempotentCreate, 'response'>) => {
  const p = ctx.principal;
  const agency = await findAgency(p.agencyId);
  if (!agency) throw notFound('agency.notFound', '机关不存在或无权访问');
  const officer = await findOfficer(input.capture.officerId);
  if (!officer || officer.agencyId !== agency.agencyId) {
    throw validationError('evidence.officerNotInAgency', '采集人员须为本机关执法人员', [{ path: 'body.capture.officerId', message: '执法人员不存在或不属于本机关' }]);
  }
  // D2: the officer or a designated custodian of the officer's unit stores the recordings
  const custodian = p.officerId === officer.officerId || (p.unitId === officer.unitId && p.roles.some((r) => r === 'deptHead' || r === 'recorder'));
  if (!custodian) {
    await audit(ctx, [{ action: 'evidence.declare', objectType: 'evidence', objectId: input.sha256.slice(0, 26), objectAgencyId: agency.agencyId, outcome: 'denied' }]);
    throw forbidden('evidence.notCustodian', '声像资料由采集的执法人员或其部门负责人、指定保管人员存储（D2）');
  }
  // D2: a plausible capture time, or an old one with its reason (shared/evidence/capture.ts)
  const lateDeclaration = await checkCapture(now(ctx), input.capture, input.lateReason, [agency.agencyId, ...agency.ancestors]);
  if (input.caseId) {
    const c = await findCase(input.caseId);
    if (!c || c.agencyId !== agency.agencyId) throw validationError('evidence.caseNotInAgency', '关联案件须为本机关案件', [{ path: 'body.caseId', message: '案件不存在或不属于本机关' }]);
  }
  const holds = input.incident
    ? // D4 (三): a recording of a mass or sudden incident is kept long-term from the moment it is declared
      [{ holdId: newId(), reason: input.incident, note: '采集时登记的群体性或突发事件', placedAt: nowIso(ctx.clock ?? systemClock), placedBy: p.userId }]
    : [];
  return createItem(ctx, { agency, unitId: officer.unitId, input, holds, lateDeclaration }, idem);
};

/** The record and the upload of a new item (an original or a derived copy): one way for both. */
const createItem = async (
  ctx: AuditContext,
  x: {
    agency: { agencyId: string; ancestors: string[] };
    unitId: string;
    input: Omit<DeclareInput, 'incident' | 'lateReason'>;
    holds: EvidenceItem['holds'];
    derivedFrom?: EvidenceItem['derivedFrom'];
    lateDeclaration?: LateDeclaration | undefined;
  },
  idem: Omit<IdempotentCreate, 'response'>,
) => {
  const { agency, input } = x;
  const evidenceId = newId();
  const key = originalKey(agency.agencyId, evidenceId);
  const plan = partPlan(input.size);
  const uploadId = plan.mode === 'multipart' ? await startMultipart(key, input.mediaType) : undefined;
  const at = nowIso(ctx.clock ?? systemClock);
  const e: EvidenceItem = {
    evidenceId,
    agencyId: agency.agencyId,
    agencyPath: [agency.agencyId, ...agency.ancestors],
    unitId: x.unitId,
    kind: input.kind,
    title: input.title,
    capture: input.capture,
    caseId: input.caseId,
    fileName: input.fileName,
    mediaType: input.mediaType,
    size: input.size,
    declaredSha256: input.sha256,
    key,
    status: 'uploading',
    upload: { mode: plan.mode, uploadId, partSize: plan.partSize, parts: plan.parts },
    holds: x.holds,
    derivedFrom: x.derivedFrom,
    lateDeclaration: x.lateDeclaration,
    version: 1,
    createdAt: at,
    createdBy: ctx.principal.userId,
    updatedAt: at,
  };
  const expiresIn = await uploadUrlSeconds(e.agencyPath, now(ctx));
  const upload =
    plan.mode === 'single'
      ? { mode: 'single' as const, ...(await presignSinglePut(key, input.mediaType, input.size, input.sha256, expiresIn)) }
      : {
          mode: 'multipart' as const,
          partSize: plan.partSize,
          partCount: plan.parts,
          expiresIn,
          parts: await presignParts(key, uploadId!, 1, Math.min(plan.parts, PART_URLS_PER_RESPONSE), expiresIn),
        };
  const response = { evidence: e, upload };
  try {
    await commit(
      ctx,
      [putEvidence(e, undefined)],
      [
        {
          action: x.derivedFrom ? 'evidence.derive' : 'evidence.declare',
          ...auditObject(e),
          outcome: 'allowed',
          reason: x.derivedFrom ? `${x.derivedFrom.derivation} of ${x.derivedFrom.evidenceId}` : undefined,
        },
      ],
      { ...idem, response },
    );
  } catch (err) {
    if (uploadId) await abortMultipart(key, uploadId).catch(() => undefined);
    throw err;
  }
  return response;
};

/**
 * A derived copy (clip, redaction, transcode) made from an original the caller holds a live
 * download grant for (D6): an item of its own, uploaded and verified like any other, pointing back
 * to the original — which is never touched.
 */
export const declareDerived = async (
  ctx: AuditContext,
  originalId: string,
  body: { derivation: (typeof DERIVATIONS)[number]; grantId: string; title: string; fileName: string; mediaType: string; size: number; sha256: string },
  idem: Omit<IdempotentCreate, 'response'>,
) => {
  const original = await requireEvidence(ctx, originalId, 'evidence.derive');
  if (original.status !== 'verified') throw conflict('evidence.notVerified', `证据状态为 ${original.status}，不能制作衍生件`);
  await requireGrant(ctx, original, body.grantId, 'download', 'evidence.derive');
  const agency = await findAgency(original.agencyId);
  return createItem(
    ctx,
    {
      agency: { agencyId: original.agencyId, ancestors: agency?.ancestors ?? original.agencyPath.slice(1) },
      unitId: original.unitId,
      input: { kind: original.kind, title: body.title, fileName: body.fileName, mediaType: body.mediaType, size: body.size, sha256: body.sha256, capture: original.capture, caseId: original.caseId },
      holds: [],
      derivedFrom: { evidenceId: original.evidenceId, derivation: body.derivation },
    },
    idem,
  );
};

/**
 * D4: events that oblige long-term preservation raise holds on their own — a complaint about a case,
 * obstruction or assault recorded in the case, a review or a lawsuit — on every verified recording of
 * the case. Run by the evidence consumer of those events (consumers.ts).
 */
export const holdCaseEvidence = async (caseId: string, agencyId: string, reason: HoldReason, note: string) => {
  const items = await queryAll(
    {
      TableName: tableNameOf(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': caseEvidencePartition(caseId) },
    },
    (i) => i.record as EvidenceItem,
  );
  const ctx: AuditContext = { principal: systemPrincipal('evidence-holds', agencyId), source: { requestId: `hold:${reason}` } };
  let held = 0;
  for (const item of items) {
    const e = (await findEvidence(item.evidenceId, true))!;
    if (e.status !== 'verified' || e.holds.some((h) => h.reason === reason && !h.releasedAt)) continue;
    const hold = { holdId: newId(), reason, note, placedAt: nowIso(systemClock), placedBy: ctx.principal.userId };
    await saveRetention(ctx, e, { holds: [...e.holds, hold] }, 'evidence.hold', `${reason}: ${note}`, await cancelDispositionWrite(e.evidenceId));
    held++;
  }
  return held;
};

/**
 * A multipart upload's part URLs come at most PART_URLS_PER_RESPONSE at a time (a 50 GB file has
 * thousands of parts; the declaration's response — kept for idempotent replays — stays small):
 * the declaration carries the first ones, `uploadParts` the rest, or fresh ones once they expire.
 */
export const PART_URLS_PER_RESPONSE = 100;

/** How long an upload URL lives (D2 uploadUrlMinutes): as long as one upload needs, and no longer. */
const uploadUrlSeconds = async (agencyPath: string[], at: Date) => (await ruleInForce('D2', agencyPath, shanghaiDate(at))).parameters.uploadUrlMinutes * 60;

export const uploadParts = async (ctx: AuditContext, evidenceId: string, from: number) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.uploadParts', true);
  if (e.createdBy !== ctx.principal.userId) throw forbidden('evidence.notUploader', '只有声明上传的人员可以上传');
  if (e.status !== 'uploading') throw conflict('evidence.alreadyStored', '原始声像资料已存储，不能重新上传或覆盖（D7）');
  if (from > e.upload.parts) throw validationError('evidence.noSuchPart', `共 ${e.upload.parts} 个分片`, [{ path: 'query.from', message: `不能大于 ${e.upload.parts}` }]);
  await audit(ctx, [{ action: 'evidence.uploadParts', ...auditObject(e), outcome: 'allowed', reason: `parts from ${from}` }]);
  const expiresIn = await uploadUrlSeconds(e.agencyPath, now(ctx));
  if (e.upload.mode === 'single') return { mode: 'single' as const, ...(await presignSinglePut(e.key, e.mediaType, e.size, e.declaredSha256, expiresIn)) };
  const count = Math.min(PART_URLS_PER_RESPONSE, e.upload.parts - from + 1);
  return { mode: 'multipart' as const, partSize: e.upload.partSize, partCount: e.upload.parts, expiresIn, parts: await presignParts(e.key, e.upload.uploadId!, from, count, expiresIn) };
};

/** The client uploaded every part: S3 assembles them (the ObjectCreated event then starts the ingest). */
export const completeUpload = async (ctx: AuditContext, evidenceId: string, parts: { partNumber: number; etag: string }[]) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.complete', true);
  if (e.createdBy !== ctx.principal.userId) throw forbidden('evidence.notUploader', '只有声明上传的人员可以完成上传');
  if (e.status !== 'uploading' || e.upload.mode !== 'multipart' || !e.upload.uploadId) {
    // D7: an original is written once; nothing re-uploads over it
    await audit(ctx, [{ action: 'evidence.complete', ...auditObject(e), outcome: 'denied', reason: `status ${e.status}` }]);
    throw conflict('evidence.alreadyStored', '原始声像资料已存储，不能重新上传或覆盖（D7）');
  }
  if (parts.length !== e.upload.parts || parts.some((p, i) => p.partNumber !== i + 1)) {
    throw validationError('evidence.partsIncomplete', `须按顺序提交全部 ${e.upload.parts} 个分片`, [{ path: 'body.parts', message: `应为 1…${e.upload.parts}` }]);
  }
  try {
    await completeMultipart(e.key, e.upload.uploadId, parts);
  } catch (err) {
    throw validationError('evidence.partsRejected', `对象存储拒绝合并分片：${(err as Error).message}`, [{ path: 'body.parts', message: '分片与已上传内容不符' }]);
  }
  await audit(ctx, [{ action: 'evidence.complete', ...auditObject(e), outcome: 'allowed' }]);
  return { evidenceId, status: 'uploaded' };
};

// ---- ingest ----------------------------------------------------------------------------------------------

const SYSTEM = (agencyId: string): AuditContext => ({ principal: systemPrincipal('evidence-ingest', agencyId), source: { requestId: 'evidence-ingest' } });

/**
 * What arrived at an item's key: stream it once, SHA-256 and SM3 over the whole file (S3's multipart
 * checksums are composite, not whole-file). A different hash or size quarantines the object and
 * alerts; a match records the version, both hashes, the D2 late flag and the retention. An arrival
 * on a key of no item, or on an item already ingested, is tampering (shared/evidence/tamper.ts).
 */
export const ingestArrival = async (evidenceId: string | undefined, arrived: Arrival) => {
  const e = evidenceId ? await findEvidence(evidenceId, true) : undefined;
  if (!e || e.key !== arrived.key) return unexpectedObject(arrived);
  if (e.status !== 'uploading') return strayArrival(e, arrived);
  const arrival = { versionId: arrived.versionId, sequencer: arrived.sequencer, eTag: arrived.eTag };
  const head = await headObject(e.key);
  const versionId = arrived.versionId ?? head?.versionId;
  const digest = await digestStream(await readObject(e.key, versionId));
  const at = systemClock.now();
  const atIso = nowIso(systemClock);
  const ctx = SYSTEM(e.agencyId);
  if (digest.sha256 !== e.declaredSha256 || digest.bytes !== e.size) {
    const quarantined: EvidenceItem = {
      ...e,
      status: 'quarantined',
      versionId,
      arrival: { ...arrival, versionId },
      sha256: digest.sha256,
      sm3: digest.sm3,
      ingestedAt: atIso,
      quarantine: { reason: digest.bytes !== e.size ? 'sizeMismatch' : 'sha256Mismatch', at: atIso, actualSha256: digest.sha256, actualSize: digest.bytes },
      version: e.version + 1,
      updatedAt: atIso,
    };
    await tagObject(e.key, versionId, { [QUARANTINE_TAG.key]: QUARANTINE_TAG.value, evidence: e.evidenceId });
    const alert = notificationWrites(
      {
        kind: 'decided',
        agencyId: e.agencyId,
        title: `【隔离】声像资料校验不符：${e.title}`,
        body: `上传内容与声明的 SHA-256 不一致（声明 ${e.declaredSha256.slice(0, 16)}…，实际 ${digest.sha256.slice(0, 16)}…，${digest.bytes} 字节），已隔离，请重新上传原始文件。`,
        recipients: [
          { type: 'officer', officerId: e.capture.officerId },
          { type: 'role', agencyId: e.agencyId, role: 'deptHead', unitId: e.unitId },
          { type: 'role', agencyId: e.agencyId, role: 'secAdmin' },
        ],
      },
      atIso,
    ).writes;
    await commit(ctx, [putEvidence(quarantined, e.version), ...alert], [{ action: 'evidence.quarantine', ...auditObject(e), outcome: 'allowed', reason: quarantined.quarantine!.reason }]);
    return { outcome: 'quarantined' as const, sha256: digest.sha256 };
  }
  const d2 = (await ruleInForce('D2', e.agencyPath, shanghaiDate(at))).parameters;
  const late = storedLate(await calendarFor(e.agencyPath), e.capture.endedAt, atIso, d2);
  let verified: EvidenceItem = {
    ...e,
    status: 'verified',
    versionId,
    arrival: { ...arrival, versionId },
    sha256: digest.sha256,
    sm3: digest.sm3,
    ingestedAt: atIso,
    late,
    version: e.version + 1,
    updatedAt: atIso,
  };
  const retention = await decideRetention(verified, shanghaiDate(at));
  verified = { ...verified, retention, objectLock: await applyToObject(verified, retention, at) };
  await commit(
    ctx,
    [putEvidence(verified, e.version), fixityQueueWrite(verified), storageRecordWrite(verified, atIso), ...lateStorageAlert(verified, at)],
    [{ action: 'evidence.ingest', ...auditObject(e), outcome: 'allowed', reason: late ? `stored late (D2)${e.lateDeclaration ? `: ${e.lateDeclaration.reason}` : ''}` : undefined }],
  );
  return { outcome: 'verified' as const, sha256: digest.sha256, sm3: digest.sm3, late };
};

// ---- holds and case links (only ever extend) ---------------------------------------------------------

const requireVerified = (e: EvidenceItem) => {
  if (e.status !== 'verified') throw conflict('evidence.notVerified', `证据状态为 ${e.status}，不能执行该操作`);
};

const saveRetention = async (ctx: AuditContext, e: EvidenceItem, change: Partial<EvidenceItem>, action: string, reason: string, extra: DomainWrite[] = []) => {
  const at = now(ctx);
  let next: EvidenceItem = { ...e, ...change, version: e.version + 1, updatedAt: nowIso(ctx.clock ?? systemClock) };
  const retention = await decideRetention(next, shanghaiDate(at));
  next = { ...next, retention, objectLock: await applyToObject(next, retention, at) };
  await commit(ctx, [putEvidence(next, e.version), ...extra], [{ action, ...auditObject(e), outcome: 'allowed', reason }]);
  return next;
};

/** D4: a hold for long-term preservation, with reason and actor; the item is kept whatever its dates. */
export const placeHold = async (ctx: AuditContext, evidenceId: string, body: { reason: HoldReason; note?: string | undefined }, ifMatch: string | undefined) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.hold', true);
  requireVersion(e, ifMatch, 'evidence.versionConflict', '证据记录已被他人修改，请刷新后重试（ETag 不匹配）');
  requireVerified(e);
  const holdId = newId();
  // D4: a hold stops any disposition on its way
  return saveRetention(
    ctx,
    e,
    { holds: [...e.holds, { holdId, reason: body.reason, note: body.note, placedAt: nowIso(ctx.clock ?? systemClock), placedBy: ctx.principal.userId }] },
    'evidence.hold',
    body.reason,
    await cancelDispositionWrite(e.evidenceId),
  );
};

/** Releasing a hold (D4 releaseApproverRoles): the long-term period it started still stands. */
export const releaseHold = async (ctx: AuditContext, evidenceId: string, holdId: string, body: { note: string }, ifMatch: string | undefined) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.releaseHold', true);
  requireVersion(e, ifMatch, 'evidence.versionConflict', '证据记录已被他人修改，请刷新后重试（ETag 不匹配）');
  const d4 = (await ruleInForce('D4', e.agencyPath, shanghaiDate(now(ctx)))).parameters;
  if (!(ctx.principal.agencyId === e.agencyId && d4.releaseApproverRoles.some((r) => ctx.principal.roles.includes(r)))) {
    await audit(ctx, [{ action: 'evidence.releaseHold', ...auditObject(e), outcome: 'denied' }]);
    throw forbidden('evidence.notReleaser', '解除长期保存须经规则规定的审批人员（D4）');
  }
  const hold = e.holds.find((h) => h.holdId === holdId && !h.releasedAt);
  if (!hold) throw notFound('evidence.holdNotFound', '保存措施不存在或已解除');
  const holds = e.holds.map((h) => (h.holdId === holdId ? { ...h, releasedAt: nowIso(ctx.clock ?? systemClock), releasedBy: ctx.principal.userId, note: body.note } : h));
  return saveRetention(ctx, e, { holds }, 'evidence.releaseHold', body.note);
};

/** Linking footage to a case gives it the case file's retention (D3). */
export const linkToCase = async (ctx: AuditContext, evidenceId: string, caseId: string, ifMatch: string | undefined) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.link', true);
  requireVersion(e, ifMatch, 'evidence.versionConflict', '证据记录已被他人修改，请刷新后重试（ETag 不匹配）');
  requireVerified(e);
  const c = await findCase(caseId);
  if (!c || c.agencyId !== e.agencyId) throw validationError('evidence.caseNotInAgency', '关联案件须为本机关案件', [{ path: 'body.caseId', message: '案件不存在或不属于本机关' }]);
  const p = ctx.principal;
  const handles = (!!p.officerId && c.officers.some((o) => o.officerId === p.officerId)) || (p.roles.includes('deptHead') && p.unitId === c.unitId);
  if (!handles) {
    await audit(ctx, [{ action: 'evidence.link', ...auditObject(e), outcome: 'denied' }]);
    throw forbidden('evidence.notCaseHandler', '只有本案执法人员或承办部门负责人可以关联证据');
  }
  if (e.caseId && e.caseId !== caseId) throw conflict('evidence.alreadyLinked', '该证据已关联其他案件');
  return saveRetention(ctx, e, { caseId }, 'evidence.link', caseId);
};

/**
 * A case closed (or its result changed): its linked evidence gets the case file's retention from
 * the close date (D3) — until then it was kept pending the close. Run by the evidence consumer of
 * the case's `caseClosed` event (consumers.ts).
 */
export const refreshRetentionOfCase = async (caseId: string, agencyId: string) => {
  const items = await queryAll(
    {
      TableName: tableNameOf(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': caseEvidencePartition(caseId) },
    },
    (i) => i.record as EvidenceItem,
  );
  const ctx: AuditContext = { principal: systemPrincipal('evidence-retention', agencyId), source: { requestId: 'case-closed' } };
  let updated = 0;
  for (const e of items.filter((x) => x.status === 'verified')) {
    const fresh = (await findEvidence(e.evidenceId, true))!;
    await saveRetention(ctx, fresh, {}, 'evidence.retention', `case ${caseId} changed`);
    updated++;
  }
  return updated;
};

/**
 * D2 record-keeping of each officer: one immutable item per stored recording, late or on time,
 * under the capturing officer (`RECORDKEEPING#<officer>` / `D2#<year>#<evidence>`), counted for the
 * year's assessment (B1) — the "late uploads counted against the officer's record-keeping".
 */
const storageRecordWrite = (e: EvidenceItem, storedAt: string): DomainWrite => ({
  item: {
    Put: {
      TableName: tableNameOf(),
      Item: {
        ...storageRecordKey(e.capture.officerId, shanghaiDate(new Date(e.capture.startedAt)).slice(0, 4), e.evidenceId),
        kind: 'storageRecord',
        record: { evidenceId: e.evidenceId, officerId: e.capture.officerId, capturedAt: e.capture.startedAt, endedAt: e.capture.endedAt, storedAt, late: !!e.late, title: e.title },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
});

export interface StorageRecord {
  evidenceId: string;
  officerId: string;
  capturedAt: string;
  endedAt: string;
  storedAt: string;
  late: boolean;
  title: string;
}

/** An officer's D2 record-keeping for a year: recordings stored, how many late, and which. */
export const recordKeepingOf = async (officerId: string, year: number) => {
  const items = await queryAll(
    {
      TableName: tableNameOf(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :y)',
      ExpressionAttributeValues: { ':pk': recordKeepingPartition(officerId), ':y': storageYearPrefix(year) },
    },
    (i) => i.record as StorageRecord,
  );
  const late = items.filter((i) => i.late);
  return { officerId, year, stored: items.length, late: late.length, onTime: items.length - late.length, lateItems: late };
};
