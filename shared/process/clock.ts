import { addCalendarDays, type Calendar, classifyDay, computeDue, type DueDate, type Period } from '../calendar/calendar.ts';

/**
 * The clock of a deadline-bound process (C1–C10, docs/rules.md), as pure functions of the calendar, the
 * rule version and the events so far. The process record keeps the clock; the state machine only
 * sleeps until the next checkpoint this module computes.
 */

/** A period as rule versions write it (shared/rules/catalog.ts `days()`). */
export interface RulePeriod {
  value: number;
  unit: 'workingDays' | 'calendarDays' | 'months';
}
export const periodOf = (p: RulePeriod): Period => ({ unit: p.unit, amount: p.value });

export interface Escalation {
  warnWithin: RulePeriod;
  reportAfter: RulePeriod;
}

/** The reminder ladder: 提醒 before the due date, 催办 once overdue, 通报 if still overdue later. */
export const RUNGS = ['remind', 'chase', 'report'] as const;
export type Rung = (typeof RUNGS)[number];
export const RUNG_LABELS: Record<Rung, string> = { remind: '到期提醒', chase: '逾期催办', report: '逾期通报' };

export interface ClockExtension {
  period: RulePeriod;
  reason: string;
  requestedBy: string;
  approvedBy: string;
  approvedAt: string;
  /** the extension counted from the previous due date, with its skipped days */
  explanation: DueDate;
}

export interface ProcessClock {
  /** bumps whenever the due date or the ladder changes; names the execution that keeps this clock */
  version: number;
  /** which deadline of the process this is (review, handling, reply, investigation, …) */
  phase: string;
  label: string;
  rule: { ruleId: string; versionId: string };
  /** the event date (not counted: docs/rules.md §3 counting conventions) */
  start: string;
  startedAt: string;
  period?: RulePeriod | undefined;
  /** the base period's computation; absent when the due date was set by a person (C7 assigner) */
  base?: DueDate | undefined;
  setDue?: { due: string; setBy: string } | undefined;
  extensions: ClockExtension[];
  due: string;
  provisional: boolean;
  escalation: Escalation;
  checkpoints: Record<Rung, string>;
  /** rungs already fired for this due date */
  fired: Rung[];
}

const SHANGHAI = '+08:00';
export const startOfDay = (date: string) => `${date}T00:00:00.000${SHANGHAI}`;
/** reminders go out at the start of office hours */
const officeMorning = (date: string) => `${date}T09:00:00.000${SHANGHAI}`;

/** The Nth working day before `date` (N ≥ 1), or the date itself for N = 0. */
const workingDaysBefore = (cal: Calendar, date: string, n: number): string => {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addCalendarDays(d, -1);
    if (classifyDay(cal, d).working) left--;
  }
  return d;
};

export const ladderFor = (cal: Calendar, due: string, escalation: Escalation, startedAt: string): Record<Rung, string> => {
  const warn = periodOf(escalation.warnWithin);
  const warnFrom = warn.unit === 'workingDays' ? workingDaysBefore(cal, due, warn.amount) : addCalendarDays(due, -warn.amount);
  const remindAt = officeMorning(warnFrom);
  const reportDue = computeDue(cal, due, periodOf(escalation.reportAfter)).due;
  return {
    // a clock that starts inside its warning window reminds at once
    remind: Date.parse(remindAt) < Date.parse(startedAt) ? startedAt : remindAt,
    chase: startOfDay(addCalendarDays(due, 1)),
    report: startOfDay(addCalendarDays(reportDue, 1)),
  };
};

export interface StartClockInput {
  phase: string;
  label: string;
  rule: { ruleId: string; versionId: string };
  start: string;
  startedAt: string;
  escalation: Escalation;
  /** the rule's period, or … */
  period?: RulePeriod;
  /** … a due date set by a person (C7: the assigner sets it) */
  setDue?: { due: string; setBy: string };
}

export const startClock = (cal: Calendar, input: StartClockInput, previousVersion = 0): ProcessClock => {
  const base = input.period ? computeDue(cal, input.start, periodOf(input.period)) : undefined;
  const due = base?.due ?? input.setDue?.due;
  if (!due) throw new RangeError('a clock needs a period or a set due date');
  return {
    version: previousVersion + 1,
    phase: input.phase,
    label: input.label,
    rule: input.rule,
    start: input.start,
    startedAt: input.startedAt,
    period: input.period,
    base,
    setDue: input.setDue,
    extensions: [],
    due,
    provisional: base?.provisional ?? false,
    escalation: input.escalation,
    checkpoints: ladderFor(cal, due, input.escalation, input.startedAt),
    fired: [],
  };
};

