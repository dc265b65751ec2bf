import type { Principal } from '../access/principal.ts';
import { requireVisible as requireVisibleRecord } from '../access/require-visible.ts';
import { visibilityOf, type VisibilitySubject } from '../access/visibility.ts';
import { requireWorkListReader } from '../access/permission.ts';
import { decodeCursor, encodeCursor, queryFromCursor, tableName } from '../adapters/dynamodb/client.ts';
import { audit, commit, putVersioned, type AuditContext, type DomainWrite, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import { caseIndexes, caseKey, caseListPartition } from '../adapters/dynamodb/keys/cases.ts';
import type { DraftBody } from '../archive/entry-types.ts';
import { processDraftWrite } from '../archive/entries.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, forbidden, notFound, requireVersion, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { isQualificationValidOn } from '../org/qualification.ts';
import { findAgency, findOfficer, findUnit, listQualificationsOf, type Officer } from '../org/store.ts';
import { dispatch } from '../outbox/dispatch.ts';
import { type OutboxItem, outboxWrite } from '../outbox/store.ts';
import { ruleInForce } from '../rules/store.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb/client.ts';
import type { CaseEvent, Obstruction } from './events.ts';
import { type CaseKind, type CaseRecord, type CaseStep, majorPenalty, maskParties, type Measures, type OfficerRole, type Party, STEP_LABELS, stepRefusal } from './model.ts';
import { findLinkedProcess } from './processes.ts';

/**
 * Cases (一案一表, A2): the form, its steps with the officers who acted (their certificates valid on
 * the day, E1), the decision with its C8 major-penalty finding (legal review must have passed, C1;
 * the filing clock starts with it, C8), collective-discussion minutes (E6), review and litigation
 * results (a changed result is an outstanding problem in the officers' files, B2), and a
 * "case handled" entry in each handling officer's file when the case closes. One transaction each.
 */
const caseItem = (c: CaseRecord) => ({
  ...caseKey(c.caseId),
  ...caseIndexes(c),
  kind: 'case',
  record: c,
});
const putCase = (c: CaseRecord, expected: number | undefined): DomainWrite =>
  putVersioned(caseItem(c), expected, () => conflict('case.versionConflict', '案件已被他人修改，请刷新后重试（ETag 不匹配）'));

export const findCase = async (caseId: string, consistent = false) =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: caseKey(caseId), ConsistentRead: consistent }))).Item?.record as CaseRecord | undefined;

const auditObject = (c: Pick<CaseRecord, 'caseId' | 'agencyId'>) => ({ objectType: 'case' as const, objectId: c.caseId, objectAgencyId: c.agencyId });
const now = (ctx: AuditContext) => (ctx.clock ?? systemClock).now();

// ---- who may see and do what -------------------------------------------------------------------------

const handles = (p: Principal, c: CaseRecord) =>
  (!!p.officerId && c.officers.some((o) => o.officerId === p.officerId)) || (p.roles.includes('deptHead') && p.unitId === c.unitId && p.agencyId === c.agencyId);

/** A case as the visibility table sees it (shared/access/visibility.ts, row `case`: oversight and those handling it). */
const subjectOf = (c: CaseRecord): VisibilitySubject => ({ agencyId: c.agencyId, agencyPath: c.agencyPath, unitId: c.unitId, officerIds: c.officers.map((o) => o.officerId) });
const visibility = (p: Principal, c: CaseRecord) => visibilityOf('case', p, subjectOf(c));

/** PIPL art. 28/51: parties' personal fields only for those handling the case, the legal reviewers and leadership */
const seesPersonalData = (p: Principal, c: CaseRecord) => p.agencyId === c.agencyId && (handles(p, c) || p.roles.some((r) => r === 'legal' || r === 'leadership'));

export const caseView = (p: Principal, c: CaseRecord) => (seesPersonalData(p, c) ? c : { ...c, parties: maskParties(c.parties), personalDataMasked: true });

const requireVisible = async (ctx: AuditContext, c: CaseRecord | undefined, caseId: string, action: string): Promise<CaseRecord> => {
  await requireVisibleRecord(ctx, 'case', c && subjectOf(c), { action, objectType: 'case', objectId: caseId });
  return c!;
};

// ---- E1: acting officers hold a valid certificate on the day ------------------------------------------

