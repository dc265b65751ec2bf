import type { Role } from '../access/principal.ts';
import type { DraftBody } from '../archive/entry-types.ts';
import { conflict, forbidden, validationError } from '../kernel/errors.ts';
import type { RuleParameters } from '../rules/catalog.ts';
import type { Escalation, RulePeriod } from './clock.ts';
import type { Actor, Address, FilingKind, ProcessKind, ProcessRecord } from './model.ts';

/**
 * The five processes as pure state machines (C1–C10, C12; docs/rules.md): which action is allowed to
 * whom in which state, and what it changes — the next state, the clock (start, extend, stop), facts,
 * and effects (entries in officers' files, a linked process, notifications). No I/O here: the
 * service (service.ts) loads, authorises, applies and commits in one transaction.
 *
 * Over 500 lines on purpose: the five machines are one table (`KINDS`) over the shared steps of the
 * first section, read side by side; each section after it is one kind of about a hundred lines.
 */

export interface ClockSpec {
  phase: string;
  label: string;
  ruleId: 'C1' | 'C4' | 'C5' | 'C7' | 'C8' | 'C9' | 'C10';
  /** the event date the period counts from (not counted itself) */
  start: string;
  period?: RulePeriod;
  setDue?: { due: string; setBy: string };
  escalation: Escalation;
}

export type Effect =
  | { type: 'entry'; officerId: string; body: DraftBody }
  | { type: 'openProcess'; kind: ProcessKind; input: OpenInput }
  | { type: 'notify'; recipients: Address[]; title: string; body: string }
  | { type: 'agencyFile'; entryType: string; title: string; detail: Record<string, unknown> };

export interface Transition {
  event: string;
  state: string;
  closed?: boolean;
  clock?: { start: ClockSpec } | { extend: { period: RulePeriod; reason: string; requestedBy: string } } | { recount: string } | 'stop';
  data?: Record<string, unknown>;
  assignee?: { officerId: string; name?: string | undefined };
  unitId?: string;
  detail?: Record<string, unknown>;
  effects?: Effect[];
}

/** Rule versions a kind reads, resolved for the process's agency on the day (service.ts). */
export interface Rules {
  C1: RuleParameters<'C1'>;
  C2: RuleParameters<'C2'>;
  C3: RuleParameters<'C3'>;
  C4: RuleParameters<'C4'>;
  C5: RuleParameters<'C5'>;
  C7: RuleParameters<'C7'>;
  C8: RuleParameters<'C8'>;
  C9: RuleParameters<'C9'>;
  C10: RuleParameters<'C10'>;
}

export interface KindContext {
  actor: Actor;
  today: string;
  now: string;
  rules: Rules;
}

export type OpenInput = Record<string, unknown> & { kind: ProcessKind; title: string; unitId?: string | undefined };

/** What an opened process starts as. */
export interface Opening {
  state: string;
  unitId?: string | undefined;
  assignee?: { officerId: string } | undefined;
  data: Record<string, unknown>;
  complainant?: Record<string, unknown> | undefined;
  links?: { processId: string; relation: string }[];
  clock?: ClockSpec;
  detail?: Record<string, unknown>;
}

type Who = (actor: Actor, p: ProcessRecord) => boolean;
const role =
  (...roles: Role[]): Who =>
  (a) =>
    roles.some((r) => a.roles.includes(r));
const sameAgency: Who = (a, p) => a.agencyId === p.agencyId;
const assignee: Who = (a, p) => !!a.officerId && a.officerId === p.assignee?.officerId;
const unitHead: Who = (a, p) => a.roles.includes('deptHead') && !!p.unitId && a.unitId === p.unitId && sameAgency(a, p);
const opener: Who = (a, p) => a.userId === p.openedBy.userId;
const subject: Who = (a, p) => !!a.officerId && ((p.data.officerIds as string[] | undefined) ?? []).includes(a.officerId);
const ofAgency =
  (w: Who): Who =>
  (a, p) =>
    sameAgency(a, p) && w(a, p);
const any =
  (...ws: Who[]): Who =>
  (a, p) =>
    ws.some((w) => w(a, p));

export interface ActionDef {
  states: readonly string[];
  who: Who;
  /** what the refusal says when `who` fails */
  whoLabel: string;
  apply: (p: ProcessRecord, body: Record<string, unknown>, k: KindContext) => Transition;
}

