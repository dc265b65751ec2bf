import * as r from '#shared/api/routes.ts';
import { authorizeFile, requireInWorkflow } from '#shared/access/gate.ts';
import { requireUnitQueueReader } from '#shared/access/permission.ts';
import { verifyChain } from '#shared/archive/chain.ts';
import type { DraftBody } from '#shared/archive/entry-types.ts';
import { archiveDraft, createDraftEntry, listDraftsOf, readDraft, transitionDraft, unitQueue, updateDraftEntry } from '#shared/archive/entries.ts';
import { getChainEntry, queryTimeline, readFileMeta, readWholeChain } from '#shared/archive/file-store.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind, idempotencyOf } from '#shared/http/handler.ts';
import { DomainError, notFound } from '#shared/kernel/errors.ts';
import { etagOf } from '#shared/kernel/schemas.ts';
import { nowIso, systemClock } from '#shared/kernel/clock.ts';
import { transferFile } from '#shared/archive/officers.ts';
import { inWorkflow } from '#shared/access/decide.ts';

/** The officer file (一人一档): timeline, chain verification, the A6 entry workflow, transfers. */
const withEtag = (d: { version: number }) => ({ body: d, headers: { etag: etagOf(d.version) } });
/** whoever may author an entry (A6 drafter, A7 handing-over department) may edit and submit it; authorship is checked too */
const AUTHORING = ['entry.draft', 'entry.handover'] as const;
const entryObj = (entryId: string) => ({ objectType: 'entry' as const, objectId: entryId });

export const handler = auditedHttpGroup([
  bind(r.getFile, async ({ params, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'file.read');
    const meta = await readFileMeta(params.officerId);
    return {
      body: {
        officer: gate.officer,
        custody: gate.subject.custody,
        opened: meta !== undefined,
        headSeq: meta?.headSeq ?? 0,
        headHash: meta?.headHash,
        openedAt: meta?.openedAt,
        accessBasis: gate.decision.basis,
      },
    };
  }),
  bind(r.listEntries, async ({ params, query, ctx }) => {
    await authorizeFile(ctx, params.officerId, 'file.read');
    return { body: await queryTimeline(params.officerId, query), audit: { reason: query.category ? `category ${query.category}` : undefined } };
  }),
  bind(r.getEntry, async ({ params, ctx }) => {
    await authorizeFile(ctx, params.officerId, 'file.read', { objectType: 'entry', objectId: `${params.officerId}#${params.seq}` });
    const e = await getChainEntry(params.officerId, params.seq);
    if (!e) throw notFound('entry.notFound', '条目不存在'); // recorded by the pipeline (outcome notFound)
    return { body: e };
  }),
  bind(r.verifyFile, async ({ params, ctx }) => {
    await authorizeFile(ctx, params.officerId, 'file.read');
    const [meta, chain] = await Promise.all([readFileMeta(params.officerId), readWholeChain(params.officerId)]);
    const result = verifyChain(chain.entries, meta ? { seq: meta.headSeq, hash: meta.headHash } : undefined);
    return { body: result, audit: { reason: result.ok ? 'ok' : 'chain broken' } };
  }),
  bind(r.listDrafts, async ({ params, query, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.work');
    const all = await listDraftsOf(params.officerId, query.state);
    // a workflow-only basis (the designated recorder) lists the entries on their way in, not the archived ones (A6/A8)
    return { body: { items: gate.decision.workflowOnly ? all.filter(inWorkflow) : all } };
  }),
  bind(r.createDraft, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.draft');
    return withEtag(await createDraftEntry(ctx, gate, body as DraftBody, { idempotent: idempotencyOf(ctx, { params, body }) }));
  }),
  bind(r.createHandover, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.handover');
    const dept = gate.decision.basis.replace('handover:', '');
    // the basis names the department role the caller holds (A7): it must be the one handing over
    if (dept !== body.handover.fromDepartment) {
      throw new DomainError('forbidden', 'handover.department', '移交部门须与当前用户所属部门一致（A7）');
    }
    const handover = { ...body.handover, receipt: { receivedBy: ctx.principal.userId, receivedAt: nowIso(systemClock) } };
    return withEtag(await createDraftEntry(ctx, gate, body.entry as DraftBody, { handover, idempotent: idempotencyOf(ctx, { params, body }) }));
  }),
  bind(r.getDraft, async ({ params, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.work', entryObj(params.entryId));
    const d = await readDraft(params.officerId, params.entryId);
    await requireInWorkflow(ctx, gate, entryObj(params.entryId), () => inWorkflow(d));
    return withEtag(d);
  }),
  bind(r.updateDraft, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, AUTHORING, entryObj(params.entryId));
    return withEtag(await updateDraftEntry(ctx, gate, params.entryId, body as DraftBody, ctx.ifMatch));
  }),
  bind(r.submitDraft, async ({ params, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, AUTHORING, entryObj(params.entryId));
    return withEtag(await transitionDraft(ctx, gate, params.entryId, 'submit', ctx.ifMatch));
  }),
  bind(r.reviewDraft, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.review', entryObj(params.entryId));
    const b = body as { decision: 'approve'; comment?: string } | { decision: 'reject'; reason: string };
    const next =
      b.decision === 'approve'
        ? await transitionDraft(ctx, gate, params.entryId, 'approve', ctx.ifMatch, b.comment)
        : await transitionDraft(ctx, gate, params.entryId, 'reject', ctx.ifMatch, b.reason);
    return withEtag(next);
  }),
  bind(r.acknowledgeDraft, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.acknowledge', entryObj(params.entryId));
    return withEtag(await transitionDraft(ctx, gate, params.entryId, 'acknowledge', ctx.ifMatch, (body as { comment?: string }).comment));
  }),
  bind(r.archiveDraft, async ({ params, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'entry.archive', entryObj(params.entryId));
    return { status: 201, body: await archiveDraft(ctx, gate, params.entryId, ctx.ifMatch) };
  }),
  bind(r.transferFile, async ({ params, body, ctx }) => {
    const gate = await authorizeFile(ctx, params.officerId, 'file.transfer');
    return { body: await transferFile(ctx, gate, body, idempotencyOf(ctx, { params, body })) };
  }),
  bind(r.reviewQueue, async ({ params, query, ctx }) => {
    const unit = await requireUnitQueueReader(ctx, params.unitId);
    return { body: { items: await unitQueue(unit.agencyId, unit.unitId, query.state) } };
  }),
]);
