import type { Principal } from '../access/principal.ts';
import { requireVisible as requireVisibleRecord } from '../access/require-visible.ts';
import { visibilityOf, type VisibilitySubject } from '../access/visibility.ts';
import { audit, commit, type AuditContext, type DomainWrite, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import { processDraftWrite } from '../archive/entries.ts';
import type { Calendar } from '../calendar/calendar.ts';
import { calendarFor } from '../calendar/store.ts';
import { findCase } from '../cases/service.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, forbidden, notFound, requireVersion, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { notificationWrites } from '../notify/store.ts';
import { findAgency, findOfficer } from '../org/store.ts';
import { dispatch } from '../outbox/dispatch.ts';
import { outboxWrite, type OutboxItem } from '../outbox/store.ts';
import { ruleInForce } from '../rules/store.ts';
import { backdateAction, basisOnOpening } from './basis.ts';
import { clockStatus, extendClock, recountClock, startClock, STATUS_LABELS, type ProcessClock } from './clock.ts';
import type { ProcessEvent } from './events.ts';
import { KINDS, type ClockSpec, type Effect, type OpenInput, type Rules, type Transition } from './kinds.ts';
import { type Actor, type HistoryEvent, KIND_LABELS, type ProcessRecord } from './model.ts';
import { historyWrite, putProcess, readHistory, readProcess } from './store.ts';
import { agencyFileWrite, auditObject, clockCommands, noticeWrites } from './writes.ts';

/**
 * The user's use cases of the deadline-bound processes: open, act, read (what time does — the clock
 * tasks, calendar recomputation, the reconciler — is timer.ts). Each change is ONE transaction
 * (commit): the process record (version-checked), its history event, the outbox messages (the
 * commands that start/stop the execution keeping its clock, the events other areas consume),
 * notifications, entries proposed to officers' files, a linked process, and the audit record. The
 * outbox is dispatched right after the commit; what fails stays pending for the stream and the
 * reconciler (functions/jobs/processes.ts).
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
  startClock(
    cal,
    {
      phase: spec.phase,
      label: spec.label,
      rule: { ruleId: spec.ruleId, versionId: versionIds[spec.ruleId] ?? `${spec.ruleId}-default-1` },
      start: spec.start,
      startedAt,
      escalation: spec.escalation,
      ...(spec.period ? { period: spec.period } : {}),
      ...(spec.setDue ? { setDue: spec.setDue } : {}),
    },
    previous,
  );

// ---- who may see what ------------------------------------------------------------------------------

/** A process as the visibility table sees it (shared/access/visibility.ts, row `process`). */
const subjectOf = (r: ProcessRecord): VisibilitySubject => ({
  agencyId: r.agencyId,
  agencyPath: r.agencyPath,
  unitId: r.unitId || undefined,
  kindReaders: KINDS[r.kind].readers,
  officerIds: [r.assignee?.officerId, ...((r.data.officerIds as string[] | undefined) ?? [])],
  userIds: [r.openedBy.userId],
});
export const visibility = (p: Principal, r: ProcessRecord) => visibilityOf('process', p, subjectOf(r));

/** C4 no retaliation: the complainant is shown only to those handling the complaint. */
const seesComplainant = (p: Principal, r: ProcessRecord) =>
  p.agencyId === r.agencyId &&
  (p.userId === r.openedBy.userId ||
    p.roles.some((x) => x === 'leadership' || x === 'supervision') ||
    (p.roles.includes('deptHead') && !!r.unitId && p.unitId === r.unitId) ||
    (!!p.officerId && p.officerId === r.assignee?.officerId));

const requireVisible = (ctx: AuditContext, r: ProcessRecord, action: string) => requireVisibleRecord(ctx, 'process', subjectOf(r), { action, ...auditObject(r) });

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
    processId: record.processId,
    seq: record.version,
    at,
    by: actorOf(ctx.principal),
    event: t.event,
    state: record.state,
    detail: t.detail,
    ...(clock !== before.clock ? { clock } : {}),
  };
  const effects = await effectWrites(ctx, record, t.effects ?? [], at, t.event);
  const commands = clockCommands(before, record, at, `process ${t.event}`);
  const assigned =
    record.assignee?.officerId && record.assignee.officerId !== before.assignee?.officerId
      ? notificationWrites(
          {
            kind: 'assigned',
            agencyId: record.agencyId,
            processId: record.processId,
            title: `${KIND_LABELS[record.kind]}：${record.title}`,
            body: '该事项已交由您办理',
            recipients: [{ type: 'officer', officerId: record.assignee.officerId }],
          },
          at,
        ).writes
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
  Promise.all(
    ids.map(async (id) => {
      const o = await findOfficer(id);
      if (!o || o.agencyId !== agencyId) {
        throw validationError('process.officerNotInAgency', '所列执法人员须为本机关登记的人员', [{ path, message: `执法人员 ${id} 不存在或不属于本机关` }]);
      }
      return o;
    }),
  );

const assigneeOf = async (agencyId: string, officerId: string) => {
  const o = await findOfficer(officerId);
  if (!o || o.agencyId !== agencyId || o.status !== 'active') {
    throw validationError('process.assigneeInvalid', '承办人须为本机关在岗执法人员', [{ path: 'body.officerId', message: '执法人员不存在或不在本机关' }]);
  }
  return { officerId: o.officerId, name: o.name };
};