export interface KindDef {
  openers: readonly Role[];
  /** the rule versions this kind reads */
  rules: readonly (keyof Rules)[];
  open: (input: OpenInput, k: KindContext) => Opening;
  actions: Record<string, ActionDef>;
  /** roles of the process's agency (and superiors) that read every process of this kind */
  readers: readonly Role[];
}

// ---- shared steps -------------------------------------------------------------------------------

type ExtensionRule = { maxExtensions: number; extensionApproverRoles: readonly Role[] };
const extensionSteps = (
  states: readonly string[],
  requesters: Who,
  requesterLabel: string,
  ruleOf: (k: KindContext) => ExtensionRule & { extension?: RulePeriod; extensionMax?: RulePeriod },
): Record<string, ActionDef> => ({
  requestExtension: {
    states,
    who: requesters,
    whoLabel: requesterLabel,
    apply: (p, body, k) => {
      const rule = ruleOf(k);
      const granted = p.clock?.extensions.length ?? 0;
      if (granted >= rule.maxExtensions) throw conflict('process.extensionExhausted', `本阶段已延长 ${granted} 次，规则允许 ${rule.maxExtensions} 次`);
      if (p.data.pendingExtension) throw conflict('process.extensionPending', '已有待审批的延期申请');
      const max = rule.extension ?? rule.extensionMax!;
      const value = (body.days as number | undefined) ?? max.value;
      if (value > max.value) {
        throw validationError('process.extensionTooLong', `延长期限不得超过 ${max.value}${UNIT_LABEL[max.unit]}`, [{ path: 'body.days', message: `不得超过 ${max.value}` }]);
      }
      const pendingExtension = { period: { value, unit: max.unit }, reason: body.reason, requestedBy: k.actor.userId, requestedAt: k.now };
      return { event: 'extensionRequested', state: p.state, data: { pendingExtension }, detail: pendingExtension };
    },
  },
  decideExtension: {
    states,
    who: (a, p) => sameAgency(a, p) && ruleOfAny(a, p),
    whoLabel: '负责审批延期的机关领导',
    apply: (p, body, k) => {
      const pending = p.data.pendingExtension as { period: RulePeriod; reason: string; requestedBy: string } | undefined;
      if (!pending) throw conflict('process.noPendingExtension', '没有待审批的延期申请');
      const rule = ruleOf(k);
      if (!rule.extensionApproverRoles.some((r) => k.actor.roles.includes(r))) {
        throw forbidden('process.notApprover', `延期须经${rule.extensionApproverRoles.map((r) => ROLE_NAMES[r] ?? r).join('或')}批准`);
      }
      if (!body.approve) {
        return { event: 'extensionRefused', state: p.state, data: { pendingExtension: undefined }, detail: { ...pending, note: body.note } };
      }
      return {
        event: 'extensionApproved',
        state: p.state,
        data: { pendingExtension: undefined },
        clock: { extend: pending },
        detail: { ...pending, note: body.note },
      };
    },
  },
});
/** approver roles differ by rule; the precise check runs in apply (it knows the rule version) */
const ruleOfAny: Who = (a) => a.roles.some((r) => r === 'leadership' || r === 'supervision' || r === 'legal');
const ROLE_NAMES: Partial<Record<Role, string>> = { leadership: '机关领导', supervision: '执法监督部门', legal: '法制部门' };
const UNIT_LABEL = { workingDays: '个工作日', calendarDays: '日', months: '个月' } as const;

const assignStep = (states: readonly string[], nextState?: string): ActionDef => ({
  states,
  who: any(unitHead, ofAgency(role('leadership'))),
  whoLabel: '承办部门负责人或机关领导',
  apply: (p, body) => ({
    event: 'assigned',
    state: nextState ?? p.state,
    assignee: { officerId: body.officerId as string },
    detail: { officerId: body.officerId, note: body.note },
  }),
});

const entry = (officerId: string, body: DraftBody): Effect => ({ type: 'entry', officerId, body });

// ---- 1. legal review of a major decision (C1–C3) --------------------------------------------------

const reviewClock = (k: KindContext, start: string): ClockSpec => ({
  phase: 'review',
  label: '法制审核期限',
  ruleId: 'C1',
  start,
  period: k.rules.C1.reviewPeriod,
  escalation: k.rules.C1.escalation,
});