/** Rungs whose checkpoint moved into the future fire again at the new time; those passed stay fired. */
const refire = (fired: readonly Rung[], checkpoints: Record<Rung, string>, now: Date) => fired.filter((r) => Date.parse(checkpoints[r]) <= now.getTime());

export const extendClock = (cal: Calendar, clock: ProcessClock, ext: Omit<ClockExtension, 'explanation'>, now: Date): ProcessClock => {
  const explanation = computeDue(cal, clock.due, periodOf(ext.period));
  const checkpoints = ladderFor(cal, explanation.due, clock.escalation, clock.startedAt);
  return {
    ...clock,
    version: clock.version + 1,
    extensions: [...clock.extensions, { ...ext, explanation }],
    due: explanation.due,
    provisional: clock.provisional || explanation.provisional,
    checkpoints,
    fired: refire(clock.fired, checkpoints, now),
  };
};

/**
 * Recompute a clock on a new calendar (a year published or corrected, a local closure): the base
 * period, then each extension from the due date before it, then the ladder. Nothing moved → the same
 * clock (no new version); a moved due date or checkpoint → a new version.
 */
export const recomputeClock = (cal: Calendar, clock: ProcessClock, now: Date): ProcessClock => {
  const base = clock.period ? computeDue(cal, clock.start, periodOf(clock.period)) : undefined;
  let due = base?.due ?? clock.due;
  let provisional = base?.provisional ?? false;
  const extensions = clock.extensions.map((e) => {
    const explanation = computeDue(cal, due, periodOf(e.period));
    due = explanation.due;
    provisional ||= explanation.provisional;
    return { ...e, explanation };
  });
  // the ladder may move even when the due date does not (a 通报 counted into a newly published year)
  const checkpoints = ladderFor(cal, due, clock.escalation, clock.startedAt);
  const same = due === clock.due && provisional === clock.provisional && RUNGS.every((r) => checkpoints[r] === clock.checkpoints[r]);
  if (same) return clock;
  return { ...clock, version: clock.version + 1, base, extensions, due, provisional, checkpoints, fired: refire(clock.fired, checkpoints, now) };
};

/**
 * The same clock counted from another event date (a back-dated opening approved after it started):
 * the base period, the extensions and the ladder recomputed; rungs now past fire at once.
 */
export const recountClock = (cal: Calendar, clock: ProcessClock, start: string, now: Date): ProcessClock =>
  clock.start === start ? clock : { ...recomputeClock(cal, { ...clock, start, version: clock.version }, now), start, version: clock.version + 1 };

/** The years a clock's due date depends on: publishing or correcting one of them recomputes it. */
export const yearsOfClock = (clock: ProcessClock): number[] => {
  const from = Number(clock.start.slice(0, 4));
  const to = Number(clock.checkpoints.report.slice(0, 4));
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
};

export type ClockStatus = 'green' | 'yellow' | 'red';
export const STATUS_LABELS: Record<ClockStatus, string> = { green: '正常', yellow: '临期', red: '逾期' };

/** 红黄牌: red once overdue, yellow inside the warning window (C-rules' escalation.warnWithin). */
export const clockStatus = (clock: ProcessClock, now: Date): ClockStatus => {
  const t = now.getTime();
  if (t >= Date.parse(clock.checkpoints.chase)) return 'red';
  if (t >= Date.parse(clock.checkpoints.remind)) return 'yellow';
  return 'green';
};

export type Plan =
  | { action: 'end'; reason: string }
  | { action: 'wait'; rung: Rung; checkpoint: string; wakeAt: string }
  | { action: 'escalate'; rung: Rung; checkpoint: string }
  | { action: 'defer'; rung: Rung; checkpoint: string };

/**
 * What the state machine does next: the earliest rung not yet fired. Due now → escalate; beyond
 * what this execution may still wait (a Standard execution lives at most a year) → defer to the
 * scheduler; otherwise sleep until it.
 */
export const nextStep = (clock: ProcessClock, now: Date, waitUntilLatest: Date): Plan => {
  const rung = RUNGS.find((r) => !clock.fired.includes(r));
  if (!rung) return { action: 'end', reason: 'ladderComplete' };
  const checkpoint = clock.checkpoints[rung];
  const at = Date.parse(checkpoint);
  if (at <= now.getTime()) return { action: 'escalate', rung, checkpoint };
  if (at > waitUntilLatest.getTime()) return { action: 'defer', rung, checkpoint };
  return { action: 'wait', rung, checkpoint, wakeAt: new Date(at).toISOString() };
};
