import * as r from '#shared/api/routes.ts';
import { authorizeFile } from '#shared/access/gate.ts';
import { audit } from '#shared/adapters/dynamodb/commit.ts';
import { createAttachment, downloadUrl, readAttachment, verifyArrival } from '#shared/archive/attachments.ts';
import { bind, httpGroup, idempotencyOf } from '#shared/http/handler.ts';

/** Attachments on entries: presigned upload with the client's SHA-256, server-side verification. */
export const handler = httpGroup([
  bind(r.createAttachment, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.draft', { objectType: 'attachment', objectId: params.officerId });
    return { body: await createAttachment(ctx, gate, body, idempotencyOf(ctx, { params, body })) };
  }),
  bind(r.getAttachment, async ({ params, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'file.read', { objectType: 'attachment', objectId: params.attachmentId });
    const a = await readAttachment(params.officerId, params.attachmentId);
    await audit(ctx, [{ ...gate.auditBase, action: 'attachment.read', objectType: 'attachment', objectId: params.attachmentId }]);
    return { body: { attachment: a, downloadUrl: await downloadUrl(a) } };
  }),
  bind(r.verifyAttachment, async ({ params, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.draft', { objectType: 'attachment', objectId: params.attachmentId });
    return { body: await verifyArrival(ctx, params.officerId, params.attachmentId, gate.officer.agencyId) };
  }),
]);
