import * as r from '#shared/api/routes.ts';
import { requireAuditScope, requirePermission } from '#shared/access/permission.ts';
import type { AuditContext } from '#shared/adapters/dynamodb/commit.ts';
import { queryAuditRecords, toCsv, verifyAgencyAudit } from '#shared/audit/query.ts';
import { getAuditShards, raiseAuditShards } from '#shared/audit/shard-admin.ts';
import type { AuditRecord } from '#shared/audit/record.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind } from '#shared/http/handler.ts';
import { shanghaiDate, systemClock } from '#shared/kernel/clock.ts';
import { notFound } from '#shared/kernel/errors.ts';
import { findAgency } from '#shared/org/store.ts';

/**
 * The auditor's desk (安全审计员): query, CSV export, chain verification of the auditor's agency or,
 * with `agencyId`, of one below it (read-only). Reading audit is itself audited, on the audited agency's record.
 * Beside it, the layout of the agency's own chains: its audit shard count, read and raised by its 系统管理员
 * (an `AUDIT#` item, within this group's audit-only write access).
 */
const EXPORT_MAX = 50_000;

/**
 * The audit shard count is the caller's own agency's, for its 系统管理员 (org.manage) only: the agency
 * comes from the token, so no request can name another agency's chains (docs/scale.md).
 */
const ownAgencyForShards = async (ctx: AuditContext) => {
  const agencyId = ctx.principal.agencyId;
  await requirePermission(ctx, 'org.manage', { objectType: 'audit', objectId: agencyId, objectAgencyId: agencyId });
  if (!(await findAgency(agencyId))) throw notFound('agency.notFound', '机关不存在或无权访问'); // recorded by the pipeline
  return agencyId;
};

export const handler = auditedHttpGroup([
  bind(r.queryAudit, async ({ query, ctx }) => {
    const agencyId = await requireAuditScope(ctx, 'audit.read', query.agencyId);
    return { body: await queryAuditRecords({ ...query, agencyId, date: query.date ?? shanghaiDate(systemClock.now()) }) };
  }),
  bind(r.exportAudit, async ({ query, ctx }) => {
    const agencyId = await requireAuditScope(ctx, 'audit.export', query.agencyId);
    const all: AuditRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await queryAuditRecords({ ...query, agencyId, date: query.date ?? shanghaiDate(systemClock.now()), limit: 1000, cursor });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor && all.length < EXPORT_MAX);
    return { body: toCsv(all), headers: { 'content-disposition': `attachment; filename="audit-${query.date ?? 'today'}.csv"` }, audit: { reason: `${all.length} records` } };
  }),
  bind(r.verifyAudit, async ({ query, ctx }) => {
    const agencyId = await requireAuditScope(ctx, 'audit.verify', query.agencyId);
    const result = await verifyAgencyAudit(agencyId);
    return { body: result, audit: { reason: result.ok ? 'ok' : 'broken' } };
  }),
  bind(r.getAuditShards, async ({ ctx }) => {
    const agencyId = await ownAgencyForShards(ctx);
    return { body: await getAuditShards(agencyId), audit: { objectAgencyId: agencyId } };
  }),
  bind(r.raiseAuditShards, async ({ body, ctx }) => {
    const agencyId = await ownAgencyForShards(ctx);
    return { body: await raiseAuditShards(ctx, agencyId, body) };
  }),
]);
