import * as r from '#shared/api/routes.ts';
import { attachmentInWorkflow } from '#shared/access/decide.ts';
import { authorizeFile, requireInWorkflow } from '#shared/access/gate.ts';
import { createAttachment, downloadUrl, readAttachment, verifyArrival } from '#shared/archive/attachments.ts';
import { listDraftsOf } from '#shared/archive/entries.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind, idempotencyOf } from '#shared/http/handler.ts';

/** Attachments on entries: presigned upload with the client's SHA-256, server-side verification. */
export const handler = auditedHttpGroup([
  bind(r.createAttachment, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.draft', { objectType: 'attachment', objectId: params.officerId });
    return { body: await createAttachment(ctx, gate, body, idempotencyOf(ctx, { params, body })) };
  }),
  bind(r.getAttachment, async ({ params, ctx }) => {
    const object = { objectType: 'attachment' as const, objectId: params.attachmentId };
    const gate = await authorizeFile(ctx, params.officerId, 'entry.work', object);
    const a = await readAttachment(params.officerId, params.attachmentId);
    await requireInWorkflow(ctx, gate, object, async () => attachmentInWorkflow(a, await listDraftsOf(params.officerId), ctx.principal.userId));
    return { body: { attachment: a, downloadUrl: await downloadUrl(a) } };
  }),
  bind(r.verifyAttachment, async ({ params, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.draft', { objectType: 'attachment', objectId: params.attachmentId });
    return { body: await verifyArrival(ctx, params.officerId, params.attachmentId, gate.officer.agencyId) };
  }),
]);