const legalReview: KindDef = {
  openers: ['officer', 'deptHead', 'leadership'],
  rules: ['C1', 'C2', 'C3'],
  readers: ['leadership', 'legal', 'supervision'],
  open: (input, k) => ({
    state: 'received',
    unitId: input.unitId,
    data: {
      caseNumber: input.caseNumber,
      decisionSummary: input.decisionSummary,
      parties: input.parties,
      handlingOfficerIds: input.handlingOfficerIds,
      round: 1,
      submittingUnitId: input.unitId,
    },
    clock: reviewClock(k, (input.countFrom as string | undefined) ?? k.today), // C1: from receipt of the material (basis.ts)
  }),
  actions: {
    accept: {
      states: ['received'],
      who: ofAgency(role('legal')),
      whoLabel: '法制部门审核人员',
      apply: (p, body, k) => {
        const declared = (body.relations as { partyName: string; relation: string }[]) ?? [];
        const parties = ((p.data.parties as { name: string }[]) ?? []).map((x) => x.name);
        const conflicts = declared.filter((d) => parties.includes(d.partyName) && (k.rules.C2.recusalRelations as readonly string[]).includes(d.relation));
        if (!k.actor.officerId) throw conflict('process.reviewerNotOfficer', '法制审核人员须为登记在册的执法人员（身份令牌缺少 officerId）');
        const ownCase = !!k.actor.officerId && ((p.data.handlingOfficerIds as string[]) ?? []).includes(k.actor.officerId);
        if (ownCase || conflicts.length > 0) {
          throw conflict('process.recusalRequired', ownCase ? '审核人员是本案承办人员，应当回避（C2）' : `审核人员与当事人${conflicts.map((c) => c.partyName).join('、')}存在应当回避的关系（C2）`);
        }
        return {
          event: 'reviewAccepted',
          state: 'underReview',
          assignee: { officerId: k.actor.officerId ?? '', name: k.actor.name },
          detail: { recusalDeclaration: { relations: declared, checkedAgainst: parties, rule: 'C2' } },
        };
      },
    },
    ...extensionSteps(['underReview'], ofAgency(assignee), '审核人员', (k) => k.rules.C1),
    decide: {
      states: ['underReview'],
      who: ofAgency(assignee),
      whoLabel: '审核人员',
      apply: (p, body, k) => {
        const outcome = body.outcome as string;
        if (!(k.rules.C3.outcomes as readonly string[]).includes(outcome)) {
          throw validationError('process.outcomeNotAllowed', '审核意见不在规则允许的范围内（C3）', [{ path: 'body.outcome', message: '不允许的审核意见' }]);
        }
        const opinion = { outcome, opinion: body.opinion, decidedBy: k.actor.userId, decidedAt: k.now, round: p.data.round };
        const resubmit = (k.rules.C3.resubmitOutcomes as readonly string[]).includes(outcome);
        const state = resubmit ? 'returned' : ({ pass: 'passed', correct: 'corrected', transfer: 'transferred' } as Record<string, string>)[outcome]!;
        return {
          // pass, correct and transfer end the review unless the submitter disputes them (C3)
          event: 'reviewDecided',
          state,
          closed: !resubmit,
          clock: 'stop',
          data: { opinions: [...((p.data.opinions as unknown[]) ?? []), opinion] },
          detail: opinion,
        };
      },
    },
    resubmit: {
      states: ['returned'],
      who: any(opener, unitHead),
      whoLabel: '送审人或送审部门负责人',
      apply: (p, body, k) => ({
        event: 'resubmitted',
        state: 'received',
        assignee: undefined,
        data: { round: (p.data.round as number) + 1, resubmissionNote: body.note },
        clock: { start: reviewClock(k, k.today) },
        detail: { note: body.note, round: (p.data.round as number) + 1 },
      }),
    },
    dispute: {
      states: ['returned', 'corrected', 'transferred'],
      who: any(opener, unitHead),
      whoLabel: '送审人或送审部门负责人',
      apply: (p, body) => ({ event: 'disputed', state: 'collectiveDiscussion', closed: false, detail: { reason: body.reason } }),
    },
    recordMinutes: {
      states: ['collectiveDiscussion'],
      who: ofAgency(role('leadership')),
      whoLabel: '主持集体讨论的机关领导',
      apply: (p, body, k) => {
        if (!(k.rules.C3.collectiveBodies as readonly string[]).includes(body.body as string)) {
          throw validationError('process.collectiveBody', `集体讨论须由${k.rules.C3.collectiveBodies.join('或')}作出（C3）`, [{ path: 'body.body', message: '不允许的讨论机构' }]);
        }
        const attendees = body.attendees as string[];
        const signedBy = body.signedBy as string[];
        const unsigned = attendees.filter((x) => !signedBy.includes(x));
        if (unsigned.length) {
          throw validationError('process.minutesUnsigned', '集体讨论记录须由全体出席人员签名（E6）', [{ path: 'body.signedBy', message: `缺少：${unsigned.join('、')}` }]);
        }
        return { event: 'collectivelyDecided', state: 'collectivelyDecided', closed: true, data: { minutes: body }, detail: { minutes: body } };
      },
    },
  },
};

