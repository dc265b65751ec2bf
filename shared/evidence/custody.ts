import { systemPrincipal } from '../access/principal.ts';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, queryAll, tableName } from '../adapters/dynamodb/client.ts';
import { audit, commit, putVersioned, type AuditContext, type DomainWrite } from '../adapters/dynamodb/commit.ts';
import {
  APPROVED_DISPOSITIONS_PARTITION,
  approvedDispositionIndex,
  COPY_SK_PREFIX,
  copyIndex,
  copyKey,
  copyPartition,
  destructionKey,
  dispositionKey,
  viewRequestKey,
} from '../adapters/dynamodb/keys/evidence.ts';
import { presignGetVersion } from '../adapters/s3/evidence.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, forbidden, notFound, requireVersion, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { ruleInForce } from '../rules/store.ts';
import { type EvidenceItem, findEvidence, putEvidence } from './model.ts';
import { retentionEnd } from './retention.ts';
import { requireEvidence } from './use-case-support.ts';

/**
 * Custody of originals: approved viewing (D6), the central copy register (D5), and disposition when
 * retention has ended — proposed, approved by two different authorised people, carried out by the
 * nightly job, kept forever in the destruction register. No other path deletes an original (D7).
 */
const now = (ctx: AuditContext) => (ctx.clock ?? systemClock).now();
const at = (ctx: AuditContext) => nowIso(ctx.clock ?? systemClock);
const auditObject = (e: Pick<EvidenceItem, 'evidenceId' | 'agencyId'>) => ({ objectType: 'evidence' as const, objectId: e.evidenceId, objectAgencyId: e.agencyId });
const putNew = (Item: Record<string, unknown>): DomainWrite => ({ item: { Put: { TableName: tableName(), Item, ConditionExpression: 'attribute_not_exists(pk)' } } });

// ---- D6: no viewing without approval ------------------------------------------------------------------

export interface ViewRequest {
  requestId: string;
  evidenceId: string;
  agencyId: string;
  purpose: string;
  scope: 'view' | 'download';
  days: number;
  requestedBy: string;
  requestedAt: string;
  status: 'pending' | 'approved' | 'refused';
  decidedBy?: string | undefined;
  decidedAt?: string | undefined;
  note?: string | undefined;
  expiresAt?: string | undefined;
  version: number;
}

const requestItem = (r: ViewRequest) => ({ ...viewRequestKey(r.evidenceId, r.requestId), kind: 'viewRequest', record: r });
/** the values of a `pk = :pk AND sk = :sk` query of one item */
const keyValues = (k: { pk: string; sk: string }) => ({ ':pk': k.pk, ':sk': k.sk });
const readRequest = async (evidenceId: string, requestId: string) => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: keyValues(viewRequestKey(evidenceId, requestId)),
      ConsistentRead: true,
    }),
  );
  return r.Items?.[0]?.record as ViewRequest | undefined;
};

export const requestViewing = async (ctx: AuditContext, evidenceId: string, body: { purpose: string; scope: 'view' | 'download'; days: number }) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.requestView');
  const d6 = (await ruleInForce('D6', e.agencyPath, shanghaiDate(now(ctx)))).parameters;
  if (body.days > d6.grantMaxDuration.value) {
    throw validationError('evidence.grantTooLong', `查看授权不得超过 ${d6.grantMaxDuration.value} 日（D6）`, [{ path: 'body.days', message: `不得超过 ${d6.grantMaxDuration.value}` }]);
  }
  const r: ViewRequest = { requestId: newId(), evidenceId, agencyId: e.agencyId, ...body, requestedBy: ctx.principal.userId, requestedAt: at(ctx), status: 'pending', version: 1 };
  await commit(ctx, [putNew(requestItem(r))], [{ action: 'evidence.requestView', ...auditObject(e), outcome: 'allowed', purpose: body.purpose }]);
  return r;
};

