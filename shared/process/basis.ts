import type { Role } from '../access/principal.ts';
import { addCalendarDays } from '../calendar/calendar.ts';
import { shanghaiDate } from '../kernel/clock.ts';
import { conflict, forbidden, validationError } from '../kernel/errors.ts';
import { DEFAULT_RULES } from '../rules/catalog.ts';
import { ruleInForce } from '../rules/store.ts';
import type { RulePeriod } from './clock.ts';
import type { ActionDef, KindContext, OpenInput } from './kinds.ts';
import type { Actor, ProcessKind, ProcessRecord } from './model.ts';

/**
 * The event a process's first period counts from (docs/rules.md §3 counting conventions: the event day is
 * not counted) — C1 the receipt of the material, C4 the acceptance (受理: the complaint received and
 * registered, 投诉举报 §7), C5 the start of the investigation, C8 the decision, C9 the withdrawal — as
 * given on opening, which may be earlier than the day it is entered (a complaint received by phone
 * or on paper and typed in later). Never in the future. Older than the rule version's
 * `backdatingLimit` it counts only once a holder of `backdatingApproverRoles` approves: the opener
 * (approved on entry) or, with `decideBackdate`, afterwards; until then the clock counts from the day
 * of entry. The process keeps both dates (`data.basis`), and the history shows them.
 */
type BasisRule = 'C1' | 'C4' | 'C5' | 'C8' | 'C9';
interface BasisOf {
  field: 'receivedAt' | 'startedAt' | 'basisDate';
  /** the phase of the clock that counts from the event */
  phase: string;
  rule: (input: Record<string, unknown>) => BasisRule | undefined;
}
const BASIS: Partial<Record<ProcessKind, BasisOf>> = {
  'legal-review': { field: 'receivedAt', phase: 'review', rule: () => 'C1' },
  complaint: { field: 'receivedAt', phase: 'handling', rule: () => 'C4' },
  'fault-investigation': { field: 'startedAt', phase: 'investigation', rule: () => 'C5' },
  // C10 counts from the end of the year reported on: no event date to give
  filing: { field: 'basisDate', phase: 'filing', rule: (i) => (i.filingKind === 'majorPenalty' ? 'C8' : i.filingKind === 'certificateWithdrawal' ? 'C9' : undefined) },
};

export interface Basis {
  /** the opening's field, and the value as given (a date or a time) */
  field: string;
  given?: string | undefined;
  /** the event's date (Asia/Shanghai) */
  eventOn: string;
  /** the day the process was entered */
  enteredOn: string;
  /** the date the clock counts from: the event's, or the day of entry while a late entry awaits approval */
  countFrom: string;
  phase: string;
  rule: { ruleId: BasisRule; versionId: string };
  limit: RulePeriod;
  status: 'inTime' | 'approved' | 'pending' | 'refused';
  decision?: { by: string; name?: string | undefined; roles: Role[]; at: string; onEntry: boolean; note?: string | undefined } | undefined;
}

const backdatingOf = (ruleId: BasisRule, parameters: Partial<{ backdatingLimit: RulePeriod; backdatingApproverRoles: readonly Role[] }>) => ({
  // a version published before the parameter existed keeps the shipped default's value
  limit: parameters.backdatingLimit ?? DEFAULT_RULES[ruleId].parameters.backdatingLimit,
  approvers: parameters.backdatingApproverRoles ?? DEFAULT_RULES[ruleId].parameters.backdatingApproverRoles,
});

const dateOf = (given: string) => (given.length === 10 ? given : shanghaiDate(new Date(given)));

/** The basis of a process opened through the API (undefined for kinds that count from no event). */
export const basisOnOpening = async (kind: ProcessKind, input: OpenInput, actor: Actor, agencyPath: readonly string[], now: Date): Promise<Basis | undefined> => {
  const def = BASIS[kind];
  const ruleId = def?.rule(input);
  if (!def || !ruleId) return undefined;
  const enteredOn = shanghaiDate(now);
  const given = input[def.field] as string | undefined;
  const future = given !== undefined && (given.length === 10 ? given > enteredOn : Date.parse(given) > now.getTime());
  if (future) {
    throw validationError('process.basisInFuture', '事件日期（收到、受理、开始调查、决定或吊销之日）不能晚于录入之时', [{ path: `body.${def.field}`, message: '不能晚于当前时间' }]);
  }
  const eventOn = given === undefined ? enteredOn : dateOf(given);
  const version = await ruleInForce(ruleId, agencyPath, enteredOn);
  const { limit, approvers } = backdatingOf(ruleId, version.parameters);
  const late = eventOn < addCalendarDays(enteredOn, -limit.value);
  const approver = late && approvers.some((r) => actor.roles.includes(r));
  const status: Basis['status'] = !late ? 'inTime' : approver ? 'approved' : 'pending';
  return {
    field: def.field,
    given,
    eventOn,
    enteredOn,
    countFrom: status === 'pending' ? enteredOn : eventOn,
    phase: def.phase,
    rule: { ruleId, versionId: version.versionId },
    limit,
    status,
    decision: approver ? { by: actor.userId, name: actor.name, roles: [...actor.roles], at: now.toISOString(), onEntry: true } : undefined,
  };
};

/**
 * `decideBackdate`: a late entry's event date approved (the clock then counts from it: a new clock
 * version, rungs already due fire at once) or refused (it keeps counting from the day of entry).
 */
export const backdateAction = (p: ProcessRecord): ActionDef => ({
  states: [p.state],
  who: (a, r) => a.agencyId === r.agencyId && a.roles.some((x) => x === 'leadership' || x === 'supervision' || x === 'legal'),
  whoLabel: '有权批准补录的机关领导',
  apply: (r, body, k: KindContext) => {
    const basis = r.data.basis as Basis | undefined;
    if (!basis || basis.status !== 'pending') throw conflict('process.noPendingBackdate', '该流程没有待批准的补录日期');
    const { approvers } = backdatingOf(basis.rule.ruleId, k.rules[basis.rule.ruleId]);
    if (!approvers.some((x) => k.actor.roles.includes(x))) throw forbidden('process.notApprover', '补录日期须经机关领导批准');
    const decision = { by: k.actor.userId, name: k.actor.name, roles: [...k.actor.roles], at: k.now, onEntry: false, note: body.note as string | undefined };
    const detail = { eventOn: basis.eventOn, enteredOn: basis.enteredOn, note: body.note };
    if (!body.approve) return { event: 'backdateRefused', state: r.state, data: { basis: { ...basis, status: 'refused', decision } }, detail };
    const counting = !!r.clock && r.clock.phase === basis.phase && r.clock.start === basis.countFrom && (r.kind !== 'legal-review' || r.data.round === 1);
    return {
      event: 'backdateApproved',
      state: r.state,
      data: { basis: { ...basis, status: 'approved', countFrom: basis.eventOn, decision } },
      detail,
      ...(counting ? { clock: { recount: basis.eventOn } } : {}),
    };
  },
});
