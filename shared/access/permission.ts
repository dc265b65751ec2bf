import { audit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import type { AuditDraft } from '../audit/record.ts';
import { DomainError } from '../kernel/errors.ts';
import { can, type Permission } from './decide.ts';
import { findAgency } from '../org/store.ts';

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
 * The work lists of an agency (its processes, its cases): the agency's leadership and its legal,
 * supervision and discipline departments, the same in superior agencies, and a department head for
 * the own department. Outside the caller's tree the agency does not exist (404); a refusal is audited.
 */
export const requireWorkListReader = async (
  ctx: AuditContext,
  agencyId: string,
  unitId: string | undefined,
  refusal: { action: string; code: string; detail: string },
) => {
  const p = ctx.principal;
  const agency = await findAgency(agencyId);
  const inTree = !!agency && (agency.agencyId === p.agencyId || agency.ancestors.includes(p.agencyId));
  const agencyWide = p.roles.some((r) => r === 'leadership' || r === 'legal' || r === 'supervision' || r === 'discipline');
  const ownUnit = p.roles.includes('deptHead') && !!unitId && unitId === p.unitId && agencyId === p.agencyId;
  if (inTree && (agencyWide || ownUnit)) return agency!;
  await audit(ctx, [{ action: refusal.action, objectType: 'agency', objectId: agencyId, objectAgencyId: agencyId, outcome: inTree ? 'denied' : 'notFound' }]);
  if (!inTree) throw new DomainError('notFound', 'agency.notFound', '机关不存在或无权访问');
  throw new DomainError('forbidden', refusal.code, refusal.detail);
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
  if (target === p.agencyId) return target;
  const agency = await findAgency(target);
  if (agency?.ancestors.includes(p.agencyId)) return target;
  await audit(ctx, [{ action: perm, objectType: 'audit', objectId: target, objectAgencyId: p.agencyId, outcome: 'notFound', reason: 'agency outside the auditor\'s subtree' }]);
  throw new DomainError('notFound', 'agency.notFound', '机关不存在或无权访问');
};
