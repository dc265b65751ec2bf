import * as r from '#shared/api/routes.ts';
import { authorizeFile, requireKnownFile } from '#shared/access/gate.ts';
import { decideGrant, listGrantsOfFile, listGrantsOfGrantee, requestGrant, revokeGrant } from '#shared/access/grants.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind, idempotencyOf } from '#shared/http/handler.ts';
import { etagOf } from '#shared/kernel/schemas.ts';

/** Access grants (A8): request with a purpose, approval, expiry, revocation. */
const withEtag = (g: { version: number }) => ({ body: g, headers: { etag: etagOf(g.version) } });

export const handler = auditedHttpGroup([
  bind(r.requestGrant, async ({ params, body, ctx }) => {
    // a grant may be requested on any file the caller can know exists (own agency tree)
    const officer = await requireKnownFile(ctx, params.officerId);
    return withEtag(await requestGrant(ctx, officer, body, idempotencyOf(ctx, { params, body })));
  }),
  bind(r.listGrants, async ({ params, ctx }) => {
    await authorizeFile(ctx, params.officerId, 'grant.approve', { objectType: 'grant', objectId: params.officerId });
    return { body: { items: await listGrantsOfFile(params.officerId) } };
  }),
  bind(r.decideGrant, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'grant.approve', { objectType: 'grant', objectId: params.grantId });
    return withEtag(await decideGrant(ctx, gate, params.grantId, body, ctx.ifMatch));
  }),
  bind(r.revokeGrant, async ({ params, body, ctx }) => {
    // the security administrator, an approver, or the grantee giving it up (revokeGrant decides)
    const officer = await requireKnownFile(ctx, params.officerId);
    return withEtag(await revokeGrant(ctx, officer, params.grantId, body.reason, ctx.ifMatch));
  }),
  bind(r.myGrants, async ({ ctx }) => ({ body: { items: await listGrantsOfGrantee(ctx.principal.userId) } })),
]);