// ---- 2. complaint (C4, C12) --------------------------------------------------------------------------

const complaintHandlers = any(unitHead, ofAgency(assignee));
const complaint: KindDef = {
  openers: ['officer', 'deptHead', 'leadership', 'supervision', 'legal', 'discipline', 'political'],
  rules: ['C4'],
  readers: ['leadership', 'supervision'],
  open: (input, k) => ({
    state: 'registered',
    data: {
      channel: input.channel,
      content: input.content,
      about: input.about ?? {},
      // C12 首问负责: whoever received it owns it to the end
      firstReceiver: { userId: k.actor.userId, name: k.actor.name, officerId: k.actor.officerId },
      externalReference: input.externalReference,
    },
    complainant: input.complainant as Record<string, unknown>,
  }),
  actions: {
    signOff: {
      states: ['registered'],
      who: ofAgency(role('leadership', 'supervision')),
      whoLabel: '领导小组办公室（机关领导或执法监督部门）',
      apply: (p, body, k) => {
        if (body.decision === 'accept') {
          return {
            event: 'accepted',
            state: 'handling',
            unitId: body.unitId as string,
            clock: {
              start: {
                phase: 'handling',
                label: '投诉办理期限',
                ruleId: 'C4',
                start: (p.data.basis as { countFrom?: string } | undefined)?.countFrom ?? k.today,
                period: k.rules.C4.handlingPeriod,
                escalation: k.rules.C4.escalation,
              },
            }, // C4 from acceptance (受理 = received and registered, basis.ts), not the sign-off
            detail: { unitId: body.unitId, note: body.note },
          };
        }
        // outside jurisdiction: transferred to the competent body, or the complainant told where to go
        return {
          event: body.decision === 'transfer' ? 'transferred' : 'referred',
          state: 'transferred',
          closed: true,
          data: { outsideJurisdiction: { decision: body.decision, to: body.to, complainantToldOn: body.complainantToldOn } },
          detail: { to: body.to, complainantToldOn: body.complainantToldOn },
        };
      },
    },
    assign: assignStep(['handling']),
    ...extensionSteps(['handling'], complaintHandlers, '承办人或承办部门负责人', (k) => k.rules.C4),
    complete: {
      states: ['handling'],
      who: complaintHandlers,
      whoLabel: '承办人或承办部门负责人',
      apply: (p, body, k) => {
        if (body.penaltyDispute && !body.rightsNotified) {
          throw validationError('process.rightsNotNotified', '对行政处罚有异议的，应当告知申请行政复议、提起行政诉讼的权利（C4）', [{ path: 'body.rightsNotified', message: '须告知复议和诉讼权利' }]);
        }
        const result = {
          finding: body.finding,
          result: body.result,
          officerIds: body.officerIds ?? [],
          penaltyDispute: body.penaltyDispute ?? false,
          rightsNotified: body.rightsNotified ?? false,
          completedOn: k.today,
        };
        return {
          event: 'completed',
          state: 'replying',
          data: { result },
          clock: { start: { phase: 'reply', label: '告知投诉人期限', ruleId: 'C4', start: k.today, period: k.rules.C4.replyPeriod, escalation: k.rules.C4.escalation } },
          detail: result,
        };
      },
    },
    reply: {
      states: ['replying'],
      who: complaintHandlers,
      whoLabel: '承办人或承办部门负责人',
      apply: (p, body, k) => {
        const result = p.data.result as { finding: string; result: string; officerIds: string[] };
        const effects: Effect[] = [];
        // C4: a substantiated complaint (in whole or in part) goes into the officers' files and starts C5
        if (result.finding === 'substantiated' || result.finding === 'partlySubstantiated') {
          for (const officerId of result.officerIds) {
            effects.push(
              entry(officerId, {
                type: 'substantiatedComplaint',
                occurredOn: k.today,
                title: `有效投诉：${p.title}`,
                content: { complaintNumber: p.processId, finding: result.result },
              }),
            );
          }
          effects.push({
            type: 'openProcess',
            kind: 'fault-investigation',
            input: { kind: 'fault-investigation', title: `过错责任调查：${p.title}`, officerIds: result.officerIds, allegation: result.result, sourceProcessId: p.processId },
          });
        }
        return {
          event: 'complainantTold',
          state: 'closed',
          closed: true,
          clock: 'stop',
          data: { reply: { channel: body.channel, content: body.content, toldOn: body.toldOn } },
          detail: { channel: body.channel, toldOn: body.toldOn },
          effects,
        };
      },
    },
  },
};