const commitChange = async (ctx: AuditContext, change: Change, action: string, idempotent?: IdempotentCreate) => {
  await commit(
    ctx,
    change.writes,
    [
      { action, ...auditObject(change.record), outcome: 'allowed' },
      ...change.opened.map((o) => ({ action: 'process.open', ...auditObject(o), outcome: 'allowed' as const, reason: `opened by ${change.record.processId}` })),
    ],
    idempotent,
  );
  await dispatch(change.outbox);
};

// ---- open -------------------------------------------------------------------------------------------

/**
 * The writes that open a process, for a use case that opens one in its own transaction (a C8 filing
 * opened on a case's major penalty decision, consumers.ts, under the id the case already links).
 */
export const prepareOpen = async (ctx: AuditContext, input: OpenInput & { linkFrom?: string; processId?: string }): Promise<Change> => {
  const def = KINDS[input.kind];
  const agency = await findAgency(ctx.principal.agencyId);
  if (!agency) throw notFound('agency.notFound', '机关不存在或无权访问');
  const agencyPath = [agency.agencyId, ...agency.ancestors];
  const at = nowIso(ctx.clock ?? systemClock);
  const today = shanghaiDate(now(ctx));
  const { rules, versionIds } = await rulesFor(agencyPath, today, def.rules);
  const opening = def.open(input, { actor: actorOf(ctx.principal), today, now: at, rules });
  for (const [field, ids] of [
    ['officerIds', opening.data.officerIds],
    ['handlingOfficerIds', opening.data.handlingOfficerIds],
  ] as const) {
    if (Array.isArray(ids)) await officersOf(agency.agencyId, ids as string[], `body.${field}`);
  }
  const about = (opening.data.about as { officerIds?: string[] } | undefined)?.officerIds;
  if (about) await officersOf(agency.agencyId, about, 'body.about.officerIds');
  const processId = input.processId ?? newId();
  const cal = await calendarFor(agencyPath);
  const clock = opening.clock ? buildClock(cal, opening.clock, versionIds, at, 0) : undefined;
  const record: ProcessRecord = {
    processId,
    kind: input.kind,
    title: input.title,
    agencyId: agency.agencyId,
    agencyPath,
    unitId: opening.unitId,
    state: opening.state,
    open: true,
    assignee: opening.assignee ? await assigneeOf(agency.agencyId, opening.assignee.officerId) : undefined,
    openedBy: actorOf(ctx.principal),
    clock,
    clockSeq: clock?.version ?? 0,
    data: JSON.parse(JSON.stringify({ ...opening.data, ...(input.basis ? { basis: input.basis } : {}) })) as Record<string, unknown>,
    complainant: opening.complainant,
    links: [...(opening.links ?? []), ...(input.linkFrom && !(opening.links ?? []).some((l) => l.processId === input.linkFrom) ? [{ processId: input.linkFrom, relation: 'openedBy' }] : [])],
    escalations: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const closed = { ...record, open: false, clock: undefined };
  const commands = clockCommands(closed, record, at, 'opened');
  const history: HistoryEvent = {
    processId,
    seq: 1,
    at,
    by: actorOf(ctx.principal),
    event: 'opened',
    state: record.state,
    detail: { ruleVersions: versionIds, ...(input.basis ? { basis: input.basis } : {}) },
    ...(clock ? { clock } : {}),
  };
  const assigned = record.assignee
    ? notificationWrites(
        {
          kind: 'assigned',
          agencyId: record.agencyId,
          processId,
          title: `${KIND_LABELS[record.kind]}：${record.title}`,
          body: clock ? `请于 ${clock.due} 前办结` : '该事项已交由您办理',
          recipients: [{ type: 'officer', officerId: record.assignee.officerId }],
        },
        at,
      ).writes
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
    const c = await findCase(aboutCase);
    if (!c || c.agencyId !== ctx.principal.agencyId)
      throw validationError('process.caseNotInAgency', '投诉涉及的案件须为本机关案件', [{ path: 'body.about.caseId', message: '案件不存在或不属于本机关' }]);
  }
  // the event the period counts from, which may precede the entry (basis.ts); a late one awaiting approval is announced
  const agency = await findAgency(ctx.principal.agencyId);
  const basis = agency ? await basisOnOpening(input.kind, input, actorOf(ctx.principal), [agency.agencyId, ...agency.ancestors], now(ctx)) : undefined;
  const change = await prepareOpen(ctx, basis ? { ...input, countFrom: basis.countFrom, basis } : input);
  if (basis?.status === 'pending')
    change.writes.push(
      ...(await noticeWrites(
        change.record,
        'backdatePending',
        `【补录待批】${KIND_LABELS[input.kind]}：${input.title}`,
        `事件日期 ${basis.eventOn} 早于录入日期 ${basis.enteredOn} 超过 ${basis.limit.value} 日，须经批准后方自该日起算期限（${basis.rule.ruleId}）。`,
        nowIso(ctx.clock ?? systemClock),
      )),
    );
  if (aboutCase) {
    // D4 (一): a complaint about an enforcement act keeps the act's recordings long-term (evidence/consumers.ts)
    const event = outboxWrite<ProcessEvent>({ type: 'complaintAboutCase', caseId: aboutCase, agencyId: ctx.principal.agencyId, processId: change.record.processId }, change.record.createdAt);
    change.writes.push(event.write);
    change.outbox.push(event.item);
  }
  const view = viewOf(ctx.principal, change.record, now(ctx));
  await commitChange(ctx, change, 'process.open', { ...idem, response: view });
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
