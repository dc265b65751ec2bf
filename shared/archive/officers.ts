import { putVersioned, commit, type AuditContext, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import { tableName } from '../adapters/dynamodb/client.ts';
import { officerIndex, officerKey, qualificationKey } from '../adapters/dynamodb/keys/org.ts';
import type { Allowed } from '../access/gate.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, notFound, requireVersion, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { applyQualificationEvent, checkIssuance, type Qualification } from '../org/qualification.ts';
import { requireUnitOf } from '../org/service.ts';
import { findAgency, listQualificationsOf, type Officer } from '../org/store.ts';
import { ruleInForce } from '../rules/store.ts';
import { appendToChain, readFileMeta } from './file-store.ts';

/**
 * The officers' use cases, each written into the officer's file in the same transaction as the
 * change (一人一档): registration (the file opens at once under A1's variant), enforcement
 * certificates (E1; the first one opens the file, A5), and custody on a transfer or on leaving
 * enforcement (A5 档随人走). They live with the file: the organisation's records sit below the file
 * in the order of the areas (docs/architecture.md §4), agencies and units are org/service.ts.
 */
const now = (ctx: AuditContext) => nowIso(ctx.clock ?? systemClock);
const today = (ctx: AuditContext) => shanghaiDate((ctx.clock ?? systemClock).now());
type Idem = Omit<IdempotentCreate, 'response'> | undefined;
const withResponse = (i: Idem, response: unknown) => (i ? { ...i, response } : undefined);

const officerItem = (o: Officer) => ({ ...officerKey(o.officerId), ...officerIndex(o), kind: 'officer', record: o });

export const createOfficer = async (ctx: AuditContext, input: { name: string; staffNumber: string; agencyId: string; unitId: string; post: string; employment: string }, idem: Idem) => {
  await requireUnitOf(input.agencyId, input.unitId, 'body.unitId');
  const agency = await findAgency(input.agencyId);
  const o: Officer = { ...input, officerId: newId(), status: 'active', fileOpened: false, createdAt: now(ctx), version: 1 };
  const a1 = await ruleInForce('A1', [input.agencyId, ...(agency?.ancestors ?? [])], today(ctx));
  const officerWrite = { item: { Put: { TableName: tableName(), Item: officerItem(o), ConditionExpression: 'attribute_not_exists(pk)' } } };
  const auditDraft = { action: 'officer.create', objectType: 'officer' as const, objectId: o.officerId, objectAgencyId: o.agencyId, outcome: 'allowed' as const };
  if (a1.parameters.fileForStaffWithoutQualification) {
    // A1 (002's variant): every member of staff gets a file from registration
    const opened = { ...o, fileOpened: true };
    await appendToChain(
      ctx,
      o.officerId,
      [openingEntry(ctx, opened, `A1 ${a1.versionId}`)],
      () => ({
        writes: [{ item: { Put: { TableName: tableName(), Item: officerItem(opened), ConditionExpression: 'attribute_not_exists(pk)' } } }],
        audit: [auditDraft, { action: 'file.open', objectType: 'file', objectId: o.officerId, objectAgencyId: o.agencyId, outcome: 'allowed', reason: a1.versionId }],
      }),
      { opening: true, idempotent: withResponse(idem, opened) },
    );
    return opened;
  }
  await commit(ctx, [officerWrite], [auditDraft], withResponse(idem, o));
  return o;
};

/** A5: the file opens on the day the qualification is obtained (or registration, under A1's variant). */
const openingEntry = (ctx: AuditContext, o: Officer, basis: string, occurredOn = today(ctx)) => ({
  entryId: newId(),
  type: 'fileOpened',
  category: 'custody',
  occurredOn,
  title: '建立执法档案',
  content: { basis, agencyId: o.agencyId, unitId: o.unitId },
  workflow: { system: true },
  custody: { agencyId: o.agencyId, unitId: o.unitId, holder: 'unit' },
  archivedAt: now(ctx),
  archivedBy: ctx.principal.userId,
});

const officerConflict = () => conflict('officer.versionConflict', '人员信息已被他人修改，请重试');
const QUAL_CONFLICT = '执法证记录已被他人修改，请刷新后重试';

const qualItem = (q: Qualification) => ({ ...qualificationKey(q.officerId, q.qualificationId), kind: 'qualification', record: q });

const qualificationEntry = (ctx: AuditContext, o: Officer, q: Qualification, event: string, ruleVersion: string) => ({
  entryId: newId(),
  type: 'qualification',
  category: 'basic',
  occurredOn: q.events[q.events.length - 1]?.on ?? today(ctx),
  title: `执法证${({ issued: '核发', inspected: '年审', withdrawn: '暂扣', restored: '发还', revoked: '吊销' } as Record<string, string>)[event]}：${q.certificateNumber}`,
  content: { certificateNumber: q.certificateNumber, certificateType: q.certificateType, event, status: q.status, ruleVersion },
  workflow: { system: true, by: ctx.principal.userId },
  custody: { agencyId: o.agencyId, unitId: o.unitId, holder: o.status === 'left' ? 'personnel' : 'unit' },
  archivedAt: now(ctx),
  archivedBy: ctx.principal.userId,
});

/**
 * E1 + A5: issuing a certificate checks eligibility, and opens the officer's file when this is the
 * first one. The certificate event itself is recorded in the file (basic category).
 */
export const issueQualification = async (
  ctx: AuditContext,
  gate: Allowed,
  input: { certificateNumber: string; certificateType: string; issuedOn: string; issuedBy: string; trainingCompleted: boolean; examPassed: boolean },
  idem: Idem,
) => {
  const o = gate.officer;
  if (o.status === 'left') throw conflict('officer.left', '该人员已离开执法岗位，不能核发执法证');
  const agency = await findAgency(o.agencyId);
  const jur = [o.agencyId, ...(agency?.ancestors ?? [])];
  const [e1, a5] = await Promise.all([ruleInForce('E1', jur, today(ctx)), ruleInForce('A5', jur, today(ctx))]);
  checkIssuance({ employment: o.employment, trainingCompleted: input.trainingCompleted, examPassed: input.examPassed }, e1.parameters);
  const existing = await listQualificationsOf(o.officerId);
  if (existing.some((q) => q.certificateNumber === input.certificateNumber)) throw conflict('qualification.duplicate', '该执法证号已登记');
  const q: Qualification = {
    qualificationId: newId(),
    officerId: o.officerId,
    certificateNumber: input.certificateNumber,
    certificateType: input.certificateType,
    issuedOn: input.issuedOn,
    issuedBy: input.issuedBy,
    status: 'valid',
    withdrawalCount: 0,
    events: [{ event: 'issued', on: input.issuedOn, by: ctx.principal.userId, ruleVersion: e1.versionId }],
    version: 1,
  };
  const meta = await readFileMeta(o.officerId);
  const opening = !meta && a5.parameters.openOnQualificationIssued;
  const opened: Officer = { ...o, fileOpened: o.fileOpened || opening, version: o.version + 1 };
  const entries = [...(opening ? [openingEntry(ctx, opened, `A5 ${a5.versionId}`, input.issuedOn)] : []), qualificationEntry(ctx, o, q, 'issued', e1.versionId)];
  if (!meta && !opening) throw conflict('file.notOpened', '该人员尚未建立执法档案');
  await appendToChain(
    ctx,
    o.officerId,
    entries,
    () => ({
      writes: [{ item: { Put: { TableName: tableName(), Item: qualItem(q), ConditionExpression: 'attribute_not_exists(pk)' } } }, putVersioned(officerItem(opened), o.version, officerConflict)],
      audit: [
        { ...gate.auditBase, action: 'qualification.issue', objectType: 'qualification', objectId: q.qualificationId },
        ...(opening ? [{ ...gate.auditBase, action: 'file.open', objectType: 'file' as const, objectId: o.officerId, reason: a5.versionId }] : []),
      ],
    }),
    { opening, idempotent: withResponse(idem, q) },
  );
  return q;
};

export const recordQualificationEvent = async (ctx: AuditContext, gate: Allowed, qualificationId: string, input: Parameters<typeof applyQualificationEvent>[1], ifMatch: string | undefined) => {
  const o = gate.officer;
  const q = (await listQualificationsOf(o.officerId)).find((x) => x.qualificationId === qualificationId);
  if (!q) throw notFound('qualification.notFound', '执法证不存在');
  requireVersion(q, ifMatch, 'qualification.versionConflict', QUAL_CONFLICT);
  const agency = await findAgency(o.agencyId);
  const e2 = await ruleInForce('E2', [o.agencyId, ...(agency?.ancestors ?? [])], today(ctx));
  const { next, autoRevoked } = applyQualificationEvent(q, input, e2.parameters, ctx.principal.userId, e2.versionId);
  const entries = [qualificationEntry(ctx, o, next, input.event, e2.versionId), ...(autoRevoked ? [qualificationEntry(ctx, o, next, 'revoked', e2.versionId)] : [])];
  await appendToChain(ctx, o.officerId, entries, () => ({
    writes: [putVersioned(qualItem(next), q.version, () => conflict('qualification.versionConflict', QUAL_CONFLICT))],
    audit: [{ ...gate.auditBase, action: `qualification.${input.event}`, objectType: 'qualification', objectId: qualificationId, reason: autoRevoked ? `auto revoked by ${e2.versionId}` : undefined }],
  }));
  return next;
};

/**
 * A5 档随人走: a transfer moves custody with the officer (the file record follows, a custody link is
 * appended); leaving enforcement hands the file to the personnel department. Access follows custody
 * because the gate derives it from the officer record written in the same transaction.
 */
export const transferFile = async (
  ctx: AuditContext,
  gate: Allowed,
  input:
    | { kind: 'transfer'; toAgencyId: string; toUnitId: string; effectiveOn: string; reason: string; newPost?: string | undefined }
    | { kind: 'leaveEnforcement'; effectiveOn: string; reason: string },
  idem: Idem,
) => {
  const o = gate.officer;
  if (o.status === 'left') throw conflict('officer.left', '该人员已离开执法岗位，档案由人事部门保管');
  let moved: Officer;
  if (input.kind === 'transfer') {
    if (!(await findAgency(input.toAgencyId))) throw validationError('agency.unknown', '调入机关不存在', [{ path: 'body.toAgencyId', message: '调入机关不存在' }]);
    await requireUnitOf(input.toAgencyId, input.toUnitId, 'body.toUnitId');
    if (input.toAgencyId === o.agencyId && input.toUnitId === o.unitId) throw validationError('transfer.noop', '调入部门与现部门相同', [{ path: 'body.toUnitId', message: '与现部门相同' }]);
    moved = { ...o, agencyId: input.toAgencyId, unitId: input.toUnitId, post: input.newPost ?? o.post, version: o.version + 1 };
  } else {
    moved = { ...o, status: 'left', version: o.version + 1 };
  }
  const from = { agencyId: o.agencyId, unitId: o.unitId };
  const to = input.kind === 'transfer' ? { agencyId: input.toAgencyId, unitId: input.toUnitId } : { agencyId: o.agencyId, holder: 'personnel' };
  const at = now(ctx);
  const { sealed } = await appendToChain(
    ctx,
    o.officerId,
    [
      {
        entryId: newId(),
        type: input.kind === 'transfer' ? 'custodyTransfer' : 'leftEnforcement',
        category: 'custody',
        occurredOn: input.effectiveOn,
        title: input.kind === 'transfer' ? '档随人走：档案随调动移交' : '离开执法岗位：档案移交人事部门保管',
        content: { from, to, reason: input.reason },
        workflow: { system: true, by: ctx.principal.userId },
        custody: input.kind === 'transfer' ? { agencyId: input.toAgencyId, unitId: input.toUnitId, holder: 'unit' } : { agencyId: o.agencyId, holder: 'personnel' },
        archivedAt: at,
        archivedBy: ctx.principal.userId,
      },
    ],
    () => ({
      writes: [putVersioned(officerItem(moved), o.version, officerConflict)],
      audit: [{ ...gate.auditBase, action: 'file.transfer', objectType: 'file', objectId: o.officerId, reason: `${input.kind}: ${JSON.stringify(from)} → ${JSON.stringify(to)}` }],
    }),
    { idempotent: idem ? { ...idem, response: { officer: moved } } : undefined },
  );
  return { officer: moved, custodyEntry: sealed[0] };
};