// ---- 3. fault investigation (C5, C6) ------------------------------------------------------------------

const investigators = ofAgency(role('discipline', 'supervision'));
const faultInvestigation: KindDef = {
  openers: ['discipline', 'supervision'],
  rules: ['C5'],
  readers: ['leadership', 'discipline', 'supervision'],
  open: (input, k) => ({
    state: 'investigating',
    unitId: input.unitId,
    data: { officerIds: input.officerIds, allegation: input.allegation, sourceProcessId: input.sourceProcessId },
    links: input.sourceProcessId ? [{ processId: input.sourceProcessId as string, relation: 'openedBy' }] : [],
    clock: {
      phase: 'investigation',
      label: '过错调查期限',
      ruleId: 'C5',
      start: (input.countFrom as string | undefined) ?? k.today,
      period: k.rules.C5.investigationPeriod,
      escalation: k.rules.C5.escalation,
    },
  }),
  actions: {
    ...extensionSteps(['investigating'], investigators, '纪检监察或执法监督部门', (k) => k.rules.C5),
    conclude: {
      states: ['investigating'],
      who: investigators,
      whoLabel: '纪检监察或执法监督部门',
      apply: (p, body, k) => {
        if (!body.substantiated) {
          return { event: 'closedUnsubstantiated', state: 'closed', closed: true, clock: 'stop', data: { conclusion: { substantiated: false, reason: body.reason } }, detail: { reason: body.reason } };
        }
        const liabilities = body.liabilities as { officerId: string; share: number }[];
        const subjects = p.data.officerIds as string[];
        const unknown = liabilities.filter((l) => !subjects.includes(l.officerId));
        if (unknown.length) throw validationError('process.liabilityOfficer', '责任人须为被调查人员', [{ path: 'body.liabilities', message: unknown.map((u) => u.officerId).join('、') }]);
        const total = liabilities.reduce((s, l) => s + l.share, 0);
        if (Math.abs(total - 1) > 1e-9) {
          throw validationError('process.liabilityShares', '多人过错的责任份额之和须为 1（C6 按过错大小分担）', [{ path: 'body.liabilities', message: `当前合计 ${total}` }]);
        }
        const conclusion = { substantiated: true, decisionNumber: body.decisionNumber, liabilities, decidedOn: k.today, decidedBy: k.actor.name ?? k.actor.userId };
        return { event: 'decided', state: 'serving', clock: 'stop', data: { conclusion, acknowledgedBy: [], served: false, reported: false, filed: false }, detail: conclusion };
      },
    },
    serve: {
      states: ['serving'],
      who: investigators,
      whoLabel: '纪检监察或执法监督部门',
      apply: (p, body, k) => completeService(p, { served: true, servedOn: body.on }, 'served', { servedOn: body.on }, k),
    },
    acknowledge: {
      states: ['serving', 'closed'],
      who: ofAgency(subject),
      whoLabel: '被追责的执法人员本人',
      apply: (p, body, k) => {
        const acknowledgedBy = [...new Set([...((p.data.acknowledgedBy as string[]) ?? []), k.actor.officerId!])];
        return completeService(p, { acknowledgedBy }, 'acknowledged', { officerId: k.actor.officerId, on: k.today }, k);
      },
    },
    reportUpward: {
      states: ['serving'],
      who: investigators,
      whoLabel: '纪检监察或执法监督部门',
      apply: (p, body, k) => completeService(p, { reported: true, reportedTo: body.to, reportedOn: body.on }, 'reportedToHigher', { to: body.to, on: body.on }, k),
    },
    file: {
      states: ['serving'],
      who: investigators,
      whoLabel: '纪检监察或执法监督部门',
      apply: (p, body, k) =>
        completeService(p, { filed: true, filing: { on: body.on, receiptNumber: body.receiptNumber } }, 'filedWithLegalOffice', { on: body.on, receiptNumber: body.receiptNumber }, k),
    },
    requestReexamination: {
      states: ['serving', 'closed'],
      who: ofAgency(subject),
      whoLabel: '被追责的执法人员本人',
      apply: (p, body, k) => {
        if (!(p.data.conclusion as { substantiated?: boolean } | undefined)?.substantiated) throw conflict('process.nothingToReexamine', '没有可申请复查的追责决定');
        return {
          event: 'reexaminationRequested',
          state: 'reexamination',
          closed: false,
          data: { reexamination: { requestedBy: k.actor.officerId, reason: body.reason, requestedOn: k.today } },
          clock: { start: { phase: 'reexamination', label: '复查期限', ruleId: 'C5', start: k.today, period: k.rules.C5.reexaminationPeriod, escalation: k.rules.C5.escalation } },
          detail: { reason: body.reason },
        };
      },
    },
    decideReexamination: {
      states: ['reexamination'],
      who: any(investigators, ofAgency(role('leadership'))),
      whoLabel: '机关领导或纪检监察部门',
      apply: (p, body, k) => {
        const conclusion = p.data.conclusion as { liabilities: { officerId: string }[]; decisionNumber: string };
        // upheld: the finding already in the files stands; amended: the amended finding goes in as a new
        // entry; revoked: recorded here, and the recorder enters a correction of the archived entry (A6)
        const effects: Effect[] = body.result === 'amend' ? findingEntries(p, { ...conclusion, decidedOn: k.today, decidedBy: k.actor.name ?? k.actor.userId }, k, '复查变更：') : [];
        return {
          event: 'reexaminationDecided',
          state: 'closed',
          closed: true,
          clock: 'stop',
          data: { reexamination: { ...(p.data.reexamination as object), result: body.result, opinion: body.opinion, decidedOn: k.today } },
          detail: { result: body.result, opinion: body.opinion },
          effects,
        };
      },
    },
  },
};

