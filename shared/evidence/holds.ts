import { systemPrincipal } from '../access/principal.ts';
import { audit, commit, type AuditContext, type DomainWrite } from '../adapters/dynamodb/commit.ts';
import { queryAll, tableName as tableNameOf } from '../adapters/dynamodb/client.ts';
import { caseEvidencePartition } from '../adapters/dynamodb/keys/evidence.ts';
import { applyObjectLock, tagObject } from '../adapters/s3/evidence.ts';
import { findCase } from '../cases/service.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, forbidden, notFound, requireVersion, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { ruleInForce } from '../rules/store.ts';
import { cancelDispositionWrite } from './custody.ts';
import { type EvidenceItem, findEvidence, putEvidence } from './model.ts';
import { extendOnly, type HoldReason, retentionFor, type RetentionDecision, STORAGE_TIER_SCHEDULE } from './retention.ts';
import { RETENTION_CLASS_TAG, TIER_SCHEDULE_TAG, tierScheduleFor } from './tiers.ts';
import { auditObject, now, requireEvidence } from './use-case-support.ts';

/**
 * Retention of an item (D3, D4): the decision in force, its S3 side, and the holds and case links that
 * can only ever extend it.
 */
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
export const applyToObject = async (e: EvidenceItem, r: RetentionDecision, at: Date) => {
  const applied = await applyObjectLock(e.key, e.versionId, { retainUntil: r.retainUntil ?? r.atLeastUntil ?? undefined, legalHold: r.legalHold || r.retainUntil === null });
  // the lifecycle schedule S3 applies from the object's creation (shared/evidence/tiers.ts): colder
  // classes only for as long as the item is certainly kept, never DEEP_ARCHIVE while held or pending
  const created = Date.parse(e.ingestedAt ?? at.toISOString());
  const keptDays = r.retainUntil ? Math.max(0, Math.floor((Date.parse(`${r.retainUntil}T23:59:59+08:00`) - created) / 86_400_000)) : null;
  const schedule = tierScheduleFor(STORAGE_TIER_SCHEDULE[r.retentionClass], { keptDays, deepArchiveAllowed: !r.legalHold && !r.pendingCaseClose && !r.pendingCaseLink });
  await tagObject(e.key, e.versionId, { [RETENTION_CLASS_TAG]: r.retentionClass, [TIER_SCHEDULE_TAG]: schedule, evidence: e.evidenceId });
  return { retainUntil: r.retainUntil ?? r.atLeastUntil ?? undefined, legalHold: r.legalHold || r.retainUntil === null, applied };
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
