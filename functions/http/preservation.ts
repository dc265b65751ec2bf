import * as r from '#shared/api/preservation-routes.ts';
import { exportPackage, fixityHistory, getPackage, spotCheckLedger } from '#shared/evidence/job-records.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind } from '#shared/http/handler.ts';
import { etagOf } from '#shared/kernel/schemas.ts';

/** Preservation packages, fixity history and the D8 spot-check ledger (read-only; every read audited). */
export const handler = auditedHttpGroup([
  bind(r.getCasePackage, async ({ params, ctx }) => {
    const p = await getPackage(ctx, params.caseId);
    return { body: p, headers: { etag: etagOf(p.version) } };
  }),
  bind(r.exportCasePackage, async ({ params, query, ctx }) => ({ body: await exportPackage(ctx, params.caseId, query) })),
  bind(r.evidenceFixity, async ({ params, ctx }) => ({ body: await fixityHistory(ctx, params.evidenceId) })),
  bind(r.spotCheckLedger, async ({ params, query, ctx }) => ({ body: await spotCheckLedger(ctx, params.agencyId, query.date) })),
]);
