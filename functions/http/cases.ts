import * as r from '#shared/api/case-routes.ts';
import { createCase, getCase, listCases, recordOutcome, recordStep, type StepInput } from '#shared/cases/service.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind, idempotencyOf } from '#shared/http/handler.ts';
import { etagOf } from '#shared/kernel/schemas.ts';
import { processConsumer } from '#shared/process/consumers.ts';
import { wire } from '#shared/wiring.ts';

// the fast path after each commit runs the process area's consumer (C8: a major penalty decision opens its
// filing); the evidence area's case events stay pending for functions/jobs/evidence-outbox.ts (docs/architecture.md §6)
wire([processConsumer]);

/** Cases (一案一表, A2): file a case, record its steps and decision, review and litigation results. */
const withEtag = <T extends { version: number }>(c: T) => ({ body: c, headers: { etag: etagOf(c.version) } });

export const handler = auditedHttpGroup([
  bind(r.createCase, async ({ body, ctx }) => withEtag(await createCase(ctx, body, idempotencyOf(ctx, { body })))),
  bind(r.getCase, async ({ params, ctx }) => withEtag(await getCase(ctx, params.caseId))),
  bind(r.recordCaseStep, async ({ params, body, ctx }) => withEtag(await recordStep(ctx, params.caseId, body as StepInput, ctx.ifMatch))),
  bind(r.recordCaseOutcome, async ({ params, body, ctx }) => withEtag(await recordOutcome(ctx, params.caseId, body, ctx.ifMatch))),
  bind(r.listCases, async ({ params, query, ctx }) => ({ body: await listCases(ctx, params.agencyId, query) })),
]);
