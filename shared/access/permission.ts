import { audit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import type { AuditDraft } from '../audit/record.ts';
import { DomainError } from '../kernel/errors.ts';
import { can, mayReadUnitQueue, type Permission } from './decide.ts';
import { findAgency, findUnit } from '../org/store.ts';
import { requireVisible } from './require-visible.ts';

/** Role permission for non-file operations (org, rules, audit); a refusal is audited. */
export const requirePermission = async (ctx: AuditContext, perm: Permission, object: Pick<AuditDraft, 'objectType' | 'objectId' | 'objectAgencyId'>) => {
  if (can(ctx.principal, perm)) return;
  await audit(ctx, [{ action: perm, ...object, outcome: 'denied', reason: `missing permission ${perm}` }]);
  throw new DomainError('forbidden', 'permission.denied', '当前角色无权执行此操作');
};

/** Agency-scoped reads: the caller's own agency or one below it. */
export const requireAgencyInScope = async (ctx: AuditContext, agencyId: string, ancestorsOfTarget: readonly string[], object: Pick<AuditDraft, 'objectType' | 'objectId'>) => {
  if (ctx.principal.agencyId === agencyId || ancestorsOfTarget.includes(ctx.principal.agencyId)) return;
  await audit(ctx, [{ action: 'agency.read', ...object, objectAgencyId: agencyId, outcome: 'notFound', reason: 'agency outside caller tree' }]);
  throw new DomainError('notFound', 'agency.notFound', '机关不存在或无权访问');
};

/**
 * An agency the caller may know: their own or one below it. A missing agency and one outside the
 * caller's tree look the same (404, audited; the missing one on the caller's own record). The agency
 * becomes the request's audit fact: its read record is held there.
 */
export const requireAgencyInTree = async (ctx: AuditContext, agencyId: string) => {
  const agency = await findAgency(agencyId);
  if (!agency) {
    await audit(ctx, [{ action: 'agency.read', objectType: 'agency', objectId: agencyId, outcome: 'notFound' }]);
    throw new DomainError('notFound', 'agency.notFound', '机关不存在或无权访问');
  }
  await requireAgencyInScope(ctx, agencyId, agency.ancestors, { objectType: 'agency', objectId: agencyId });
  ctx.facts = { ...ctx.facts, objectAgencyId: agencyId };
  return agency;
};

/**
 * A department's work queue (A6, `mayReadUnitQueue`): its head, or the agency's designated recorder.
 * Anyone else learns nothing about the department (404; audited as denied when it exists).
 */
export const requireUnitQueueReader = async (ctx: AuditContext, unitId: string) => {
  const unit = await findUnit(unitId);
  if (unit && mayReadUnitQueue(ctx.principal, unit)) {
    ctx.facts = { ...ctx.facts, objectAgencyId: unit.agencyId };
    return unit;
  }
  await audit(ctx, [{ action: 'queue.read', objectType: 'agency', objectId: unitId, outcome: unit ? 'denied' : 'notFound' }]);
  throw new DomainError('notFound', 'unit.notFound', '部门不存在或无权查看其待办');
};

/**
 * The work lists of an agency (its processes, its cases): the agency's leadership and its legal,
 * supervision and discipline departments, the same in superior agencies, and a department head for
 * the own department. Outside the caller's tree the agency does not exist (404); a refusal is audited.
 */
export const requireWorkListReader = async (ctx: AuditContext, agencyId: string, unitId: string | undefined, refusal: { action: string; code: string; detail: string }) => {
  const agency = await findAgency(agencyId);
  const subject = agency && { agencyId: agency.agencyId, agencyPath: [agency.agencyId, ...agency.ancestors], unitId };
  await requireVisible(ctx, 'workList', subject, { action: refusal.action, objectType: 'agency', objectId: agencyId, objectAgencyId: agencyId }, refusal);
  return agency!;
};

/**
 * The auditor's desk (三员分立: only the 安全审计员 holds audit.*): the auditor's own agency, or one
 * below it — a superior agency's auditor audits its subordinates, read-only. Anything else does not
 * exist for the caller (404). Refusals stay on the caller's own agency's record, so that a token
 * cannot write into the chains of an agency it names. Returns the audited agency.
 */
export const requireAuditScope = async (ctx: AuditContext, perm: 'audit.read' | 'audit.export' | 'audit.verify', agencyId: string | undefined): Promise<string> => {
  const p = ctx.principal;
  const target = agencyId ?? p.agencyId;
  await requirePermission(ctx, perm, { objectType: 'audit', objectId: target, objectAgencyId: p.agencyId });
  // reading audit is audited on the audited agency's record (docs/security.md §3)
  const inScope = target === p.agencyId || (await findAgency(target))?.ancestors.includes(p.agencyId);
  if (inScope) {
    ctx.facts = { ...ctx.facts, objectAgencyId: target };
    return target;
  }
  await audit(ctx, [{ action: perm, objectType: 'audit', objectId: target, objectAgencyId: p.agencyId, outcome: 'notFound', reason: "agency outside the auditor's subtree" }]);
  throw new DomainError('notFound', 'agency.notFound', '机关不存在或无权访问');
};
