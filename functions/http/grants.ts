import * as r from '#shared/api/routes.ts';
import { authorizeFile, decideFor } from '#shared/access/gate.ts';
import { decideGrant, listGrantsOfFile, listGrantsOfGrantee, readGrant, requestGrant, revokeGrant } from '#shared/access/grants.ts';
import { can } from '#shared/access/decide.ts';
import { audit } from '#shared/adapters/dynamodb/commit.ts';
import { bind, httpGroup, idempotencyOf, type RequestContext } from '#shared/http/handler.ts';
import { DomainError, notFound } from '#shared/kernel/errors.ts';
import { etagOf } from '#shared/kernel/schemas.ts';
import { findOfficer } from '#shared/org/store.ts';

/** Access grants (A8): request with a purpose, approval, expiry, revocation. */
const withEtag = (g: { version: number }) => ({ body: g, headers: { etag: etagOf(g.version) } });

/** A grant may be requested on any file the caller can know exists (own agency tree). */
const visibleOfficer = async (ctx: RequestContext, officerId: string) => {
  const officer = await findOfficer(officerId);
  const decision = officer ? await decideFor(ctx, officer, 'file.read') : undefined;
  if (!officer || (decision && !decision.allowed && !decision.visible)) {
    await audit(ctx, [{ action: 'grant.request', objectType: 'file', objectId: officerId, outcome: 'notFound' }]);
    throw notFound('file.notFound', '执法人员或其档案不存在，或无权访问');
  }
  return officer;
};

export const handler = httpGroup([
  bind(r.requestGrant, async ({ params, body, ctx }) => {
    const officer = await visibleOfficer(ctx, params.officerId);
    return withEtag(await requestGrant(ctx, officer, body, idempotencyOf(ctx, { params, body })));
  }),
  bind(r.listGrants, async ({ params, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'grant.approve', { objectType: 'grant', objectId: params.officerId });
    const items = await listGrantsOfFile(params.officerId);
    await audit(ctx, [{ ...gate.auditBase, action: 'grant.list', objectType: 'grant', objectId: params.officerId }]);
    return { body: { items } };
  }),
  bind(r.decideGrant, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'grant.approve', { objectType: 'grant', objectId: params.grantId });
    return withEtag(await decideGrant(ctx, gate, params.grantId, body, ctx.ifMatch));
  }),
  bind(r.revokeGrant, async ({ params, body, ctx }) => {
    const officer = await visibleOfficer(ctx, params.officerId);
    const g = await readGrant(params.officerId, params.grantId);
    // the security administrator, the approver, or the grantee giving it up
    const decision = await decideFor(ctx, officer, 'grant.approve');
    if (!(can(ctx.principal, 'grant.revoke') && ctx.principal.agencyId === officer.agencyId) && !decision.allowed && g.granteeUserId !== ctx.principal.userId) {
      await audit(ctx, [{ action: 'grant.revoke', objectType: 'grant', objectId: params.grantId, objectAgencyId: officer.agencyId, outcome: 'denied' }]);
      throw new DomainError('forbidden', 'grant.revokeForbidden', '无权撤销该授权');
    }
    return withEtag(await revokeGrant(ctx, officer, params.grantId, body.reason, ctx.ifMatch));
  }),
  bind(r.myGrants, async ({ ctx }) => {
    const items = await listGrantsOfGrantee(ctx.principal.userId);
    await audit(ctx, [{ action: 'grant.listMine', objectType: 'grant', objectId: ctx.principal.userId, outcome: 'allowed' }]);
    return { body: { items } };
  }),
]);