export const decideViewing = async (ctx: AuditContext, evidenceId: string, requestId: string, body: { approve: boolean; note?: string | undefined }, ifMatch: string | undefined) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.decideView');
  const r = await readRequest(evidenceId, requestId);
  if (!r) throw notFound('evidence.requestNotFound', '查看申请不存在');
  requireVersion(r, ifMatch, 'evidence.requestConflict', '申请已被他人处理，请刷新后重试');
  const d6 = (await ruleInForce('D6', e.agencyPath, shanghaiDate(now(ctx)))).parameters;
  const p = ctx.principal;
  // an approver role of the item's agency; a department head approves only for the own department
  const approver = p.agencyId === e.agencyId && d6.approverRoles.some((x) => p.roles.includes(x) && (x !== 'deptHead' || p.unitId === e.unitId));
  if (!approver || p.userId === r.requestedBy) {
    await audit(ctx, [{ action: 'evidence.decideView', ...auditObject(e), outcome: 'denied', reason: p.userId === r.requestedBy ? 'own request' : 'not an approver' }]);
    throw forbidden('evidence.notApprover', p.userId === r.requestedBy ? '不能批准本人的查看申请' : '查看声像资料须经规则规定的审批人员批准（D6）');
  }
  if (r.status !== 'pending') throw conflict('evidence.requestDecided', '该申请已处理');
  const decidedAt = at(ctx);
  const next: ViewRequest = {
    ...r,
    status: body.approve ? 'approved' : 'refused',
    decidedBy: p.userId,
    decidedAt,
    note: body.note,
    version: r.version + 1,
    ...(body.approve ? { expiresAt: new Date(now(ctx).getTime() + r.days * 86_400_000).toISOString() } : {}),
  };
  await commit(
    ctx,
    [putVersioned(requestItem(next), r.version, () => conflict('evidence.requestConflict', '申请已被他人处理，请刷新后重试'))],
    [{ action: 'evidence.decideView', ...auditObject(e), outcome: 'allowed', reason: body.approve ? 'approved' : 'refused' }],
  );
  return next;
};

/** The caller's live grant for this item (approved, not expired, of the scope asked). */
export const requireGrant = async (ctx: AuditContext, e: EvidenceItem, grantId: string, scope: 'view' | 'download', action: string) => {
  const r = await readRequest(e.evidenceId, grantId);
  const problem = !r
    ? 'no such grant for this item'
    : r.requestedBy !== ctx.principal.userId
      ? 'grant of another user'
      : r.status !== 'approved'
        ? `grant ${r.status}`
        : Date.parse(r.expiresAt!) <= now(ctx).getTime()
          ? 'grant expired'
          : scope === 'download' && r.scope !== 'download'
            ? 'grant does not cover download'
            : undefined;
  if (problem) {
    await audit(ctx, [{ action, ...auditObject(e), outcome: 'denied', reason: problem }]);
    throw forbidden('evidence.noGrant', problem === 'grant expired' ? '查看授权已过期，请重新申请（D6）' : '没有该声像资料有效的查看授权（D6：未经批准不得查看）');
  }
  return r!;
};

/** A short-lived presigned GET of the verified version only; every view and download is audited. */
export const contentUrl = async (ctx: AuditContext, evidenceId: string, q: { grantId: string; download: boolean }) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.view');
  if (e.status !== 'verified') throw conflict('evidence.notVerified', `证据状态为 ${e.status}，不能查看`);
  const grant = await requireGrant(ctx, e, q.grantId, q.download ? 'download' : 'view', q.download ? 'evidence.download' : 'evidence.view');
  const d6 = (await ruleInForce('D6', e.agencyPath, shanghaiDate(now(ctx)))).parameters;
  // a presigned URL cannot be revoked: it never outlives the grant it was issued under (D6)
  const grantLeft = Math.floor((Date.parse(grant.expiresAt!) - now(ctx).getTime()) / 1000);
  const expiresIn = Math.max(1, Math.min(d6.presignedUrlSeconds, grantLeft));
  const url = await presignGetVersion(e.key, e.versionId, expiresIn, q.download ? e.fileName : undefined);
  await audit(ctx, [{ action: q.download ? 'evidence.download' : 'evidence.view', ...auditObject(e), outcome: 'allowed', basis: `grant:${grant.requestId}`, purpose: grant.purpose }]);
  return { url, expiresIn, versionId: e.versionId, sha256: e.sha256, sm3: e.sm3 };
};

// ---- D5: copies for review bodies and courts, produced centrally with a register ---------------------

