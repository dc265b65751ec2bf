import * as r from '#shared/api/evidence-routes.ts';
import { completeUpload, declareDerived, declareEvidence, linkToCase, placeHold, recordKeepingOf, releaseHold, requireEvidence, uploadParts } from '#shared/evidence/service.ts';
import { authorizeFile } from '#shared/access/gate.ts';
import { approveDisposition, contentUrl, decideViewing, listCopies, produceCopy, proposeDispositionOf, requestViewing } from '#shared/evidence/custody.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind, idempotencyOf } from '#shared/http/handler.ts';
import { etagOf } from '#shared/kernel/schemas.ts';

/** Audiovisual evidence: declare and upload straight to S3, the record, holds, case links. */
const withEtag = <T extends { version: number }>(e: T) => ({ body: e, headers: { etag: etagOf(e.version) } });

export const handler = auditedHttpGroup([
  bind(r.declareEvidence, async ({ body, ctx }) => {
    const res = await declareEvidence(ctx, body, idempotencyOf(ctx, { body }));
    return { body: res, headers: { etag: etagOf(res.evidence.version) } };
  }),
  bind(r.officerRecordKeeping, async ({ params, query, ctx }) => {
    // the officer's record-keeping is part of the file (A3 work, B1 assessment): the file's readers see it
    await authorizeFile(ctx, params.officerId, 'file.read');
    return { body: await recordKeepingOf(params.officerId, query.year), audit: { reason: `D2 ${query.year}` } };
  }),
  bind(r.declareDerivedEvidence, async ({ params, body, ctx }) => {
    const res = await declareDerived(ctx, params.evidenceId, body, idempotencyOf(ctx, { params, body }));
    return { body: res, headers: { etag: etagOf(res.evidence.version) } };
  }),
  bind(r.getEvidence, async ({ params, ctx }) => withEtag(await requireEvidence(ctx, params.evidenceId, 'evidence.read'))),
  bind(r.evidenceUploadUrls, async ({ params, query, ctx }) => ({ body: await uploadParts(ctx, params.evidenceId, query.from) })),
  bind(r.completeEvidenceUpload, async ({ params, body, ctx }) => ({ body: await completeUpload(ctx, params.evidenceId, body.parts) })),
  bind(r.placeEvidenceHold, async ({ params, body, ctx }) => withEtag(await placeHold(ctx, params.evidenceId, body, ctx.ifMatch))),
  bind(r.releaseEvidenceHold, async ({ params, body, ctx }) => withEtag(await releaseHold(ctx, params.evidenceId, params.holdId, body, ctx.ifMatch))),
  bind(r.linkEvidenceToCase, async ({ params, body, ctx }) => withEtag(await linkToCase(ctx, params.evidenceId, body.caseId, ctx.ifMatch))),
  bind(r.requestEvidenceView, async ({ params, body, ctx }) => withEtag(await requestViewing(ctx, params.evidenceId, body))),
  bind(r.decideEvidenceView, async ({ params, body, ctx }) => withEtag(await decideViewing(ctx, params.evidenceId, params.requestId, body, ctx.ifMatch))),
  bind(r.evidenceContent, async ({ params, query, ctx }) => ({ body: await contentUrl(ctx, params.evidenceId, { grantId: query.grantId, download: query.download === 'true' }) })),
  bind(r.produceEvidenceCopy, async ({ params, body, ctx }) => ({ body: await produceCopy(ctx, params.evidenceId, body) })),
  bind(r.listEvidenceCopies, async ({ params, ctx }) => ({ body: { items: await listCopies(ctx, params.evidenceId) } })),
  bind(r.proposeEvidenceDisposition, async ({ params, ctx }) => withEtag(await proposeDispositionOf(ctx, params.evidenceId))),
  bind(r.approveEvidenceDisposition, async ({ params, ctx }) => withEtag(await approveDisposition(ctx, params.evidenceId, ctx.ifMatch))),
]);
