import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import { audit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import type { AuditDraft } from '../audit/record.ts';
import { FILE_SK, filePartition } from '../adapters/dynamodb/keys/archive.ts';
import { shanghaiDate, systemClock } from '../kernel/clock.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { findAgency, findOfficer, type Officer } from '../org/store.ts';
import { ruleInForce } from '../rules/store.ts';
import { decideFileAccess, type AccessGrant, type Decision, type FileAction, type FileSubject } from './decide.ts';

/**
 * The object-level gate every file-scoped route passes: load the subject (the officer and the
 * custody of their file), decide with the pure A8 function, audit a refusal, and answer 404 when
 * the caller may not even know the record exists, 403 when they may know but not act.
 */
export interface Allowed {
  officer: Officer;
  subject: FileSubject;
  decision: Extract<Decision, { allowed: true }>;
  /** audit fields for the caller's own audit record of the operation */
  auditBase: Pick<AuditDraft, 'objectAgencyId' | 'basis' | 'purpose' | 'outcome'>;
}

export const subjectOf = (o: Officer): FileSubject => ({
  officerId: o.officerId,
  custody: o.status === 'left' ? { agencyId: o.agencyId, holder: 'personnel' } : { agencyId: o.agencyId, unitId: o.unitId, holder: 'unit' },
});

export const grantsOf = async (officerId: string, userId: string): Promise<AccessGrant[]> => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :g)',
      FilterExpression: 'grantee = :u',
      ExpressionAttributeValues: { ':p': filePartition(officerId), ':g': FILE_SK.grant, ':u': userId },
    }),
  );
  return (r.Items ?? []).map((i) => i.record as AccessGrant);
};

export const decideFor = async (ctx: AuditContext, officer: Officer, action: FileAction): Promise<Decision> => {
  const subject = subjectOf(officer);
  const agency = await findAgency(subject.custody.agencyId);
  const ancestors = agency?.ancestors ?? [];
  const jurisdictions = [subject.custody.agencyId, ...ancestors];
  const today = shanghaiDate((ctx.clock ?? systemClock).now());
  const [a8, a7] = await Promise.all([ruleInForce('A8', jurisdictions, today), ruleInForce('A7', jurisdictions, today)]);
  const base = { principal: ctx.principal, action, file: subject, custodyAgencyAncestors: ancestors, now: (ctx.clock ?? systemClock).now(), a8: a8.parameters, a7: a7.parameters };
  const first = decideFileAccess({ ...base, grants: [] });
  if (first.allowed && !first.workflowOnly) return first;
  // only a caller without a (full) role basis needs their grants looked up (A8 "with approval")
  return decideFileAccess({ ...base, grants: await grantsOf(officer.officerId, ctx.principal.userId) });
};

export const authorizeFile = async (
  ctx: AuditContext,
  officerId: string,
  /** one action, or alternatives of which the first allowed wins (e.g. draft or handover) */
  action: FileAction | readonly FileAction[],
  object: Pick<AuditDraft, 'objectType' | 'objectId'> = { objectType: 'file', objectId: officerId },
  opts: { consistent?: boolean } = {},
): Promise<Allowed> => {
  const actions = typeof action === 'string' ? [action] : action;
  const officer = await findOfficer(officerId, opts.consistent);
  if (!officer) {
    await audit(ctx, [{ action: actions.join('|'), ...object, outcome: 'notFound' }]);
    throw notFound('file.notFound', '执法人员或其档案不存在，或无权访问');
  }
  let decision: Decision = { allowed: false, visible: false, reason: 'no action' };
  for (const a of actions) {
    const d = await decideFor(ctx, officer, a);
    if (d.allowed || (!decision.allowed && d.visible)) decision = d;
    if (d.allowed) break;
  }
  if (!decision.allowed) {
    await audit(ctx, [{ action: actions.join('|'), ...object, objectAgencyId: officer.agencyId, outcome: decision.visible ? 'denied' : 'notFound', reason: decision.reason }]);
    if (!decision.visible) throw notFound('file.notFound', '执法人员或其档案不存在，或无权访问');
    throw new DomainError('forbidden', 'file.forbidden', '无权对该执法档案执行此操作；如确有需要，请申请查阅授权（A8）');
  }
  // the request's read record (shared/http/handler.ts) says on what basis, and is held by the custody agency
  ctx.facts = { ...ctx.facts, objectAgencyId: officer.agencyId, basis: decision.basis, purpose: decision.purpose };
  return {
    officer,
    subject: subjectOf(officer),
    decision,
    auditBase: { objectAgencyId: officer.agencyId, basis: decision.basis, purpose: decision.purpose, outcome: 'allowed' },
  };
};

/**
 * A file the caller may know exists (own agency tree, or their own), whatever they may do with it:
 * where a grant is requested or given up (A8). Anything else does not exist for the caller (404, audited).
 */
export const requireKnownFile = async (ctx: AuditContext, officerId: string): Promise<Officer> => {
  const officer = await findOfficer(officerId);
  const decision = officer ? await decideFor(ctx, officer, 'file.read') : undefined;
  if (!officer || (decision && !decision.allowed && !decision.visible)) {
    await audit(ctx, [{ action: 'grant.request', objectType: 'file', objectId: officerId, outcome: 'notFound' }]);
    throw notFound('file.notFound', '执法人员或其档案不存在，或无权访问');
  }
  return officer;
};

/**
 * A workflow-only basis (the designated recorder, A6) covers entries on their way into the file, not
 * the archive (A8): an archived entry, or an attachment outside the workflow, is refused and audited.
 */
export const requireInWorkflow = async (ctx: AuditContext, gate: Allowed, object: Pick<AuditDraft, 'objectType' | 'objectId'>, inWorkflow: () => boolean | Promise<boolean>) => {
  if (!gate.decision.workflowOnly || (await inWorkflow())) return;
  await audit(ctx, [{ action: 'entry.work', ...object, objectAgencyId: gate.officer.agencyId, basis: gate.decision.basis, outcome: 'denied', reason: 'outside the A6 workflow: A8 readers only' }]);
  throw new DomainError('forbidden', 'file.forbidden', '档案记录员只能查阅记录流程中的条目及其附件，不得查阅已归档的档案；如确有需要，请申请查阅授权（A8）');
};