export interface CopyRecord {
  copyId: string;
  evidenceId: string;
  agencyId: string;
  recipient: string;
  purpose: string;
  reference: string;
  producedBy: string;
  producedAt: string;
  /** what was copied: the verified version and its hashes, so the recipient can verify the copy */
  versionId?: string | undefined;
  sha256: string;
  sm3: string;
  size: number;
}

export const produceCopy = async (ctx: AuditContext, evidenceId: string, body: { recipient: string; purpose: string; reference: string }) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.copy');
  if (!(ctx.principal.agencyId === e.agencyId && ctx.principal.roles.includes('legal'))) {
    await audit(ctx, [{ action: 'evidence.copy', ...auditObject(e), outcome: 'denied' }]);
    throw forbidden('evidence.copyCentral', '向复议机关、人民法院提供的复制件由法制部门统一制作（D5）');
  }
  if (e.status !== 'verified') throw conflict('evidence.notVerified', `证据状态为 ${e.status}，不能复制`);
  const c: CopyRecord = {
    copyId: newId(),
    evidenceId,
    agencyId: e.agencyId,
    ...body,
    producedBy: ctx.principal.userId,
    producedAt: at(ctx),
    versionId: e.versionId,
    sha256: e.sha256!,
    sm3: e.sm3!,
    size: e.size,
  };
  const d6 = (await ruleInForce('D6', e.agencyPath, shanghaiDate(now(ctx)))).parameters;
  await commit(
    ctx,
    [putNew({ ...copyKey(evidenceId, c.copyId), ...copyIndex(e.agencyId, c.producedAt, c.copyId), kind: 'copyRecord', record: c })],
    [{ action: 'evidence.copy', ...auditObject(e), outcome: 'allowed', purpose: body.purpose, reason: `to ${body.recipient}` }],
  );
  return { copy: c, download: { url: await presignGetVersion(e.key, e.versionId, d6.presignedUrlSeconds, e.fileName), expiresIn: d6.presignedUrlSeconds } };
};

/** The copy register of an item (D5), unaudited: for the use cases that audit their own read. */
export const copiesOf = (evidenceId: string) =>
  queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':pk': copyPartition(evidenceId), ':c': COPY_SK_PREFIX },
    },
    (i) => i.record as CopyRecord,
  );

export const listCopies = async (ctx: AuditContext, evidenceId: string) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.copies');
  const items = await copiesOf(evidenceId);
  await audit(ctx, [{ action: 'evidence.copies', ...auditObject(e), outcome: 'allowed' }]);
  return items;
};

// ---- disposition: two distinct approvers, carried out by the nightly job ---------------------------

export interface Disposition {
  evidenceId: string;
  agencyId: string;
  proposedBy: string;
  proposedAt: string;
  retainUntil: string;
  /** the capture date the uploader declared and the date the product stored it (D3 counts from both) */
  capturedOn?: string | undefined;
  storedOn?: string | undefined;
  approvals: { userId: string; roles: string[]; at: string }[];
  status: 'proposed' | 'approved' | 'destroyed' | 'cancelled';
  version: number;
}
export const DISPOSITION_APPROVERS = ['leadership', 'legal'] as const;

const dispositionItem = (d: Disposition) => ({
  ...dispositionKey(d.evidenceId),
  kind: 'disposition',
  record: d,
  ...(d.status === 'approved' ? approvedDispositionIndex(d.proposedAt, d.evidenceId) : {}),
});
export const readDisposition = async (evidenceId: string) =>
  (
    await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: keyValues(dispositionKey(evidenceId)),
        ConsistentRead: true,
      }),
    )
  ).Items?.[0]?.record as Disposition | undefined;

