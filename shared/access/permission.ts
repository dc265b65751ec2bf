import { audit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import type { AuditDraft } from '../audit/record.ts';
import { DomainError } from '../kernel/errors.ts';
import { can, type Permission } from './decide.ts';

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
