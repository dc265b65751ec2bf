import { SYSTEM_ACTORS, systemPrincipal } from '../access/principal.ts';
import { commit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import type { Calendar } from '../calendar/calendar.ts';
import { calendarFor, forgetCalendarCache } from '../calendar/store.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { DomainError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { notificationWrites, type NotificationDraft } from '../notify/store.ts';
import { outboxWrite } from '../outbox/store.ts';
import { dispatch } from '../outbox/dispatch.ts';
import type { NotifyCommand } from '../notify/events.ts';
import { listAllAgencies } from '../org/store.ts';
import { nextStep, recomputeClock, RUNG_LABELS, yearsOfClock, type Plan, type Rung } from './clock.ts';
import { workflowEngine } from './engine.ts';
import { executionName, type HistoryEvent, KIND_LABELS, type ProcessRecord } from './model.ts';
import { routeNotice } from './recipients.ts';
import { scheduler } from './scheduler.ts';
import { allOpenProcesses, historyWrite, putProcess, readProcess } from './store.ts';
import { agencyFileWrite, auditObject, clockCommands, noticeWrites } from './writes.ts';

/**
 * The timer side of the deadline processes — what happens because time passes, not because a user
 * acted (the user's use cases are service.ts): the state machines' tasks (plan, check, escalate with
 * 提醒 / 催办 / 通报, defer beyond an execution's life), restarting a clock in a fresh execution,
 * recomputing open clocks when the calendar changes, and the reconciler of executions. Each change is
 * one transaction with its outbox commands, dispatched right after the commit.
 */

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
  principal: systemPrincipal('process-clock', agencyId),
  source: { requestId: 'process-clock' },
});
const SYSTEM_ACTOR = { userId: 'system' as const, roles: [] as [], name: SYSTEM_ACTORS['process-clock'] };

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
    kind: rung,
    agencyId: r.agencyId,
    processId: r.processId,
    unitId: r.unitId,
    ...routing,
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
  const history: HistoryEvent = {
    processId: r.processId,
    seq: record.version,
    at: atIso,
    by: SYSTEM_ACTOR,
    event: rung,
    state: r.state,
    detail: { notificationId: noteId, recipients: draft.recipients, reached: draft.reached, due: clock.due },
  };
  const deliveries = n.deliveries.map((d) => outboxWrite<NotifyCommand>({ type: 'deliver', delivery: d }, atIso));
  const agencyFile =
    rung === 'report' && r.kind === 'supervised-case'
      ? // C7: still overdue after chasing → 通报批评, recorded in the agency's file for assessment
        [
          agencyFileWrite(r.agencyId, {
            entryType: 'supervisedCaseCriticized',
            title: `通报批评：督办事项逾期未报告（${r.title}）`,
            detail: { due: clock.due, assignee: r.assignee, unitId: r.unitId },
            processId: r.processId,
            at: atIso,
          }),
        ]
      : [];
  try {
    await commit(
      ctx,
      [putProcess(record, r.version), historyWrite(history), ...n.writes, ...deliveries.map((d) => d.write), ...agencyFile],
      [{ action: `process.${rung}`, ...auditObject(r), outcome: 'allowed', reason: `checkpoint ${clock.checkpoints[rung]}` }],
    );
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
  await commit(
    systemCtx(r.agencyId),
    [putProcess(record, r.version), historyWrite(history), ...commands.map((c) => c.write)],
    [{ action: 'process.clockRestarted', ...auditObject(r), outcome: 'allowed', reason }],
  );
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
    processId: r.processId,
    seq: record.version,
    at: atIso,
    by: SYSTEM_ACTOR,
    event: 'clockRecomputed',
    state: r.state,
    detail: { reason: '工作日历发布或更正', previousDue: r.clock!.due, due: fresh.due, previousProvisional: r.clock!.provisional },
    clock: fresh,
  };
  const commands = clockCommands(r, record, atIso, 'calendar changed');
  const moved = r.clock!.due !== fresh.due;
  const note = moved
    ? await noticeWrites(r, 'dueDateMoved', `【期限变更】${KIND_LABELS[r.kind]}：${r.title}`, `因工作日历发布或更正，${fresh.label}由 ${r.clock!.due} 调整为 ${fresh.due}。`, atIso)
    : [];
  try {
    await commit(
      systemCtx(r.agencyId),
      [putProcess(record, r.version), historyWrite(history), ...commands.map((c) => c.write), ...note],
      [{ action: 'process.clockRecomputed', ...auditObject(r), outcome: 'allowed' }],
    );
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

// ---- the reconciler --------------------------------------------------------------------------------

/**
 * Finds open processes whose clock has no live execution (a start lost, an execution failed or timed
 * out, the embedded platform restarted) and starts or restarts it. Deterministic names make this
 * safe to run any time, as often as wanted.
 */
export const reconcileClocks = async () => {
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