/** Why an item may not be disposed of now (retention running, a hold, not verified), or undefined. */
export const dispositionRefusal = (e: EvidenceItem, today: string): string | undefined => {
  if (e.status !== 'verified') return `证据状态为 ${e.status}`;
  const r = e.retention;
  if (!r) return '保存期限尚未确定';
  if (r.legalHold || e.holds.some((h) => !h.releasedAt)) return '存在长期保存措施（D4）';
  if (r.retainUntil === null) return r.pendingCaseClose ? '关联案件尚未结案，保存期限随案卷' : '永久保存或待关联案件';
  if (r.retainUntil >= today) return `保存期限至 ${r.retainUntil}，尚未届满（D3）`;
  // D3's floor also counts from the ingest, whatever capture date was declared (decisions taken before
  // retention counted from the ingest did not have it: the check stands on its own)
  const floor = r.basis.find((b) => b.source === 'kindFloor')?.period;
  const storedOn = e.ingestedAt ? shanghaiDate(new Date(e.ingestedAt)) : undefined;
  const fromStored = floor && storedOn ? retentionEnd(storedOn, floor) : undefined;
  if (fromStored !== undefined && (fromStored === null || fromStored >= today)) return `自入库日 ${storedOn} 起计算的保存期限至 ${fromStored ?? '永久'}，尚未届满（D3）`;
  return undefined;
};

export const proposeDisposition = async (ctx: AuditContext, e: EvidenceItem) => {
  const refusal = dispositionRefusal(e, shanghaiDate(now(ctx)));
  if (refusal) {
    await audit(ctx, [{ action: 'evidence.dispose', ...auditObject(e), outcome: 'denied', reason: refusal }]);
    throw conflict('evidence.retained', `原始声像资料不得删除：${refusal}（D7）`);
  }
  const d: Disposition = {
    evidenceId: e.evidenceId,
    agencyId: e.agencyId,
    proposedBy: ctx.principal.userId,
    proposedAt: at(ctx),
    retainUntil: e.retention!.retainUntil!,
    capturedOn: e.retention!.capturedOn,
    storedOn: e.ingestedAt ? shanghaiDate(new Date(e.ingestedAt)) : undefined,
    approvals: [],
    status: 'proposed',
    version: 1,
  };
  await commit(
    ctx,
    [{ ...putNew(dispositionItem(d)), onConditionFailed: () => conflict('evidence.dispositionExists', '已有销毁申请') }],
    [{ action: 'evidence.proposeDisposition', ...auditObject(e), outcome: 'allowed' }],
  );
  return d;
};

export const proposeDispositionOf = async (ctx: AuditContext, evidenceId: string) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.dispose', true);
  if (!(ctx.principal.agencyId === e.agencyId && DISPOSITION_APPROVERS.some((r) => ctx.principal.roles.includes(r)))) {
    await audit(ctx, [{ action: 'evidence.dispose', ...auditObject(e), outcome: 'denied' }]);
    throw forbidden('evidence.notApprover', '销毁申请由机关领导或法制部门提出');
  }
  return proposeDisposition(ctx, e);
};

export const approveDisposition = async (ctx: AuditContext, evidenceId: string, ifMatch: string | undefined) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.approveDisposition', true);
  const d = await readDisposition(evidenceId);
  if (!d) throw notFound('evidence.noDisposition', '没有待审批的销毁申请');
  requireVersion(d, ifMatch, 'evidence.dispositionConflict', '销毁申请已被他人处理，请刷新后重试');
  const p = ctx.principal;
  if (!(p.agencyId === e.agencyId && DISPOSITION_APPROVERS.some((r) => p.roles.includes(r)))) {
    await audit(ctx, [{ action: 'evidence.approveDisposition', ...auditObject(e), outcome: 'denied' }]);
    throw forbidden('evidence.notApprover', '销毁须经机关领导或法制部门审批');
  }
  if (d.status !== 'proposed') throw conflict('evidence.dispositionDecided', `销毁申请状态为 ${d.status}`);
  if (d.approvals.some((a) => a.userId === p.userId)) throw conflict('evidence.sameApprover', '销毁须经两名不同的审批人员批准');
  // the retention may have been extended, or a hold placed, since the proposal
  const refusal = dispositionRefusal(e, shanghaiDate(now(ctx)));
  if (refusal) {
    await audit(ctx, [{ action: 'evidence.approveDisposition', ...auditObject(e), outcome: 'denied', reason: refusal }]);
    throw conflict('evidence.retained', `原始声像资料不得删除：${refusal}（D7）`);
  }
  const approvals = [...d.approvals, { userId: p.userId, roles: [...p.roles], at: at(ctx) }];
  const next: Disposition = { ...d, approvals, status: approvals.length >= 2 ? 'approved' : 'proposed', version: d.version + 1 };
  await commit(
    ctx,
    [putVersioned(dispositionItem(next), d.version, () => conflict('evidence.dispositionConflict', '销毁申请已被他人处理'))],
    [{ action: 'evidence.approveDisposition', ...auditObject(e), outcome: 'allowed', reason: `approval ${approvals.length}` }],
  );
  return next;
};

