import type { Principal } from '../access/principal.ts';
import { requireVisible as requireVisibleRecord } from '../access/require-visible.ts';
import { visibilityOf, type VisibilitySubject } from '../access/visibility.ts';
import { audit, commit, type AuditContext, type DomainWrite, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import { agencyFileEntryKey } from '../adapters/dynamodb/keys/process.ts';
import { tableName } from '../adapters/dynamodb/client.ts';
import { processDraftWrite } from '../archive/entries.ts';
import type { Calendar } from '../calendar/calendar.ts';
import { calendarFor, forgetCalendarCache } from '../calendar/store.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, DomainError, forbidden, notFound, requireVersion, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { notificationWrites, type NotificationDraft } from '../notify/store.ts';
import { findAgency, findOfficer, listAllAgencies } from '../org/store.ts';
import { ruleInForce } from '../rules/store.ts';
import { backdateAction, basisOnOpening } from './basis.ts';
import {
  clockStatus, extendClock, nextStep, recomputeClock, recountClock, RUNG_LABELS, startClock, STATUS_LABELS, yearsOfClock,
  type Plan, type ProcessClock, type Rung,
} from './clock.ts';
import { KINDS, type ClockSpec, type Effect, type OpenInput, type Rules, type Transition } from './kinds.ts';
import { type Actor, executionName, type HistoryEvent, KIND_LABELS, type ProcessRecord } from './model.ts';
import { dispatch, outboxWrite, type OutboxItem } from './outbox.ts';
import { routeNotice } from './recipients.ts';
import { historyWrite, putProcess, readHistory, readProcess, allOpenProcesses } from './store.ts';

/**
 * Use cases of the deadline-bound processes. Each change is ONE transaction (commit): the process
 * record (version-checked), its history event, the outbox commands that start/stop the execution
 * keeping its clock, notifications, entries proposed to officers' files, a linked process, and the
 * audit record. The outbox is dispatched right after the commit; what fails stays pending for the
 * reconciler (jobs.ts).
 */

const now = (ctx: AuditContext) => (ctx.clock ?? systemClock).now();
const actorOf = (p: Principal): Actor => ({ userId: p.userId, name: p.name, roles: [...p.roles], officerId: p.officerId, agencyId: p.agencyId, unitId: p.unitId });

const rulesFor = async (agencyPath: readonly string[], today: string, ids: readonly (keyof Rules)[]) => {
  const versions = await Promise.all(ids.map((id) => ruleInForce(id, agencyPath, today)));
  const rules = Object.fromEntries(versions.map((v) => [v.ruleId, v.parameters])) as unknown as Rules;
  const versionIds = Object.fromEntries(versions.map((v) => [v.ruleId, v.versionId])) as Record<string, string>;
  return { rules, versionIds };
};

const buildClock = (cal: Calendar, spec: ClockSpec, versionIds: Record<string, string>, startedAt: string, previous: number): ProcessClock =>
  startClock(cal, {
    phase: spec.phase, label: spec.label, rule: { ruleId: spec.ruleId, versionId: versionIds[spec.ruleId] ?? `${spec.ruleId}-default-1` },
    start: spec.start, startedAt, escalation: spec.escalation,
    ...(spec.period ? { period: spec.period } : {}), ...(spec.setDue ? { setDue: spec.setDue } : {}),
  }, previous);

// ---- who may see what ------------------------------------------------------------------------------

/** A process as the visibility table sees it (shared/access/visibility.ts, row `process`). */
const subjectOf = (r: ProcessRecord): VisibilitySubject => ({
  agencyId: r.agencyId, agencyPath: r.agencyPath, unitId: r.unitId || undefined, kindReaders: KINDS[r.kind].readers,
  officerIds: [r.assignee?.officerId, ...((r.data.officerIds as string[] | undefined) ?? [])], userIds: [r.openedBy.userId],
});
export const visibility = (p: Principal, r: ProcessRecord) => visibilityOf('process', p, subjectOf(r));

/** C4 no retaliation: the complainant is shown only to those handling the complaint. */
const seesComplainant = (p: Principal, r: ProcessRecord) =>
  p.agencyId === r.agencyId && (
    p.userId === r.openedBy.userId ||
    p.roles.some((x) => x === 'leadership' || x === 'supervision') ||
    (p.roles.includes('deptHead') && !!r.unitId && p.unitId === r.unitId) ||
    (!!p.officerId && p.officerId === r.assignee?.officerId));

const auditObject = (r: Pick<ProcessRecord, 'processId' | 'agencyId'>) => ({ objectType: 'process' as const, objectId: r.processId, objectAgencyId: r.agencyId });

const requireVisible = (ctx: AuditContext, r: ProcessRecord, action: string) =>
  requireVisibleRecord(ctx, 'process', subjectOf(r), { action, ...auditObject(r) });

export interface ProcessView extends ProcessRecord {
  status?: { color: 'green' | 'yellow' | 'red'; label: string } | undefined;
}

export const viewOf = (p: Principal, r: ProcessRecord, at: Date): ProcessView => ({
  ...r,
  complainant: r.complainant && !seesComplainant(p, r) ? { masked: true, note: '投诉人信息仅对承办人员可见' } : r.complainant,
  status: r.open && r.clock ? { color: clockStatus(r.clock, at), label: STATUS_LABELS[clockStatus(r.clock, at)] } : undefined,
});

// ---- applying a transition -------------------------------------------------------------------------

export interface Change {
  record: ProcessRecord;
  writes: DomainWrite[];
  outbox: OutboxItem[];
  /** processes opened as an effect (a substantiated complaint opens a fault investigation) */
  opened: ProcessRecord[];
}

const clockCommands = (before: ProcessRecord, after: ProcessRecord, at: string, cause: string) => {
  const out: ReturnType<typeof outboxWrite>[] = [];
  const old = before.clock;
  const next = after.open ? after.clock : undefined;
  if (old && before.open && old.version !== next?.version) {
    out.push(outboxWrite({ type: 'stopExecution', kind: before.kind, name: executionName(before.processId, old.version), cause }, at));
  }
  if (next && (next.version !== old?.version || !before.open)) {
    out.push(outboxWrite({ type: 'startExecution', kind: after.kind, name: executionName(after.processId, next.version), input: { processId: after.processId, clockVersion: next.version, kind: after.kind } }, at));
  }
  return out;
};

const effectWrites = async (ctx: AuditContext, r: ProcessRecord, effects: readonly Effect[], at: string, event: string) => {
  const writes: DomainWrite[] = [];
  const outbox: OutboxItem[] = [];
  const opened: ProcessRecord[] = [];
  for (const e of effects) {
    if (e.type === 'entry') {
      const [officer] = await officersOf(r.agencyId, [e.officerId], 'body.officerIds');
      // A1: staff without a file (no enforcement certificate) get no entry; the process history keeps the finding
      if (!officer!.fileOpened) continue;
      writes.push(processDraftWrite(officer!, e.body, { userId: ctx.principal.userId, roles: [...ctx.principal.roles] }, at, { processId: r.processId, event }).write);
    } else if (e.type === 'openProcess') {
      const child = await prepareOpen(ctx, { ...e.input, linkFrom: r.processId });
      writes.push(...child.writes);
      outbox.push(...child.outbox);
      opened.push(child.record);
    } else if (e.type === 'notify') {
      const n = notificationWrites({ kind: 'decided', agencyId: r.agencyId, processId: r.processId, title: e.title, body: e.body, recipients: e.recipients }, at);
      writes.push(...n.writes);
    } else {
      writes.push(agencyFileWrite(r.agencyId, { entryType: e.entryType, title: e.title, detail: e.detail, processId: r.processId, at }));
    }
  }
  return { writes, outbox, opened };
};

/** A4 机关执法档案: immutable records of the agency's own file (通报批评 of overdue supervised cases …). */
const agencyFileWrite = (agencyId: string, e: { entryType: string; title: string; detail: Record<string, unknown>; processId: string; at: string }): DomainWrite => {
  const id = newId();
  return { item: { Put: { TableName: tableName(), Item: { ...agencyFileEntryKey(agencyId, e.at, id), kind: 'agencyFileEntry', record: { ...e, entryId: id, agencyId } }, ConditionExpression: 'attribute_not_exists(pk)' } } };
};

const applyTransition = async (ctx: AuditContext, before: ProcessRecord, t: Transition, cal: Calendar, versionIds: Record<string, string>): Promise<Change> => {
  const at = nowIso(ctx.clock ?? systemClock);
  const instant = now(ctx);
  let clock = before.clock;
  let clockSeq = before.clockSeq;
  if (t.clock === 'stop') clock = undefined;
  else if (t.clock && 'start' in t.clock) {
    clock = buildClock(cal, t.clock.start, versionIds, at, clockSeq);
    clockSeq = clock.version;
  } else if (t.clock && 'extend' in t.clock) {
    if (!clock) throw conflict('process.noClock', '当前阶段没有计时，无需延期');
    clock = extendClock(cal, clock, { ...t.clock.extend, approvedBy: ctx.principal.userId, approvedAt: at }, instant);
    clockSeq = clock.version;
  } else if (t.clock && 'recount' in t.clock && clock) {
    clock = recountClock(cal, clock, t.clock.recount, instant);
    clockSeq = clock.version;
  }
  const open = t.closed === undefined ? before.open : !t.closed;
  const record: ProcessRecord = {
    ...before,
    state: t.state,
    open,
    unitId: t.unitId ?? before.unitId,
    assignee: 'assignee' in t ? (t.assignee?.officerId ? await assigneeOf(before.agencyId, t.assignee.officerId) : undefined) : before.assignee,
    clock,
    clockSeq,
    data: JSON.parse(JSON.stringify({ ...before.data, ...(t.data ?? {}) })) as Record<string, unknown>,
    version: before.version + 1,
    updatedAt: at,
    closedAt: open ? undefined : (before.closedAt ?? at),
  };
  const history: HistoryEvent = {
    processId: record.processId, seq: record.version, at, by: actorOf(ctx.principal), event: t.event, state: record.state, detail: t.detail,
    ...(clock !== before.clock ? { clock } : {}),
  };
  const effects = await effectWrites(ctx, record, t.effects ?? [], at, t.event);
  const commands = clockCommands(before, record, at, `process ${t.event}`);
  const assigned = record.assignee?.officerId && record.assignee.officerId !== before.assignee?.officerId
    ? notificationWrites({ kind: 'assigned', agencyId: record.agencyId, processId: record.processId, title: `${KIND_LABELS[record.kind]}：${record.title}`, body: '该事项已交由您办理', recipients: [{ type: 'officer', officerId: record.assignee.officerId }] }, at).writes
    : [];
  return {
    record,
    writes: [putProcess(record, before.version), historyWrite(history), ...commands.map((c) => c.write), ...effects.writes, ...assigned],
    outbox: [...commands.map((c) => c.item), ...effects.outbox],
    opened: effects.opened,
  };
};

/** Officers named in a process must be registered in its agency. */
const officersOf = async (agencyId: string, ids: readonly string[], path: string) =>
  Promise.all(ids.map(async (id) => {
    const o = await findOfficer(id);
    if (!o || o.agencyId !== agencyId) {
      throw validationError('process.officerNotInAgency', '所列执法人员须为本机关登记的人员', [{ path, message: `执法人员 ${id} 不存在或不属于本机关` }]);
    }
    return o;
  }));

const assigneeOf = async (agencyId: string, officerId: string) => {
  const o = await findOfficer(officerId);
  if (!o || o.agencyId !== agencyId || o.status !== 'active') {
    throw validationError('process.assigneeInvalid', '承办人须为本机关在岗执法人员', [{ path: 'body.officerId', message: '执法人员不存在或不在本机关' }]);
  }
  return { officerId: o.officerId, name: o.name };
};

const commitChange = async (ctx: AuditContext, change: Change, action: string, idempotent?: IdempotentCreate) => {
  await commit(ctx, change.writes, [
    { action, ...auditObject(change.record), outcome: 'allowed' },
    ...change.opened.map((o) => ({ action: 'process.open', ...auditObject(o), outcome: 'allowed' as const, reason: `opened by ${change.record.processId}` })),
  ], idempotent);
  await dispatch(change.outbox);
};

// ---- open -------------------------------------------------------------------------------------------

/** The writes that open a process, for a use case that opens one in its own transaction (a case's decision opens its C8 filing). */
export const prepareOpen = async (ctx: AuditContext, input: OpenInput & { linkFrom?: string }): Promise<Change> => {
  const def = KINDS[input.kind];
  const agency = await findAgency(ctx.principal.agencyId);
  if (!agency) throw notFound('agency.notFound', '机关不存在或无权访问');
  const agencyPath = [agency.agencyId, ...agency.ancestors];
  const at = nowIso(ctx.clock ?? systemClock);
  const today = shanghaiDate(now(ctx));
  const { rules, versionIds } = await rulesFor(agencyPath, today, def.rules);
  const opening = def.open(input, { actor: actorOf(ctx.principal), today, now: at, rules });
  for (const [field, ids] of [['officerIds', opening.data.officerIds], ['handlingOfficerIds', opening.data.handlingOfficerIds]] as const) {
    if (Array.isArray(ids)) await officersOf(agency.agencyId, ids as string[], `body.${field}`);
  }
  const about = (opening.data.about as { officerIds?: string[] } | undefined)?.officerIds;
  if (about) await officersOf(agency.agencyId, about, 'body.about.officerIds');
  const processId = newId();
  const cal = await calendarFor(agencyPath);
  const clock = opening.clock ? buildClock(cal, opening.clock, versionIds, at, 0) : undefined;
  const record: ProcessRecord = {
    processId, kind: input.kind, title: input.title, agencyId: agency.agencyId, agencyPath,
    unitId: opening.unitId, state: opening.state, open: true,
    assignee: opening.assignee ? await assigneeOf(agency.agencyId, opening.assignee.officerId) : undefined,
    openedBy: actorOf(ctx.principal), clock, clockSeq: clock?.version ?? 0,
    data: JSON.parse(JSON.stringify({ ...opening.data, ...(input.basis ? { basis: input.basis } : {}) })) as Record<string, unknown>,
    complainant: opening.complainant,
    links: [...(opening.links ?? []), ...(input.linkFrom && !(opening.links ?? []).some((l) => l.processId === input.linkFrom) ? [{ processId: input.linkFrom, relation: 'openedBy' }] : [])],
    escalations: [], version: 1, createdAt: at, updatedAt: at,
  };
  const closed = { ...record, open: false, clock: undefined };
  const commands = clockCommands(closed, record, at, 'opened');
  const history: HistoryEvent = { processId, seq: 1, at, by: actorOf(ctx.principal), event: 'opened', state: record.state, detail: { ruleVersions: versionIds, ...(input.basis ? { basis: input.basis } : {}) }, ...(clock ? { clock } : {}) };
  const assigned = record.assignee
    ? notificationWrites({ kind: 'assigned', agencyId: record.agencyId, processId, title: `${KIND_LABELS[record.kind]}：${record.title}`, body: clock ? `请于 ${clock.due} 前办结` : '该事项已交由您办理', recipients: [{ type: 'officer', officerId: record.assignee.officerId }] }, at).writes
    : [];
  return { record, writes: [putProcess(record, undefined), historyWrite(history), ...commands.map((c) => c.write), ...assigned], outbox: commands.map((c) => c.item), opened: [] };
};

export const openProcess = async (ctx: AuditContext, input: OpenInput, idem: Omit<IdempotentCreate, 'response'>) => {
  const def = KINDS[input.kind];
  if (!def.openers.some((r) => ctx.principal.roles.includes(r))) {
    await audit(ctx, [{ action: 'process.open', objectType: 'process', objectId: input.kind, objectAgencyId: ctx.principal.agencyId, outcome: 'denied' }]);
    throw forbidden('process.notAllowed', `当前角色不能发起${KIND_LABELS[input.kind]}`);
  }
  const aboutCase = input.kind === 'complaint' ? (input.about as { caseId?: string } | undefined)?.caseId : undefined;
  if (aboutCase) {
    const { findCase } = await import('../cases/service.ts');
    const c = await findCase(aboutCase);
    if (!c || c.agencyId !== ctx.principal.agencyId) throw validationError('process.caseNotInAgency', '投诉涉及的案件须为本机关案件', [{ path: 'body.about.caseId', message: '案件不存在或不属于本机关' }]);
  }
  // the event the period counts from, which may precede the entry (basis.ts); a late one awaiting approval is announced
  const agency = await findAgency(ctx.principal.agencyId);
  const basis = agency ? await basisOnOpening(input.kind, input, actorOf(ctx.principal), [agency.agencyId, ...agency.ancestors], now(ctx)) : undefined;
  const change = await prepareOpen(ctx, basis ? { ...input, countFrom: basis.countFrom, basis } : input);
  if (basis?.status === 'pending') change.writes.push(...(await noticeWrites(change.record, 'backdatePending', `【补录待批】${KIND_LABELS[input.kind]}：${input.title}`, `事件日期 ${basis.eventOn} 早于录入日期 ${basis.enteredOn} 超过 ${basis.limit.value} 日，须经批准后方自该日起算期限（${basis.rule.ruleId}）。`, nowIso(ctx.clock ?? systemClock))));
  const view = viewOf(ctx.principal, change.record, now(ctx));
  await commitChange(ctx, change, 'process.open', { ...idem, response: view });
  if (aboutCase) {
    // D4 (一): a complaint about an enforcement act keeps the act's recordings long-term
    const { holdCaseEvidence } = await import('../evidence/service.ts');
    await holdCaseEvidence(aboutCase, ctx.principal.agencyId, 'complaint', `投诉 ${change.record.processId}`);
  }
  return view;
};

// ---- act --------------------------------------------------------------------------------------------

export const actOnProcess = async (ctx: AuditContext, processId: string, body: Record<string, unknown> & { action: string }, ifMatch: string | undefined) => {
  const before = await readProcess(processId, true);
  await requireVisible(ctx, before, `process.${body.action}`);
  const def = KINDS[before.kind];
  const action = def.actions[body.action] ?? (body.action === 'decideBackdate' ? backdateAction(before) : undefined);
  if (!action) throw conflict('process.actionNotApplicable', `${KIND_LABELS[before.kind]}没有该操作（${body.action}）`);
  requireVersion(before, ifMatch, 'process.versionConflict', '流程已被他人处理，请刷新后重试（ETag 不匹配）');
  if (!action.states.includes(before.state)) {
    throw conflict('process.invalidState', `流程当前状态（${before.state}）不能执行该操作（${body.action}）`, { state: before.state });
  }
  const actor = actorOf(ctx.principal);
  if (!action.who(actor, before)) {
    await audit(ctx, [{ action: `process.${body.action}`, ...auditObject(before), outcome: 'denied' }]);
    throw forbidden('process.notAllowed', `只有${action.whoLabel}可以执行该操作`);
  }
  const today = shanghaiDate(now(ctx));
  const { rules, versionIds } = await rulesFor(before.agencyPath, today, def.rules);
  const t = action.apply(before, body, { actor, today, now: nowIso(ctx.clock ?? systemClock), rules });
  const change = await applyTransition(ctx, before, t, await calendarFor(before.agencyPath), versionIds);
  await commitChange(ctx, change, `process.${body.action}`);
  return { process: viewOf(ctx.principal, change.record, now(ctx)), opened: change.opened.map((o) => o.processId) };
};

// ---- read -------------------------------------------------------------------------------------------

export const getProcess = async (ctx: AuditContext, processId: string) => {
  const r = await readProcess(processId);
  await requireVisible(ctx, r, 'process.read');
  await audit(ctx, [{ action: 'process.read', ...auditObject(r), outcome: 'allowed' }]);
  return viewOf(ctx.principal, r, now(ctx));
};

export const getHistory = async (ctx: AuditContext, processId: string) => {
  const r = await readProcess(processId);
  await requireVisible(ctx, r, 'process.history');
  await audit(ctx, [{ action: 'process.history', ...auditObject(r), outcome: 'allowed' }]);
  // the complainant lives only on the record (viewOf masks it); history events never copy it
  return readHistory(processId);
};

// ---- the clock tasks (statemachines/*.asl.json → functions/clock/process-clock.ts) -------------------

export interface ClockTask {
  action: 'plan' | 'check' | 'escalate' | 'defer';
  processId: string;
  clockVersion: number;
  startedAt: string;
  horizonSeconds: number;
  rung?: Rung;
  checkpoint?: string;
}

const systemCtx = (agencyId: string): AuditContext => ({
  principal: { userId: 'system:process-clock', name: '流程计时', agencyId, roles: [] },
  source: { requestId: 'process-clock' },
});
const SYSTEM_ACTOR = { userId: 'system' as const, roles: [] as [], name: '流程计时' };

const planFor = (r: ProcessRecord | undefined, task: ClockTask, at: Date): Plan => {
  if (!r || !r.open || !r.clock) return { action: 'end', reason: 'closed' };
  if (r.clock.version !== task.clockVersion) return { action: 'end', reason: 'superseded' };
  return nextStep(r.clock, at, new Date(Date.parse(task.startedAt) + task.horizonSeconds * 1000));
};

export const runClockTask = async (task: ClockTask): Promise<Plan> => {
  const at = systemClock.now();
  const r = await readProcess(task.processId, true).catch((e: unknown) => (e instanceof DomainError ? undefined : Promise.reject(e)));
  if (task.action === 'plan') return planFor(r, task, at);
  if (task.action === 'check') {
    // after the wait: re-read; the checkpoint reached and still due → escalate at once (saves the
    // Choice → Escalate → Choice round trip: 3 transitions per rung instead of 5)
    const plan = planFor(r, task, at);
    return plan.action === 'escalate' ? escalate(r, { ...task, rung: plan.rung }) : plan;
  }
  if (task.action === 'escalate') return escalate(r, task);
  return defer(r, task);
};

const escalate = async (r: ProcessRecord | undefined, task: ClockTask, attempt = 1): Promise<Plan> => {
  const at = systemClock.now();
  const plan = planFor(r, task, at);
  if (!r || plan.action !== 'escalate' || plan.rung !== task.rung) return plan;
  const rung = plan.rung;
  const clock = r.clock!;
  const ctx = systemCtx(r.agencyId);
  const atIso = nowIso(systemClock);
  const noteId = newId();
  const routing = await routeNotice(r, rung, at);
  const draft: NotificationDraft = {
    kind: rung, agencyId: r.agencyId, processId: r.processId, unitId: r.unitId, ...routing,
    title: `【${RUNG_LABELS[rung]}】${KIND_LABELS[r.kind]}：${r.title}`,
    body: `${clock.label}为 ${clock.due}${clock.provisional ? '（暂按周末推算，待国务院节假日安排公布后重算）' : ''}；${rung === 'remind' ? '即将到期，请按时办结' : rung === 'chase' ? '已逾期，请立即办理并说明情况' : '逾期经催办仍未办结，予以通报'}。`,
    contacts: (r.data.notifyContacts as NotificationDraft['contacts']) ?? undefined,
  };
  const n = notificationWrites(draft, atIso, noteId);
  const record: ProcessRecord = {
    ...r,
    clock: { ...clock, fired: [...clock.fired, rung] },
    escalations: [...r.escalations, { rung, clockVersion: clock.version, phase: clock.phase, at: atIso, notificationId: noteId }],
    version: r.version + 1,
    updatedAt: atIso,
  };
  const history: HistoryEvent = { processId: r.processId, seq: record.version, at: atIso, by: SYSTEM_ACTOR, event: rung, state: r.state, detail: { notificationId: noteId, recipients: draft.recipients, reached: draft.reached, due: clock.due } };
  const deliveries = n.deliveries.map((d) => outboxWrite({ type: 'deliver', delivery: d }, atIso));
  const agencyFile = rung === 'report' && r.kind === 'supervised-case'
    // C7: still overdue after chasing → 通报批评, recorded in the agency's file for assessment
    ? [agencyFileWrite(r.agencyId, { entryType: 'supervisedCaseCriticized', title: `通报批评：督办事项逾期未报告（${r.title}）`, detail: { due: clock.due, assignee: r.assignee, unitId: r.unitId }, processId: r.processId, at: atIso })]
    : [];
  try {
    await commit(ctx, [putProcess(record, r.version), historyWrite(history), ...n.writes, ...deliveries.map((d) => d.write), ...agencyFile], [
      { action: `process.${rung}`, ...auditObject(r), outcome: 'allowed', reason: `checkpoint ${clock.checkpoints[rung]}` },
    ]);
  } catch (e) {
    // a decision landed in between: re-read and decide again (maybe there is nothing to escalate)
    if (e instanceof DomainError && e.code === 'process.versionConflict' && attempt < 5) {
      return escalate(await readProcess(r.processId, true), task, attempt + 1);
    }
    throw e;
  }
  await dispatch(deliveries.map((d) => d.item));
  return planFor(record, task, systemClock.now());
};

/** Beyond what one execution may wait: a one-time schedule restarts the clock in time (jobs.ts resume). */
const defer = async (r: ProcessRecord | undefined, task: ClockTask): Promise<Plan> => {
  const plan = planFor(r, task, systemClock.now());
  if (!r || plan.action !== 'defer') return plan;
  const { scheduler } = await import('./scheduler.ts');
  await scheduler().scheduleResume(`${executionName(r.processId, task.clockVersion)}-resume`, plan.checkpoint, { processId: r.processId, clockVersion: task.clockVersion });
  return { action: 'end', reason: 'deferred' };
};

/**
 * Restart a clock in a fresh execution (deferred clocks, executions that failed or timed out, open
 * processes whose execution the reconciler cannot find): same due date, next clock version.
 */
export const restartClock = async (processId: string, expectedClockVersion: number | undefined, reason: string) => {
  const r = await readProcess(processId, true);
  if (!r.open || !r.clock || (expectedClockVersion !== undefined && r.clock.version !== expectedClockVersion)) return undefined;
  const atIso = nowIso(systemClock);
  const clock = { ...r.clock, version: r.clockSeq + 1 };
  const record: ProcessRecord = { ...r, clock, clockSeq: clock.version, version: r.version + 1, updatedAt: atIso };
  const commands = clockCommands(r, record, atIso, reason);
  const history: HistoryEvent = { processId, seq: record.version, at: atIso, by: SYSTEM_ACTOR, event: 'clockRestarted', state: r.state, detail: { reason, previousClockVersion: r.clock.version } };
  await commit(systemCtx(r.agencyId), [putProcess(record, r.version), historyWrite(history), ...commands.map((c) => c.write)], [
    { action: 'process.clockRestarted', ...auditObject(r), outcome: 'allowed', reason },
  ]);
  await dispatch(commands.map((c) => c.item));
  return record;
};

// ---- calendar changes ---------------------------------------------------------------------------------

/**
 * A year published or corrected (or a local closure added): recompute every open clock that depends
 * on those years; a moved due date becomes a new clock version (the old execution stopped, a new one
 * started), a history event with both explanations, and a notice to whoever handles it.
 */
export const recomputeOpenClocks = async (
  years: readonly number[],
  onlyAgencyIds?: readonly string[],
  /** stop after this long and say which agencies remain (the caller leaves them to the outbox) */
  budgetMs = Number.POSITIVE_INFINITY,
) => {
  const until = Date.now() + budgetMs;
  forgetCalendarCache();
  const agencies = (await listAllAgencies())
    .filter((a) => !onlyAgencyIds || onlyAgencyIds.some((id) => a.agencyId === id || a.ancestors.includes(id)))
    .sort((a, b) => a.agencyId.localeCompare(b.agencyId));
  let examined = 0;
  let moved = 0;
  for (const [i, agency] of agencies.entries()) {
    const cal = await calendarFor([agency.agencyId, ...agency.ancestors]);
    for (const r of await allOpenProcesses(agency.agencyId)) {
      if (Date.now() > until) {
        // this agency again (its clocks already moved are unchanged now, cheap to look at) and the rest
        return { examined, moved, remainingAgencyIds: agencies.slice(i).map((a) => a.agencyId) };
      }
      if (!r.clock || !yearsOfClock(r.clock).some((y) => years.includes(y))) continue;
      examined++;
      if (await recomputeOne(r, cal)) moved++;
    }
  }
  return { examined, moved, remainingAgencyIds: [] as string[] };
};

const recomputeOne = async (r: ProcessRecord, cal: Calendar, attempt = 1): Promise<boolean> => {
  const at = systemClock.now();
  const clock = recomputeClock(cal, r.clock!, at);
  if (clock === r.clock) return false;
  const atIso = nowIso(systemClock);
  const fresh = { ...clock, version: r.clockSeq + 1 };
  const record: ProcessRecord = { ...r, clock: fresh, clockSeq: fresh.version, version: r.version + 1, updatedAt: atIso };
  const history: HistoryEvent = {
    processId: r.processId, seq: record.version, at: atIso, by: SYSTEM_ACTOR, event: 'clockRecomputed', state: r.state,
    detail: { reason: '工作日历发布或更正', previousDue: r.clock!.due, due: fresh.due, previousProvisional: r.clock!.provisional }, clock: fresh,
  };
  const commands = clockCommands(r, record, atIso, 'calendar changed');
  const moved = r.clock!.due !== fresh.due;
  const note = moved
    ? await noticeWrites(r, 'dueDateMoved', `【期限变更】${KIND_LABELS[r.kind]}：${r.title}`, `因工作日历发布或更正，${fresh.label}由 ${r.clock!.due} 调整为 ${fresh.due}。`, atIso)
    : [];
  try {
    await commit(systemCtx(r.agencyId), [putProcess(record, r.version), historyWrite(history), ...commands.map((c) => c.write), ...note], [
      { action: 'process.clockRecomputed', ...auditObject(r), outcome: 'allowed' },
    ]);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'process.versionConflict' && attempt < 5) {
      const again = await readProcess(r.processId, true);
      return again.open && again.clock ? recomputeOne(again, cal, attempt + 1) : false;
    }
    throw e;
  }
  await dispatch(commands.map((c) => c.item));
  return true;
};