const requireCertified = async (agencyPath: readonly string[], officers: readonly Officer[], on: string, path: string) => {
  const e2 = (await ruleInForce('E2', agencyPath, on)).parameters;
  for (const o of officers) {
    const quals = await listQualificationsOf(o.officerId);
    if (!quals.some((q) => isQualificationValidOn(q, on, e2))) {
      throw validationError('case.officerNotCertified', `${o.name} 在 ${on} 没有有效的行政执法证，不能从事执法活动（E1）`, [{ path, message: `${o.name} 无有效执法证` }]);
    }
  }
};

const officersIn = async (agencyId: string, ids: readonly string[], path: string) =>
  Promise.all(
    ids.map(async (id) => {
      const o = await findOfficer(id);
      if (!o || o.agencyId !== agencyId || o.status !== 'active')
        throw validationError('case.officerNotInAgency', '执法人员须为本机关在岗人员', [{ path, message: `执法人员 ${id} 不存在或不在本机关` }]);
      return o;
    }),
  );

// ---- create --------------------------------------------------------------------------------------------

export interface CreateCaseInput {
  kind: CaseKind;
  title: string;
  caseNumber: string;
  unitId: string;
  filedOn: string;
  parties: Party[];
  officers: { officerId: string; role: OfficerRole }[];
  summary?: string | undefined;
}

export const createCase = async (ctx: AuditContext, input: CreateCaseInput, idem: Omit<IdempotentCreate, 'response'>) => {
  const p = ctx.principal;
  const agency = await findAgency(p.agencyId);
  if (!agency) throw notFound('agency.notFound', '机关不存在或无权访问');
  // the agency's leadership, or an officer or the head of the handling department itself
  const ofUnit = p.unitId === input.unitId && p.roles.some((r) => r === 'officer' || r === 'deptHead');
  if (!(p.roles.includes('leadership') || ofUnit)) {
    await audit(ctx, [{ action: 'case.create', objectType: 'case', objectId: input.caseNumber, objectAgencyId: agency.agencyId, outcome: 'denied' }]);
    throw forbidden('case.notAllowed', '只有承办部门的执法人员、部门负责人或机关领导可以立案登记');
  }
  const unit = await findUnit(input.unitId);
  if (!unit || unit.agencyId !== agency.agencyId) throw validationError('case.unitNotInAgency', '承办部门须为本机关部门', [{ path: 'body.unitId', message: '部门不存在或不属于本机关' }]);
  if (!input.officers.some((o) => o.role === 'lead')) throw validationError('case.leadRequired', '须指定主办人员', [{ path: 'body.officers', message: '缺少主办（lead）' }]);
  const today = shanghaiDate(now(ctx));
  if (input.filedOn > today) throw validationError('case.filedInFuture', '立案日期不能晚于今天', [{ path: 'body.filedOn', message: '不能晚于今天' }]);
  const agencyPath = [agency.agencyId, ...agency.ancestors];
  const officers = await officersIn(
    agency.agencyId,
    input.officers.map((o) => o.officerId),
    'body.officers',
  );
  // E1: those who act in the case (主办, 协办) hold a valid certificate on the day it is filed
  await requireCertified(
    agencyPath,
    officers.filter((_, i) => ['lead', 'assist'].includes(input.officers[i]!.role)),
    input.filedOn,
    'body.officers',
  );
  const at = nowIso(ctx.clock ?? systemClock);
  const c: CaseRecord = {
    caseId: newId(),
    caseNumber: input.caseNumber,
    kind: input.kind,
    title: input.title,
    agencyId: agency.agencyId,
    agencyPath,
    unitId: input.unitId,
    parties: input.parties,
    officers: input.officers.map((o, i) => ({ ...o, name: officers[i]!.name })),
    steps: [{ step: 'filed', on: input.filedOn, at, by: p.userId, officerIds: input.officers.filter((o) => o.role === 'lead').map((o) => o.officerId), detail: { summary: input.summary } }],
    outcomes: [],
    links: [],
    state: 'filed',
    version: 1,
    createdAt: at,
    createdBy: p.userId,
    updatedAt: at,
  };
  const clean = JSON.parse(JSON.stringify(c)) as CaseRecord;
  await commit(ctx, [putCase(clean, undefined)], [{ action: 'case.create', ...auditObject(clean), outcome: 'allowed' }], { ...idem, response: caseView(p, clean) });
  return caseView(p, clean);
};

