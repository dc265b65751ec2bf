import type { Principal } from '../access/principal.ts';
import { requireVisible } from '../access/require-visible.ts';
import { visibilityOf, type VisibilitySubject } from '../access/visibility.ts';
import type { AuditContext } from '../adapters/dynamodb/commit.ts';
import { systemClock } from '../kernel/clock.ts';
import { type EvidenceItem, findEvidence } from './model.ts';

/** What every evidence use case needs: its clock, the audited object, and who may know an item exists. */
export const now = (ctx: AuditContext) => (ctx.clock ?? systemClock).now();
export const auditObject = (e: Pick<EvidenceItem, 'evidenceId' | 'agencyId'>) => ({ objectType: 'evidence' as const, objectId: e.evidenceId, objectAgencyId: e.agencyId });

/**
 * Knowing that an item exists (its record, not its content: D6 — content only with an approved grant):
 * the capturing officer, the unit's head, the agency's leadership, legal, supervision and discipline,
 * and the superiors' leadership and supervision (shared/access/visibility.ts, row `evidence`).
 */
const subjectOf = (e: EvidenceItem): VisibilitySubject => ({ agencyId: e.agencyId, agencyPath: e.agencyPath, unitId: e.unitId, officerIds: [e.capture.officerId] });
export const evidenceVisibility = (p: Principal, e: EvidenceItem) => visibilityOf('evidence', p, subjectOf(e));

export const requireEvidence = async (ctx: AuditContext, evidenceId: string, action: string, consistent = false): Promise<EvidenceItem> => {
  const e = await findEvidence(evidenceId, consistent);
  await requireVisible(ctx, 'evidence', e && subjectOf(e), { action, objectType: 'evidence', objectId: evidenceId });
  return e!;
};
