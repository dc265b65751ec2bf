import { audit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import type { AuditDraft } from '../audit/record.ts';
import { forbidden, notFound } from '../kernel/errors.ts';
import { VISIBILITY, visibilityOf, type VisibilityKind, type VisibilitySubject } from './visibility.ts';

type Refusal = { code: string; detail: string };
type AuditedObject = Pick<AuditDraft, 'action' | 'objectType' | 'objectId'> & Partial<Pick<AuditDraft, 'objectAgencyId' | 'reason'>>;

/**
 * A refusal of the visibility table (visibility.ts), audited before it is answered (fail closed:
 * no audit record, no answer): `hidden` → outcome notFound and 404, `forbidden` → outcome denied and
 * 403 (docs/security.md §2.2). `refusal` replaces the row's 403 message where a use case says more.
 */
export const refuse = async (ctx: AuditContext, kind: VisibilityKind, v: 'forbidden' | 'hidden', object: AuditedObject, refusal?: Refusal): Promise<never> => {
  await audit(ctx, [{ ...object, outcome: v === 'hidden' ? 'notFound' : 'denied' }]);
  const row = VISIBILITY[kind];
  if (v === 'hidden') throw notFound(row.notFound.code, row.notFound.detail);
  const f = refusal ?? row.forbidden;
  throw forbidden(f.code, f.detail);
};

/**
 * The one gate for the records of the visibility table (processes, cases, evidence, packages, work
 * lists): the caller reads the record, or the refusal is audited and answered (404 / 403). A record
 * that does not exist (`subject` undefined) is refused like a hidden one. The audit record of the
 * refusal is held by the record's agency unless `object.objectAgencyId` says otherwise; on `read` the
 * record's agency becomes the request's audit fact (its read record is held there too).
 */
export const requireVisible = async (ctx: AuditContext, kind: VisibilityKind, subject: VisibilitySubject | undefined, object: AuditedObject, refusal?: Refusal): Promise<void> => {
  const v = visibilityOf(kind, ctx.principal, subject);
  if (v === 'read') {
    ctx.facts = { ...ctx.facts, objectAgencyId: subject!.agencyId };
    return;
  }
  await refuse(ctx, kind, v, { ...object, objectAgencyId: 'objectAgencyId' in object ? object.objectAgencyId : subject?.agencyId }, refusal);
};