// ---- read ----------------------------------------------------------------------------------------------

export const getCase = async (ctx: AuditContext, caseId: string) => {
  const c = await requireVisible(ctx, await findCase(caseId), caseId, 'case.read');
  await audit(ctx, [{ action: 'case.read', ...auditObject(c), outcome: 'allowed' }]);
  return caseView(ctx.principal, c);
};

export const listCases = async (ctx: AuditContext, agencyId: string, q: { unitId?: string | undefined; limit: number; cursor?: string | undefined }) => {
  const p = ctx.principal;
  await requireWorkListReader(ctx, agencyId, q.unitId, { action: 'case.list', code: 'case.listForbidden', detail: '只有机关领导、法制、执法监督、纪检监察部门或本部门负责人可以查看案件清单' });
  const index = q.unitId ? 'gsi2' : 'gsi1';
  const pk = caseListPartition({ agencyId, unitId: q.unitId });
  const page = await queryFromCursor({
    TableName: tableName(),
    IndexName: index,
    KeyConditionExpression: `${index}pk = :pk`,
    ExpressionAttributeValues: { ':pk': pk },
    ScanIndexForward: false,
    Limit: q.limit,
    ExclusiveStartKey: decodeCursor(q.cursor, { partition: [`${index}pk`, pk], keys: ['pk', 'sk', `${index}pk`, `${index}sk`] }),
  });
  await audit(ctx, [{ action: 'case.list', objectType: 'agency', objectId: agencyId, objectAgencyId: agencyId, outcome: 'allowed' }]);
  const items = (page.Items ?? [])
    .map((i) => i.record as CaseRecord)
    .filter((c) => visibility(p, c) === 'read')
    .map((c) => ({ caseId: c.caseId, caseNumber: c.caseNumber, kind: c.kind, title: c.title, unitId: c.unitId, state: c.state, major: c.decision?.major.major, version: c.version }));
  return { items, cursor: encodeCursor(page.LastEvaluatedKey) };
};

// ---- steps ---------------------------------------------------------------------------------------------

/**
 * The case change, its events (written in the same transaction: shared/outbox/store.ts) and its
 * audit record as one commit; then the events go to their consumers at once (the fast path; the
 * stream and the reconciler retry what fails).
 */
const commitWithEvents = async (ctx: AuditContext, writes: DomainWrite[], events: readonly CaseEvent[], at: string, drafts: Parameters<typeof commit>[2]) => {
  const outbox = events.map((e) => outboxWrite(e, at));
  await commit(ctx, [...writes, ...outbox.map((o) => o.write)], drafts);
  if (outbox.length) await dispatch(outbox.map((o): OutboxItem => o.item));
};

export type StepInput = { step: Exclude<CaseStep, 'filed'>; on: string; officerIds?: string[] | undefined } & Record<string, unknown>;

const legalReviewPassed = async (c: CaseRecord) => {
  const link = [...c.links].reverse().find((l) => l.relation === 'legalReview');
  const review = link ? await findLinkedProcess(link.processId) : undefined;
  return !!review && (review.state === 'passed' || review.state === 'collectivelyDecided');
};