const findingEntries = (
  p: ProcessRecord,
  c: { liabilities: { officerId: string; share?: number }[]; decisionNumber: string; decidedOn?: string; decidedBy?: string },
  k: KindContext,
  prefix = '',
): Effect[] =>
  c.liabilities.map((l) =>
    entry(l.officerId, {
      type: 'faultFinding',
      occurredOn: c.decidedOn ?? k.today,
      title: `${prefix}执法过错认定：${p.title}`,
      content: { decision: { documentNumber: c.decisionNumber, decidedOn: c.decidedOn ?? k.today, decidedBy: c.decidedBy ?? k.actor.name ?? k.actor.userId }, liabilityShare: l.share },
    }),
  );

/** The decision is served on the officers, acknowledged, reported upward and filed (C5); then it closes. */
const completeService = (p: ProcessRecord, patch: Record<string, unknown>, event: string, detail: Record<string, unknown>, k: KindContext): Transition => {
  const d = { ...p.data, ...patch };
  const c = d.conclusion as { liabilities: { officerId: string; share?: number }[]; decisionNumber: string };
  const allAcknowledged = c.liabilities.every((l) => (d.acknowledgedBy as string[]).includes(l.officerId));
  const done = p.state === 'serving' && d.served && d.reported && d.filed && allAcknowledged;
  if (!done) return { event, state: p.state, data: patch, detail };
  // A6: a conclusive finding enters the file once it has been made known to the officer (served, acknowledged)
  return { event, state: 'closed', closed: true, data: patch, detail, effects: findingEntries(p, c, k) };
};

// ---- 4. supervised and assigned case (C7) -------------------------------------------------------------

