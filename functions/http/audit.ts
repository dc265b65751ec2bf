import * as r from '#shared/api/routes.ts';
import { requirePermission } from '#shared/access/permission.ts';
import { audit } from '#shared/adapters/dynamodb/commit.ts';
import { queryAuditRecords, toCsv, verifyAgencyAudit } from '#shared/audit/query.ts';
import type { AuditRecord } from '#shared/audit/record.ts';
import { bind, httpGroup } from '#shared/http/handler.ts';
import { shanghaiDate, systemClock } from '#shared/kernel/clock.ts';

/** The auditor's desk (安全审计员): query, CSV export, chain verification. Reading audit is itself audited. */
const EXPORT_MAX = 50_000;

export const handler = httpGroup([
  bind(r.queryAudit, async ({ query, ctx }) => {
    await requirePermission(ctx, 'audit.read', { objectType: 'audit', objectId: ctx.principal.agencyId, objectAgencyId: ctx.principal.agencyId });
    const page = await queryAuditRecords({ ...query, agencyId: ctx.principal.agencyId, date: query.date ?? shanghaiDate(systemClock.now()) });
    await audit(ctx, [{ action: 'audit.read', objectType: 'audit', objectId: ctx.principal.agencyId, objectAgencyId: ctx.principal.agencyId, outcome: 'allowed' }]);
    return { body: page };
  }),
  bind(r.exportAudit, async ({ query, ctx }) => {
    await requirePermission(ctx, 'audit.export', { objectType: 'audit', objectId: ctx.principal.agencyId, objectAgencyId: ctx.principal.agencyId });
    const all: AuditRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await queryAuditRecords({ ...query, agencyId: ctx.principal.agencyId, date: query.date ?? shanghaiDate(systemClock.now()), limit: 1000, cursor });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor && all.length < EXPORT_MAX);
    await audit(ctx, [{ action: 'audit.export', objectType: 'audit', objectId: ctx.principal.agencyId, objectAgencyId: ctx.principal.agencyId, outcome: 'allowed', reason: `${all.length} records` }]);
    return { body: toCsv(all), headers: { 'content-disposition': `attachment; filename="audit-${query.date ?? 'today'}.csv"` } };
  }),
  bind(r.verifyAudit, async ({ ctx }) => {
    await requirePermission(ctx, 'audit.verify', { objectType: 'audit', objectId: ctx.principal.agencyId, objectAgencyId: ctx.principal.agencyId });
    const result = await verifyAgencyAudit(ctx.principal.agencyId);
    await audit(ctx, [{ action: 'audit.verify', objectType: 'audit', objectId: ctx.principal.agencyId, objectAgencyId: ctx.principal.agencyId, outcome: 'allowed', reason: result.ok ? 'ok' : 'broken' }]);
    return { body: result };
  }),
]);