/** Approved dispositions waiting for the nightly job. */
export const approvedDispositions = () =>
  queryAll({ TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': APPROVED_DISPOSITIONS_PARTITION } }, (i) => i.record as Disposition);

/**
 * Carry out an approved disposition (the nightly job only: the one role allowed to delete an object
 * version, and S3 Object Lock refuses while retention or a legal hold runs). The item is first put
 * in 'disposing' (no hold, link or view can land on it any more), then the version is deleted, then
 * the destruction register keeps the item, its hashes, the approvals and the time forever. A
 * refusal by S3 puts the item back to 'verified' (and rethrows, for the job to audit).
 */
export const destroy = async (d: Disposition, deleteVersion: (key: string, versionId: string | undefined) => Promise<void>) => {
  const e = await findEvidence(d.evidenceId, true);
  const ctx: AuditContext = { principal: systemPrincipal('evidence-jobs', d.agencyId), source: { requestId: 'disposition' } };
  const refusal = e ? dispositionRefusal(e, shanghaiDate(systemClock.now())) : 'missing';
  if (!e || refusal || d.approvals.length < 2 || new Set(d.approvals.map((a) => a.userId)).size < 2) {
    await audit(ctx, [{ action: 'evidence.destroy', objectType: 'evidence', objectId: d.evidenceId, objectAgencyId: d.agencyId, outcome: 'denied', reason: refusal ?? 'approvals' }]);
    return false;
  }
  const startIso = nowIso(systemClock);
  const disposing: EvidenceItem = { ...e, status: 'disposing', version: e.version + 1, updatedAt: startIso };
  await commit(ctx, [putEvidence(disposing, e.version)], [{ action: 'evidence.disposing', ...auditObject(e), outcome: 'allowed' }]);
  try {
    await deleteVersion(e.key, e.versionId);
  } catch (err) {
    await commit(
      ctx,
      [putEvidence({ ...e, version: disposing.version + 1, updatedAt: nowIso(systemClock) }, disposing.version)],
      [{ action: 'evidence.disposing', ...auditObject(e), outcome: 'failed', reason: 'deletion refused: back to verified' }],
    );
    throw err;
  }
  const atIso = nowIso(systemClock);
  const register = {
    evidenceId: e.evidenceId,
    agencyId: e.agencyId,
    key: e.key,
    versionId: e.versionId,
    sha256: e.sha256,
    sm3: e.sm3,
    size: e.size,
    kind: e.kind,
    capture: e.capture,
    retainUntil: d.retainUntil,
    proposedBy: d.proposedBy,
    approvals: d.approvals,
    destroyedAt: atIso,
  };
  const done: Disposition = { ...d, status: 'destroyed', version: d.version + 1 };
  await commit(
    ctx,
    [
      putEvidence({ ...disposing, status: 'disposed', version: disposing.version + 1, updatedAt: atIso }, disposing.version),
      putVersioned(dispositionItem(done), d.version, () => conflict('evidence.dispositionConflict', 'disposition changed')),
      putNew({ ...destructionKey(e.agencyId, atIso, e.evidenceId), kind: 'destructionRecord', record: register }),
    ],
    [{ action: 'evidence.destroy', ...auditObject(e), outcome: 'allowed', reason: `approved by ${d.approvals.map((a) => a.userId).join(', ')}` }],
  );
  return true;
};

/** A hold or a longer retention cancels a pending disposition (the write goes into the caller's transaction). */
export const cancelDispositionWrite = async (evidenceId: string): Promise<DomainWrite[]> => {
  const d = await readDisposition(evidenceId);
  if (!d || (d.status !== 'proposed' && d.status !== 'approved')) return [];
  const cancelled: Disposition = { ...d, status: 'cancelled', version: d.version + 1 };
  return [putVersioned(dispositionItem(cancelled), d.version, () => conflict('evidence.dispositionConflict', '销毁申请已被他人处理，请刷新后重试'))];
};