const supervisedCase: KindDef = {
  openers: ['leadership', 'supervision'],
  rules: ['C7'],
  readers: ['leadership', 'supervision'],
  open: (input, k) => {
    if ((input.dueOn as string) <= k.today) {
      throw validationError('process.dueInPast', '报告期限须晚于今天', [{ path: 'body.dueOn', message: '须晚于今天' }]);
    }
    return {
      state: 'assigned',
      unitId: input.unitId,
      assignee: { officerId: input.officerId as string },
      data: { caseNumber: input.caseNumber, instructions: input.instructions, dueOn: input.dueOn, assignedBy: k.actor.name ?? k.actor.userId },
      clock: { phase: 'report', label: '督办报告期限', ruleId: 'C7', start: k.today, setDue: { due: input.dueOn as string, setBy: k.actor.userId }, escalation: k.rules.C7.escalation },
    };
  },
  actions: {
    report: {
      states: ['assigned'],
      who: any(ofAgency(assignee), unitHead),
      whoLabel: '承办人或承办部门负责人',
      apply: (p, body, k) => {
        const onTime = k.today <= (p.clock?.due ?? (p.data.dueOn as string));
        return {
          event: 'reported',
          state: 'reported',
          closed: true,
          clock: 'stop',
          data: { report: { content: body.content, reportedOn: k.today, onTime } },
          detail: { onTime },
          effects: [
            entry(p.assignee!.officerId, {
              type: 'supervisedCase',
              occurredOn: k.today,
              title: `督办交办：${p.title}`,
              content: {
                case: { caseNumber: (p.data.caseNumber as string | undefined) ?? p.processId },
                assignedBy: String(p.data.assignedBy),
                dueOn: p.clock?.due ?? String(p.data.dueOn),
                closedOn: k.today,
                onTime,
              },
            }),
          ],
        };
      },
    },
  },
};

// ---- 5. filings (C8, C9, C10) -------------------------------------------------------------------------

const FILING_RULE: Record<FilingKind, 'C8' | 'C9' | 'C10'> = { majorPenalty: 'C8', certificateWithdrawal: 'C9', annualReport: 'C10' };
const FILING_LABEL: Record<FilingKind, string> = { majorPenalty: '重大行政处罚备案期限', certificateWithdrawal: '吊销执法证备案期限', annualReport: '年度执法报告期限' };

const filing: KindDef = {
  openers: ['legal', 'supervision', 'leadership'],
  rules: ['C8', 'C9', 'C10'],
  readers: ['leadership', 'legal', 'supervision'],
  open: (input, k) => {
    const fk = input.filingKind as FilingKind;
    const ruleId = FILING_RULE[fk];
    // C10 counts from the end of the year reported on; C8/C9 from the decision or withdrawal date (a late entry: basis.ts)
    const start = fk === 'annualReport' ? `${input.year as number}-12-31` : ((input.countFrom ?? input.basisDate) as string);
    if (start > k.today && fk !== 'annualReport') {
      throw validationError('process.basisInFuture', '决定或吊销日期不能晚于今天', [{ path: 'body.basisDate', message: '不能晚于今天' }]);
    }
    const rule = k.rules[ruleId];
    const period = 'filingPeriod' in rule ? rule.filingPeriod : rule.reportPeriodAfterYearEnd;
    return {
      state: 'pending',
      unitId: input.unitId,
      data: { filingKind: fk, reference: input.reference, basisDate: input.basisDate, year: input.year },
      clock: { phase: 'filing', label: FILING_LABEL[fk], ruleId, start, period, escalation: rule.escalation },
    };
  },
  actions: {
    file: {
      states: ['pending'],
      who: ofAgency(role('legal', 'supervision', 'leadership')),
      whoLabel: '法制、执法监督部门或机关领导',
      apply: (p, body, k) => ({
        event: 'filed',
        state: 'filed',
        closed: true,
        clock: 'stop',
        data: { filing: { on: body.on, receiptNumber: body.receiptNumber, to: body.to, onTime: String(body.on) <= (p.clock?.due ?? '') } },
        detail: { on: body.on, receiptNumber: body.receiptNumber, onTime: String(body.on) <= (p.clock?.due ?? '') },
      }),
    },
  },
};

export const KINDS: Record<ProcessKind, KindDef> = {
  'legal-review': legalReview,
  complaint,
  'fault-investigation': faultInvestigation,
  'supervised-case': supervisedCase,
  filing,
};

export const ACTION_NAMES = [...new Set(Object.values(KINDS).flatMap((k) => Object.keys(k.actions)))];
