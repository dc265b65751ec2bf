import type { Principal } from '../access/principal.ts';
import { refuse, requireVisible } from '../access/require-visible.ts';
import { visibilityOf } from '../access/visibility.ts';
import { audit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import { spotCheckRunKey } from '../adapters/dynamodb/keys/evidence.ts';
import type { CaseRecord } from '../cases/model.ts';
import { findCase } from '../cases/service.ts';
import { systemClock } from '../kernel/clock.ts';
import { findAgency } from '../org/store.ts';
import { validateBag } from '../preservation/bagit.ts';
import { packageReport } from '../preservation/four-properties.ts';
import { S3BagStore } from '../preservation/s3-store.ts';
import { ruleInForce } from '../rules/store.ts';
import { fixityChecksOf } from './fixity.ts';
import { auditInChunks, auditObject, getItem, today } from './job-support.ts';
import { findPackage } from './packaging.ts';
import { requireEvidence } from './use-case-support.ts';
import { type SpotCheckRun, spotCheckEntries } from './spot-check.ts';

/**
 * What people read of the nightly jobs' records (functions/http/preservation.ts): a closed case's
 * package and its export (D5), the D8 spot-check ledger, an item's fixity history. Each read is
 * audited, a refusal too.
 */

/** Who may know a case's package exists: shared/access/visibility.ts, row `package`; `allowed` narrows what the action needs. */
const requirePackage = async (ctx: AuditContext, caseId: string, action: string, allowed: (p: Principal, c: CaseRecord) => boolean) => {
  const c = await findCase(caseId);
  const v = visibilityOf('package', ctx.principal, c);
  const object = { action, objectType: 'case' as const, objectId: caseId, objectAgencyId: c?.agencyId };
  const refusal = action === 'case.exportPackage' ? { code: 'package.forbidden', detail: '向人民法院、复议机关或档案馆提供案卷信息包由本机关法制部门统一办理（D5）' } : undefined;
  if (v !== 'read' || !allowed(ctx.principal, c!)) return refuse(ctx, 'package', v === 'read' ? 'forbidden' : v, object, refusal);
  const pkg = await findPackage(caseId);
  if (pkg?.status !== 'packaged') await refuse(ctx, 'package', 'hidden', { ...object, reason: 'no package yet' });
  return { c: c!, pkg: pkg! };
};

/** The package record of a case (its manifests' hashes, Payload-Oxum, validation, 四性检测 report). */
export const getPackage = async (ctx: AuditContext, caseId: string) => {
  const { c, pkg } = await requirePackage(ctx, caseId, 'case.readPackage', () => true);
  await audit(ctx, [{ action: 'case.readPackage', objectType: 'case', objectId: caseId, objectAgencyId: c.agencyId, outcome: 'allowed' }]);
  return pkg;
};

/**
 * Presigned GET URLs of every file of a case's bag, for a court, a review body or an archives
 * office (D5: provided centrally by the agency's legal department; the bag itself is the copy kept).
 * URL lifetime: D6's presignedUrlSeconds. The export, and each item's content leaving, are audited.
 */
export const exportPackage = async (ctx: AuditContext, caseId: string, request: { recipient: string; purpose: string }) => {
  const { c, pkg } = await requirePackage(ctx, caseId, 'case.exportPackage', (p, cs) => p.agencyId === cs.agencyId && p.roles.includes('legal'));
  const d6 = (await ruleInForce('D6', c.agencyPath, today())).parameters;
  const store = new S3BagStore(pkg.prefix);
  // DA/T 70 at handover: the package is re-validated as it leaves (RFC 8493 complete and valid)
  const validation = await validateBag(store);
  const handover = packageReport({ id: pkg.packageId, title: `${c.caseNumber} ${c.title}`, bag: validation, items: [], expectedItemCount: 0 }, { stage: 'handover', now: systemClock.now() });
  const paths = (await store.list('')).sort();
  const files = await Promise.all(paths.map(async (path) => ({ path, url: await store.presignGet(path, d6.presignedUrlSeconds) })));
  await auditInChunks(ctx, [
    {
      action: 'case.exportPackage',
      objectType: 'case',
      objectId: caseId,
      objectAgencyId: c.agencyId,
      outcome: 'allowed',
      purpose: request.purpose,
      reason: `package ${pkg.packageId} to ${request.recipient}`,
    },
    ...(pkg.evidence ?? []).map((e) => ({
      action: 'evidence.exportPackage',
      objectType: 'evidence' as const,
      objectId: e.evidenceId,
      objectAgencyId: c.agencyId,
      outcome: 'allowed' as const,
      purpose: request.purpose,
      reason: `in package ${pkg.packageId} to ${request.recipient}`,
    })),
  ]);
  return {
    caseId,
    caseNumber: c.caseNumber,
    packageId: pkg.packageId,
    bagInfo: pkg.bagInfo,
    payloadOxum: pkg.payloadOxum,
    tagFiles: pkg.tagFiles,
    expiresIn: d6.presignedUrlSeconds,
    files,
    handover: { bagValid: validation.valid, complete: validation.complete, problems: validation.problems.length, overall: handover.overall, report: handover },
  };
};

/** The ledger of a day (who reads it: shared/access/visibility.ts, row `spotCheckLedger`). */
export const spotCheckLedger = async (ctx: AuditContext, agencyId: string, date: string) => {
  const agency = await findAgency(agencyId);
  const subject = agency && { agencyId: agency.agencyId, agencyPath: [agency.agencyId, ...agency.ancestors] };
  await requireVisible(ctx, 'spotCheckLedger', subject, { action: 'evidence.spotCheckLedger', objectType: 'agency', objectId: agencyId });
  const run = (await getItem(spotCheckRunKey(agencyId, date)))?.record as SpotCheckRun | undefined;
  const items = await spotCheckEntries(agencyId, date);
  await audit(ctx, [{ action: 'evidence.spotCheckLedger', objectType: 'agency', objectId: agencyId, objectAgencyId: agencyId, outcome: 'allowed', reason: date }]);
  return { date, run: run ?? null, items };
};

/** An item's fixity history (those who may know the item exists: service.ts evidenceVisibility). */
export const fixityHistory = async (ctx: AuditContext, evidenceId: string) => {
  const e = await requireEvidence(ctx, evidenceId, 'evidence.fixityHistory');
  const items = await fixityChecksOf(evidenceId);
  await audit(ctx, [{ action: 'evidence.fixityHistory', ...auditObject(e), outcome: 'allowed' }]);
  return { evidenceId, fixityMismatch: e.fixityMismatch ?? null, items };
};
