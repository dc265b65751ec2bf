import * as r from '#shared/api/routes.ts';
import { authorizeFile } from '#shared/access/gate.ts';
import { requireAgencyInTree, requirePermission } from '#shared/access/permission.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind, idempotencyOf } from '#shared/http/handler.ts';
import { DomainError } from '#shared/kernel/errors.ts';
import { etagOf } from '#shared/kernel/schemas.ts';
import { createOfficer, issueQualification, recordQualificationEvent } from '#shared/archive/officers.ts';
import { createAgency, createUnit } from '#shared/org/service.ts';
import { listAllAgencies, listOfficersOf, listQualificationsOf, listUnitsOf } from '#shared/org/store.ts';

/** Agencies, units, officers and their enforcement certificates (E1, E2, A5; docs/rules.md). */

export const handler = auditedHttpGroup([
  bind(r.createAgency, async ({ body, ctx }) => {
    await requirePermission(ctx, 'org.manage', { objectType: 'agency', objectId: body.parentId ?? 'root' });
    if (body.parentId) await requireAgencyInTree(ctx, body.parentId);
    else throw new DomainError('forbidden', 'agency.rootForbidden', '不能在当前机关树之外新建顶级机关');
    return { body: await createAgency(ctx, body, idempotencyOf(ctx, body)) };
  }),
  bind(r.listAgencies, async ({ ctx }) => {
    const all = await listAllAgencies();
    const visible = all.filter((a) => a.agencyId === ctx.principal.agencyId || a.ancestors.includes(ctx.principal.agencyId));
    return { body: { items: visible }, audit: { objectAgencyId: ctx.principal.agencyId } };
  }),
  bind(r.createUnit, async ({ params, body, ctx }) => {
    await requirePermission(ctx, 'org.manage', { objectType: 'agency', objectId: params.agencyId, objectAgencyId: params.agencyId });
    await requireAgencyInTree(ctx, params.agencyId);
    return { body: await createUnit(ctx, params.agencyId, body, idempotencyOf(ctx, { params, body })) };
  }),
  bind(r.listUnits, async ({ params, ctx }) => {
    await requireAgencyInTree(ctx, params.agencyId);
    return { body: { items: await listUnitsOf(params.agencyId) } };
  }),
  bind(r.listOfficers, async ({ params, query, ctx }) => {
    await requireAgencyInTree(ctx, params.agencyId);
    const items = await listOfficersOf(params.agencyId, query.unitId);
    // the staff directory: names and posts, never file contents
    return {
      body: { items: items.map(({ officerId, name, staffNumber, agencyId, unitId, post, status, fileOpened }) => ({ officerId, name, staffNumber, agencyId, unitId, post, status, fileOpened })) },
    };
  }),
  bind(r.createOfficer, async ({ body, ctx }) => {
    await requirePermission(ctx, 'officer.register', { objectType: 'officer', objectId: 'new', objectAgencyId: body.agencyId });
    await requireAgencyInTree(ctx, body.agencyId);
    const o = await createOfficer(ctx, body, idempotencyOf(ctx, body));
    return { body: o, headers: { etag: etagOf(o.version) } };
  }),
  bind(r.getOfficer, async ({ params, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'file.read', { objectType: 'officer', objectId: params.officerId });
    return { body: gate.officer, headers: { etag: etagOf(gate.officer.version) } };
  }),
  bind(r.listQualifications, async ({ params, ctx }) => {
    await authorizeFile(ctx, params.officerId, 'file.read', { objectType: 'qualification', objectId: params.officerId });
    return { body: { items: await listQualificationsOf(params.officerId) } };
  }),
  bind(r.issueQualification, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'file.read', { objectType: 'qualification', objectId: params.officerId });
    await requirePermission(ctx, 'qualification.manage', { objectType: 'qualification', objectId: params.officerId, objectAgencyId: gate.officer.agencyId });
    const q = await issueQualification(ctx, gate, body, idempotencyOf(ctx, { params, body }));
    return { body: q, headers: { etag: etagOf(q.version) } };
  }),
  bind(r.recordQualificationEvent, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'file.read', { objectType: 'qualification', objectId: params.qualificationId });
    await requirePermission(ctx, 'qualification.manage', { objectType: 'qualification', objectId: params.qualificationId, objectAgencyId: gate.officer.agencyId });
    const q = await recordQualificationEvent(ctx, gate, params.qualificationId, body, ctx.ifMatch);
    return { body: q, headers: { etag: etagOf(q.version) } };
  }),
]);