/** A notice about a process to whoever it reaches (recipients.ts, E3). */
const noticeWrites = async (r: ProcessRecord, kind: 'dueDateMoved' | 'backdatePending', title: string, body: string, at: string) =>
  notificationWrites({ kind: kind === 'dueDateMoved' ? kind : 'opened', agencyId: r.agencyId, processId: r.processId, unitId: r.unitId, title, body, ...(await routeNotice(r, kind)) }, at).writes;

// ---- the reconciler --------------------------------------------------------------------------------

/**
 * Finds open processes whose clock has no live execution (a start lost, an execution failed or timed
 * out, the embedded platform restarted) and starts or restarts it. Deterministic names make this
 * safe to run any time, as often as wanted.
 */
export const reconcileClocks = async () => {
  const { workflowEngine } = await import('./engine.ts');
  const engine = workflowEngine();
  let started = 0;
  let restarted = 0;
  let running = 0;
  for (const agency of await listAllAgencies()) {
    for (const r of await allOpenProcesses(agency.agencyId)) {
      if (!r.clock) continue;
      const name = executionName(r.processId, r.clock.version);
      const status = await engine.describe(r.kind, name);
      if (status === 'RUNNING') running++;
      else if (status === 'NOT_FOUND') {
        await engine.start(r.kind, name, { processId: r.processId, clockVersion: r.clock.version, kind: r.kind });
        started++;
      } else if (status !== 'SUCCEEDED') {
        if (await restartClock(r.processId, r.clock.version, `execution ${status}`)) restarted++;
      }
    }
  }
  return { started, restarted, running };
};
