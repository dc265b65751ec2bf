import { audit, commit, type AuditContext, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import { abortMultipart, completeMultipart, presignParts, presignSinglePut, startMultipart } from '../adapters/s3/evidence.ts';
import { findCase } from '../cases/service.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, forbidden, notFound, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { findAgency, findOfficer } from '../org/store.ts';
import { ruleInForce } from '../rules/store.ts';
import { checkCapture } from './capture.ts';
import { requireGrant } from './custody.ts';
import { type Capture, type DERIVATIONS, type EvidenceItem, type LateDeclaration, originalKey, partPlan, putEvidence } from './model.ts';
import type { RecordingKind } from './retention.ts';
import { auditObject, now, requireEvidence } from './use-case-support.ts';

/**
 * Evidence use cases (D2–D7, docs/rules.md): declare an upload (size, type, SHA-256) and get presigned
 * URLs; complete a multipart upload; ingest what arrived (hash once, SHA-256 and SM3, quarantine on
 * mismatch, D2 late flag, retention and Object Lock); holds (D4) and case links that can only extend
 * retention. Originals are never overwritten: a key is written once, by the upload of its declaration.
 * Declaration and upload live here; retention, holds and case links in holds.ts, the ingest in
 * ingest.ts, D2 record-keeping in record-keeping.ts — all exported from here as before.
 */
export { evidenceVisibility, requireEvidence } from './use-case-support.ts';
export { decideRetention, holdCaseEvidence, linkToCase, placeHold, refreshRetentionOfCase, releaseHold } from './holds.ts';
export { ingestArrival } from './ingest.ts';
export { recordKeepingOf, type StorageRecord } from './record-keeping.ts';

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