export const recordStep = async (ctx: AuditContext, caseId: string, body: StepInput, ifMatch: string | undefined) => {
  const p = ctx.principal;
  const c = await requireVisible(ctx, await findCase(caseId, true), caseId, `case.step.${body.step}`);
  requireVersion(c, ifMatch, 'case.versionConflict', '案件已被他人修改，请刷新后重试（ETag 不匹配）');
  const mayDecide =
    body.step === 'decision' ? p.agencyId === c.agencyId && (p.roles.includes('leadership') || c.officers.some((o) => o.role === 'approve' && o.officerId === p.officerId)) : handles(p, c);
  if (!mayDecide) {
    await audit(ctx, [{ action: `case.step.${body.step}`, ...auditObject(c), outcome: 'denied' }]);
    throw forbidden('case.notAllowed', body.step === 'decision' ? '决定须由批准人员或机关领导记录' : '只有本案执法人员或承办部门负责人可以记录办案环节');
  }
  const refusal = stepRefusal(c, body.step);
  if (refusal) throw conflict('case.stepNotAllowed', refusal, { state: c.state });
  const today = shanghaiDate(now(ctx));
  if (body.on > today) throw validationError('case.stepInFuture', '环节日期不能晚于今天', [{ path: 'body.on', message: '不能晚于今天' }]);
  const last = c.steps.at(-1)!;
  if (body.on < last.on) throw validationError('case.stepBeforePrevious', `环节日期不能早于上一环节（${STEP_LABELS[last.step]} ${last.on}）`, [{ path: 'body.on', message: `不能早于 ${last.on}` }]);

  // E1: every officer acting in the step holds a valid certificate on that day (default: the 主办)
  const actingIds = body.officerIds?.length ? body.officerIds : c.officers.filter((o) => o.role === 'lead').map((o) => o.officerId);
  const unknown = actingIds.filter((id) => !c.officers.some((o) => o.officerId === id));
  if (unknown.length) throw validationError('case.officerNotOnCase', '办案环节的执法人员须为本案登记的人员', [{ path: 'body.officerIds', message: unknown.join('、') }]);
  const acting = await officersIn(c.agencyId, actingIds, 'body.officerIds');
  if (body.step !== 'archived' && body.step !== 'closed') await requireCertified(c.agencyPath, acting, body.on, 'body.officerIds');

  const at = nowIso(ctx.clock ?? systemClock);
  const writes: DomainWrite[] = [];
  let next: CaseRecord = { ...c, state: body.step, version: c.version + 1, updatedAt: at };
  const { step, on, officerIds: _ids, ...detail } = body;
  const events: CaseEvent[] = [];

  if (step === 'legalReview') {
    const review = await findLinkedProcess(body.processId as string);
    if (!review || review.kind !== 'legal-review' || review.agencyId !== c.agencyId || review.caseNumber !== c.caseNumber) {
      throw validationError('case.legalReviewMismatch', '须关联本机关对本案（案号一致）的法制审核流程', [{ path: 'body.processId', message: '法制审核流程不存在或不属于本案' }]);
    }
    if (review.open) throw conflict('case.legalReviewOpen', '法制审核尚未办结');
    next = { ...next, links: [...c.links, { processId: review.processId, relation: 'legalReview' }] };
    detail.outcome = review.state;
  }
  if (step === 'decision') {
    const c8 = await ruleInForce('C8', c.agencyPath, body.on);
    const measures = body.measures as Measures;
    const major = c.kind === 'penalty' ? majorPenalty(c.parties, measures, c8.parameters, c8.versionId) : { major: false, reasons: [], ruleVersion: c8.versionId };
    // C1/C8: a major decision only after the legal review has passed
    if (major.major && !(await legalReviewPassed(c))) {
      throw conflict('case.legalReviewRequired', `重大执法决定（${major.reasons.join('；')}）须经法制审核通过后才能作出（C1、C8）`, { reasons: major.reasons });
    }
    next = { ...next, decision: { decidedOn: body.on, documentNumber: body.documentNumber as string, measures, major } };
    if (major.major) {
      // C8: the filing clock counts from the decision; the process area opens it (process/consumers.ts)
      // under the id linked here, from the event written in this transaction
      const filingProcessId = newId();
      next = { ...next, links: [...next.links, { processId: filingProcessId, relation: 'filing' }] };
      events.push({
        type: 'majorPenaltyDecided',
        caseId: c.caseId,
        agencyId: c.agencyId,
        unitId: c.unitId,
        caseTitle: c.title,
        caseNumber: c.caseNumber,
        documentNumber: body.documentNumber as string,
        decidedOn: body.on,
        filingProcessId,
        by: p,
        requestId: ctx.source.requestId,
      });
    }
  }
  if (step === 'closed') {
    // A3 (2): each handling officer's file gets a "case handled" entry, into the A6 workflow
    for (const o of c.officers) {
      const officer = await findOfficer(o.officerId);
      if (!officer?.fileOpened) continue;
      const entry: DraftBody = {
        type: 'caseHandled',
        occurredOn: body.on,
        title: `办理案件：${c.title}`,
        content: { case: { caseNumber: c.caseNumber, caseId: c.caseId }, role: o.role, kind: c.kind, ...(c.decision ? { result: `${c.decision.documentNumber}` } : {}) },
      };
      writes.push(processDraftWrite(officer, entry, { userId: p.userId, roles: [...p.roles] }, at, { processId: c.caseId, event: 'case closed' }).write);
    }
  }
  // D3: the linked recordings now follow the case file from its close (evidence/consumers.ts)
  if (step === 'closed') events.push({ type: 'caseClosed', caseId: c.caseId, agencyId: c.agencyId, closedOn: on });
  if (step === 'investigation' && body.obstruction) {
    // D4 (二): evasion, refusal, obstruction, insult or assault of officers → the recordings are kept long-term
    events.push({ type: 'obstructionRecorded', caseId: c.caseId, agencyId: c.agencyId, obstruction: body.obstruction as Obstruction, note: `办案环节登记：${STEP_LABELS[step]} ${on}` });
  }
  next = { ...next, steps: [...c.steps, { step, on, at, by: p.userId, officerIds: actingIds, detail: JSON.parse(JSON.stringify(detail)) as Record<string, unknown> }] };
  await commitWithEvents(ctx, [putCase(next, c.version), ...writes], events, at, [{ action: `case.step.${step}`, ...auditObject(c), outcome: 'allowed' }]);
  return caseView(p, next);
};

// ---- review and litigation results (B2) -------------------------------------------------------------

export const recordOutcome = async (
  ctx: AuditContext,
  caseId: string,
  body: { by: 'administrativeReview' | 'litigation'; result: 'upheld' | 'changed' | 'revoked'; decidedOn: string; documentNumber: string; decidedBy: string },
  ifMatch: string | undefined,
) => {
  const p = ctx.principal;
  const c = await requireVisible(ctx, await findCase(caseId, true), caseId, 'case.outcome');
  requireVersion(c, ifMatch, 'case.versionConflict', '案件已被他人修改，请刷新后重试（ETag 不匹配）');
  if (!(p.agencyId === c.agencyId && p.roles.includes('legal'))) {
    await audit(ctx, [{ action: 'case.outcome', ...auditObject(c), outcome: 'denied' }]);
    throw forbidden('case.notAllowed', '复议、诉讼结果由法制部门登记');
  }
  if (!c.decision) throw conflict('case.noDecision', '案件尚未作出决定');
  const at = nowIso(ctx.clock ?? systemClock);
  const writes: DomainWrite[] = [];
  if (body.result !== 'upheld') {
    // B2 outstanding problem; A10: 谁办事谁负责、谁审核谁负责、谁审批谁负责 — the lead, reviewer and approver
    for (const o of c.officers.filter((x) => x.role !== 'assist')) {
      const officer = await findOfficer(o.officerId);
      if (!officer?.fileOpened) continue;
      const entry: DraftBody = {
        type: 'caseResultChanged',
        occurredOn: body.decidedOn,
        title: `执法决定被${body.result === 'revoked' ? '撤销' : '变更'}：${c.title}`,
        content: {
          case: { caseNumber: c.caseNumber, caseId: c.caseId },
          by: body.by,
          result: body.result,
          role: o.role,
          decision: { documentNumber: body.documentNumber, decidedOn: body.decidedOn, decidedBy: body.decidedBy },
        },
      };
      writes.push(processDraftWrite(officer, entry, { userId: p.userId, roles: [...p.roles] }, at, { processId: c.caseId, event: `${body.by} ${body.result}` }).write);
    }
  }
  const next: CaseRecord = {
    ...c,
    outcomes: [...c.outcomes, { by: body.by, result: body.result, decidedOn: body.decidedOn, documentNumber: body.documentNumber, recordedAt: at }],
    version: c.version + 1,
    updatedAt: at,
  };
  // D4/D5: a review or a lawsuit about the act keeps its recordings long-term (the burden of proof; evidence/consumers.ts)
  const event: CaseEvent = {
    type: 'caseOutcomeRecorded',
    caseId: c.caseId,
    agencyId: c.agencyId,
    by: body.by,
    result: body.result,
    documentNumber: body.documentNumber,
    decidedOn: body.decidedOn,
    note: `${body.by === 'litigation' ? '行政诉讼' : '行政复议'} ${body.documentNumber}`,
  };
  await commitWithEvents(ctx, [putCase(next, c.version), ...writes], [event], at, [{ action: 'case.outcome', ...auditObject(c), outcome: 'allowed', reason: `${body.by} ${body.result}` }]);
  return caseView(p, next);
};
