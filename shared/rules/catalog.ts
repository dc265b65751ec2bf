import * as z from 'zod/mini';
import { lazy } from '../kernel/lazy.ts';

/**
 * The rule catalogue: every rule of docs/rules.md that the product parameterises, with the
 * zod schema its parameters must satisfy and the default version the product ships (taken from the
 * seeds). Agencies publish their own versions through the rules API; code never holds the values,
 * it asks the rules store (shared/rules/store.ts) for the version in force.
 */

const days = (unit: 'calendarDays' | 'workingDays' | 'months') => z.object({ value: z.number().check(z.int(), z.positive(), z.lte(3650)), unit: z.literal(unit) });

export const ENTRY_CATEGORIES = ['basic', 'work', 'special', 'assessment', 'rewardPunishment'] as const;

export const RECUSAL_RELATIONS = ['ownInterest', 'spouse', 'lineal', 'collateralWithinThree', 'closeInLaw', 'other'] as const;
export const REVIEW_OUTCOMES = ['pass', 'amend', 'supplement', 'correct', 'transfer'] as const;
const text100 = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
const approverRoles = () => z.array(z.enum(['leadership', 'supervision', 'legal'])).check(z.minLength(1));
/**
 * The reminder ladder of every clock (C7's 催办 → 通报 applied to each deadline): remind when the
 * due date is `warnWithin` working days away (also the yellow status), chase (催办) the handler and
 * the department head once it is overdue, report (通报) to the leadership `reportAfter` working days
 * after that if it is still overdue.
 */
const escalation = () => z.strictObject({ warnWithin: days('workingDays'), reportAfter: days('workingDays') });
/**
 * Late entry of a process whose period counts from an event (C1 receipt, C4 acceptance, C5 start,
 * C8 decision, C9 withdrawal): the clock counts from the event date given on opening; an event date
 * older than `backdatingLimit` counts only once one of `backdatingApproverRoles` approves it.
 */
const backdating = () => ({ backdatingLimit: days('calendarDays'), backdatingApproverRoles: approverRoles() });
/** E3 the steps of the responsibility ladder (003 责任制 §5, §29), nearest first */
export const LADDER_STEPS = ['deptHead', 'leaderInCharge', 'director'] as const;

// ---- D: full-process audiovisual records (D2, D3, D4, D6, D8; docs/rules.md) — vocabulary ----------
/** D3 kinds of recording (003 全过程记录 §6 activities, §11 retention groups). */
export const RECORDING_KINDS = ['patrol', 'evidence-general-procedure', 'licensing', 'levy', 'confirmation', 'benefit', 'inspection', 'questioning', 'service', 'hearing', 'other'] as const;
/** D3 the kinds of case whose file a linked recording follows: the vocabulary of shared/cases/model.ts CASE_KINDS. */
export const CASE_FILE_KINDS = ['penalty', 'licence', 'confirmation', 'levy', 'inspection', 'compulsion', 'benefit', 'other'] as const;
/**
 * D4 reasons for long-term preservation (003 全过程记录 §12): (一) dispute, complaint, petition;
 * (二) evasion, refusal, obstruction, insult or assault of officers; (三) mass or sudden incident;
 * (四) other important situation (a manual mark); plus review or litigation (D5, §13–14).
 */
export const HOLD_REASONS = [
  'dispute',
  'complaint',
  'petition',
  'evasion',
  'refusal',
  'obstruction',
  'insult',
  'assault',
  'massIncident',
  'suddenIncident',
  'important',
  'reviewOrLitigation',
] as const;
/**
 * A retention period (D3, D4): months or years counted as 月 in docs/rules.md §3 (the same date N months
 * later, or that month's last day; a year is 12 months), or permanent (永久).
 */
const retentionPeriod = () =>
  z.discriminatedUnion('unit', [
    z.strictObject({ unit: z.literal('months'), value: z.number().check(z.int(), z.positive(), z.lte(1200)) }),
    z.strictObject({ unit: z.literal('years'), value: z.number().check(z.int(), z.positive(), z.lte(100)) }),
    z.strictObject({ unit: z.literal('permanent') }),
  ]);
// ---- end of D vocabulary -------------------------------------------------------------------

const buildParameterSchemas = () => ({
  /** A1 一人一档: who gets a file. 002 extends it to all staff: a per-agency setting. */
  A1: z.object({ fileForStaffWithoutQualification: z.boolean() }),
  /** A3 content categories. */
  A3: z.object({ categories: z.array(z.enum(ENTRY_CATEGORIES)).check(z.minLength(1)) }),
  /** A5 档随人走: the file opens with the qualification, follows transfers, goes to personnel on leaving. */
  A5: z.object({
    openOnQualificationIssued: z.boolean(),
    custodianOnLeaving: z.literal('personnel'),
  }),
  /** A6 recording workflow: which entry types are conclusive documents notified before entry. */
  A6: z.object({
    conclusiveEntryTypes: z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(100)),
    reviewerRole: z.literal('deptHead'),
    entererRole: z.literal('recorder'),
  }),
  /** A7 hand-over from other departments. */
  A7: z.object({ handoverDepartments: z.array(z.enum(['supervision', 'discipline', 'petition', 'political', 'legal'])).check(z.minLength(1)) }),
  /** A8 who may read a file. */
  A8: z.object({
    officerReadsOwnFile: z.boolean(),
    departmentHeadReads: z.boolean(),
    agencyReaderRoles: z.array(z.enum(['leadership', 'political', 'discipline', 'legal', 'supervision'])),
    superiorAgenciesRead: z.boolean(),
    grantApproverRoles: z.array(z.enum(['leadership', 'political'])).check(z.minLength(1)),
    grantMaxDuration: days('calendarDays'),
  }),
  /** C1 legal review of a major enforcement decision: period, one leader-approved extension. */
  C1: z.object({
    reviewPeriod: days('workingDays'),
    extensionMax: days('workingDays'),
    maxExtensions: z.number().check(z.int(), z.gte(0), z.lte(5)),
    extensionApproverRoles: approverRoles(),
    escalation: escalation(),
    ...backdating(),
  }),
  /** C2 reviewer recusal: the relations to a party that oblige the reviewer to step aside. */
  C2: z.object({ recusalRelations: z.array(z.enum(RECUSAL_RELATIONS)).check(z.minLength(1)) }),
  /** C3 review outcomes; which send the material back for resubmission (a new review clock). */
  C3: z.object({
    outcomes: z.array(z.enum(REVIEW_OUTCOMES)).check(z.minLength(1)),
    resubmitOutcomes: z.array(z.enum(REVIEW_OUTCOMES)),
    collectiveBodies: z.array(text100()).check(z.minLength(1)),
  }),
  /** C4 complaints: handling period from acceptance, one extension, telling the complainant. */
  C4: z.object({
    handlingPeriod: days('workingDays'),
    extension: days('calendarDays'),
    maxExtensions: z.number().check(z.int(), z.gte(0), z.lte(5)),
    extensionApproverRoles: approverRoles(),
    replyPeriod: days('workingDays'),
    escalation: escalation(),
    ...backdating(),
  }),
  /** C5 fault investigations: period from the start, one extension, re-examination period. */
  C5: z.object({
    investigationPeriod: days('months'),
    extension: days('months'),
    maxExtensions: z.number().check(z.int(), z.gte(0), z.lte(5)),
    extensionApproverRoles: approverRoles(),
    reexaminationPeriod: days('months'),
    escalation: escalation(),
    ...backdating(),
  }),
  /** C7 supervised and assigned cases: the assigner sets the due date; the ladder is the rule. */
  C7: z.object({ escalation: escalation() }),
  /** C8 major administrative penalty: thresholds (used by cases) and the filing period. */
  C8: z.object({
    individualFineFrom: z.number().check(z.nonnegative()),
    organisationFineFrom: z.number().check(z.nonnegative()),
    detentionDaysFrom: z.number().check(z.int(), z.positive()),
    filingPeriod: days('calendarDays'),
    escalation: escalation(),
    ...backdating(),
  }),
  /** C9 certificate withdrawal filed with the government legal office. */
  C9: z.object({ filingPeriod: days('calendarDays'), escalation: escalation(), ...backdating() }),
  /** C10 annual enforcement report: due this long after the year it reports on ends. */
  C10: z.object({ reportPeriodAfterYearEnd: days('months'), escalation: escalation() }),
  // ---- D: full-process audiovisual records (issue 4) ----------------------------------------
  /** D2 recordings stored at the end of the working day of capture: used to flag late uploads. */
  D2: z.object({
    /** the hour (Asia/Shanghai) that ends the working day; a capture at or after it counts to the next day */
    workdayEndHour: z.number().check(z.int(), z.gte(1), z.lte(24)),
    /** a capture on a non-working day is due at the end of the next working day */
    countByWorkingDay: z.boolean(),
    /** how long a presigned upload URL lives: as long as one upload needs, minutes, not hours (issue 8) */
    uploadUrlMinutes: z.number().check(z.int(), z.gte(1), z.lte(120)),
    /** how far a declared capture time may lie in the future (device clocks drift); beyond it the declaration is refused */
    captureClockSkewMinutes: z.number().check(z.int(), z.gte(0), z.lte(60)),
    /** a capture older than its storage due time plus this window is accepted only as late, with a written reason, and the department head is told */
    lateWindow: days('calendarDays'),
  }),
  /** D3 retention: a floor per recording kind from capture; case-bound kinds follow the case file from its close. */
  D3: z.object({
    kinds: z.record(z.enum(RECORDING_KINDS), z.strictObject({ floor: retentionPeriod(), caseBound: z.boolean() })),
    caseFiles: z.record(z.enum(CASE_FILE_KINDS), retentionPeriod()),
    /** a 重大行政处罚 (C8) case file */
    majorPenaltyCaseFile: retentionPeriod(),
    /** 'yearAfterClose': counted from 1 January after the close (archives are filed by year) */
    caseFileCountFrom: z.enum(['caseClose', 'yearAfterClose']),
  }),
  /** D4 long-term preservation: the reasons that trigger it, how long it lasts from the hold, who releases a hold. */
  D4: z.object({
    holdReasons: z.array(z.enum(HOLD_REASONS)).check(z.minLength(1)),
    longTerm: retentionPeriod(),
    releaseApproverRoles: approverRoles(),
  }),
  /** D6 viewing only with approval: the longest grant, who approves, the presigned URL lifetime. */
  D6: z.object({
    grantMaxDuration: days('calendarDays'),
    approverRoles: z.array(z.enum(['leadership', 'supervision', 'legal', 'deptHead'])).check(z.minLength(1)),
    presignedUrlSeconds: z.number().check(z.int(), z.gte(30), z.lte(3600)),
  }),
  /** D8 spot checks and playback reviews: the daily sample and the minimum per officer per period. */
  D8: z.object({
    dailySample: z.discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('rate'), rate: z.number().check(z.gt(0), z.lte(1)), atLeast: z.number().check(z.int(), z.gte(0), z.lte(10_000)) }),
      z.strictObject({ mode: z.literal('count'), count: z.number().check(z.int(), z.positive(), z.lte(10_000)) }),
    ]),
    perOfficer: z.strictObject({ minimum: z.number().check(z.int(), z.gte(0), z.lte(100)), period: days('months') }),
    countsInAssessment: z.boolean(),
  }),
  // ---- end of D -----------------------------------------------------------------------------
  /** E1 who may hold an enforcement certificate. */
  E1: z.object({
    excludedEmployment: z.array(z.enum(['contract', 'temporary', 'seconded'])),
    trainingAndExamRequired: z.boolean(),
  }),
  /** E2 annual inspection and revocation. */
  E2: z.object({
    inspectionInterval: days('months'),
    revokeAfterTemporaryWithdrawals: z.number().check(z.int(), z.gte(1), z.lte(20)),
  }),
  /**
   * E3 responsibility ladder: where a reminder, 催办 or 通报 goes when the role it is meant for has
   * nobody (the steps tried in order), and the rungs the process's owner (its opener, C12 首问负责) hears.
   */
  E3: z.object({
    ladder: z.array(z.enum(LADDER_STEPS)).check(z.minLength(1), z.maxLength(LADDER_STEPS.length)),
    ownerHears: z.array(z.enum(['remind', 'chase', 'report'])).check(z.maxLength(3)),
  }),
});

type ParameterSchemas = ReturnType<typeof buildParameterSchemas>;
/** the parameter schema of each rule, built on first use (see shared/kernel/lazy.ts) */
export const ruleParameterSchemas: () => ParameterSchemas = /* @__PURE__ */ lazy(buildParameterSchemas);
export type ParameterisedRuleId = keyof ParameterSchemas;
export type RuleParameters<R extends ParameterisedRuleId> = z.infer<ParameterSchemas[R]>;
export const RULE_IDS = [
  'A1',
  'A3',
  'A5',
  'A6',
  'A7',
  'A8',
  'C1',
  'C2',
  'C3',
  'C4',
  'C5',
  'C7',
  'C8',
  'C9',
  'C10',
  'D2',
  'D3',
  'D4',
  'D6',
  'D8',
  'E1',
  'E2',
  'E3',
] as const satisfies readonly ParameterisedRuleId[];

export interface RuleCitation {
  /** seed file prefix, e.g. '000' */
  seed: string;
  /** the article(s) in the seed */
  article: string;
  /** the rule's row in docs/rules.md */
  ref: string;
}

export interface RuleVersionRecord<R extends ParameterisedRuleId = ParameterisedRuleId> {
  ruleId: R;
  versionId: string;
  /** 'default' for the product's shipped version, otherwise an agency id */
  jurisdiction: string;
  /** YYYY-MM-DD, inclusive */
  effectiveFrom: string;
  /** YYYY-MM-DD, exclusive; absent = open-ended */
  effectiveTo?: string | undefined;
  title: string;
  parameters: RuleParameters<R>;
  source: RuleCitation;
  publishedAt: string;
  publishedBy: string;
  /** why an agency departs from the default */
  note?: string | undefined;
}

export const DEFAULT_JURISDICTION = 'default';
const SHIPPED = '2026-01-01T00:00:00.000+08:00';
/** product default of the reminder ladder (no regulation sets it): remind 2 working days ahead, 通报 3 working days after 催办 */
const DEFAULT_ESCALATION = { warnWithin: { value: 2, unit: 'workingDays' }, reportAfter: { value: 3, unit: 'workingDays' } } as const;
/** product default of late entry (no regulation sets it): an event date up to 30 days back counts at once, older with a leader's approval */
const DEFAULT_BACKDATING = { backdatingLimit: { value: 30, unit: 'calendarDays' as const }, backdatingApproverRoles: ['leadership' as const] };
const BACKDATING_NOTE = '补录（事件日期早于录入日期）超过 30 日须经机关领导批准，为产品默认值，法规未规定，机关可调整';

type Defaults = { [R in ParameterisedRuleId]: RuleVersionRecord<R> };

/** The versions the product ships: values from the seeds, each with its citation. */
export const DEFAULT_RULES: Defaults = {
  A1: {
    ruleId: 'A1',
    versionId: 'A1-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '一人一档：执法人员执法档案全覆盖',
    parameters: { fileForStaffWithoutQualification: false },
    source: { seed: '000', article: '三(一)', ref: 'docs/rules.md A1' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: '002 东丽区检察院将范围扩至全体干警：机关可发布自己的版本',
  },
  A3: {
    ruleId: 'A3',
    versionId: 'A3-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '执法档案内容分类',
    parameters: { categories: [...ENTRY_CATEGORIES] },
    source: { seed: '000', article: '三(二)', ref: 'docs/rules.md A3' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
  },
  A5: {
    ruleId: 'A5',
    versionId: 'A5-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '建档时机与档随人走',
    parameters: { openOnQualificationIssued: true, custodianOnLeaving: 'personnel' },
    source: { seed: '000', article: '四(五)', ref: 'docs/rules.md A5' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
  },
  A6: {
    ruleId: 'A6',
    versionId: 'A6-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '档案记录流程：起草、审核、告知、录入',
    parameters: {
      conclusiveEntryTypes: [
        'investigationResult',
        'caseReviewOpinion',
        'wrongfulCaseFinding',
        'faultFinding',
        'accountability',
        'sanction',
        'commendation',
        'merit',
        'stateCompensationRecovery',
        'assessmentResult',
      ],
      reviewerRole: 'deptHead',
      entererRole: 'recorder',
    },
    source: { seed: '000', article: '四(六)', ref: 'docs/rules.md A6' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
  },
  A7: {
    ruleId: 'A7',
    versionId: 'A7-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '其他部门移交材料',
    parameters: { handoverDepartments: ['supervision', 'discipline', 'petition'] },
    source: { seed: '000', article: '四(四)', ref: 'docs/rules.md A7' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
  },
  A8: {
    ruleId: 'A8',
    versionId: 'A8-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '执法档案查阅范围',
    parameters: {
      officerReadsOwnFile: true,
      departmentHeadReads: true,
      agencyReaderRoles: ['leadership', 'political', 'discipline', 'legal', 'supervision'],
      superiorAgenciesRead: true,
      grantApproverRoles: ['leadership', 'political'],
      grantMaxDuration: { value: 30, unit: 'calendarDays' },
    },
    source: { seed: '000', article: '四(七)', ref: 'docs/rules.md A8' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: '“其他人员查阅须经批准”：批准期限为产品默认值（30日），机关可调整',
  },
  C1: {
    ruleId: 'C1',
    versionId: 'C1-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '重大执法决定法制审核期限',
    parameters: {
      reviewPeriod: { value: 7, unit: 'workingDays' },
      extensionMax: { value: 3, unit: 'workingDays' },
      maxExtensions: 1,
      extensionApproverRoles: ['leadership'],
      escalation: DEFAULT_ESCALATION,
      ...DEFAULT_BACKDATING,
    },
    source: { seed: '003', article: '法制审核 §2,4', ref: 'docs/rules.md C1' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: `提醒、催办、通报的节点（escalation）为产品默认值，法规未规定，机关可调整；期限自收到材料之日起算，${BACKDATING_NOTE}`,
  },
  C2: {
    ruleId: 'C2',
    versionId: 'C2-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '法制审核人员回避',
    parameters: { recusalRelations: [...RECUSAL_RELATIONS] },
    source: { seed: '003', article: '法制审核 §5', ref: 'docs/rules.md C2' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
  },
  C3: {
    ruleId: 'C3',
    versionId: 'C3-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '法制审核意见与重新送审',
    parameters: { outcomes: [...REVIEW_OUTCOMES], resubmitOutcomes: ['amend', 'supplement'], collectiveBodies: ['局长办公会', '党组会'] },
    source: { seed: '003', article: '法制审核 §6–9', ref: 'docs/rules.md C3' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
  },
  C4: {
    ruleId: 'C4',
    versionId: 'C4-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '投诉举报办理期限',
    parameters: {
      handlingPeriod: { value: 15, unit: 'workingDays' },
      extension: { value: 15, unit: 'calendarDays' },
      maxExtensions: 1,
      extensionApproverRoles: ['leadership'],
      replyPeriod: { value: 5, unit: 'workingDays' },
      escalation: DEFAULT_ESCALATION,
      ...DEFAULT_BACKDATING,
    },
    source: { seed: '003', article: '投诉举报 §3–10', ref: 'docs/rules.md C4' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: `“延长半个月”按 15 日计（docs/rules.md 计算约定）；办理期限自受理（登记收到）之日起算（第七条（一）、（五）），不因批示、录入迟于受理而后移；${BACKDATING_NOTE}`,
  },
  C5: {
    ruleId: 'C5',
    versionId: 'C5-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '执法过错责任追究调查与复查期限',
    parameters: {
      investigationPeriod: { value: 2, unit: 'months' },
      extension: { value: 1, unit: 'months' },
      maxExtensions: 1,
      extensionApproverRoles: ['leadership'],
      reexaminationPeriod: { value: 1, unit: 'months' },
      escalation: DEFAULT_ESCALATION,
      ...DEFAULT_BACKDATING,
    },
    source: { seed: '003', article: '过错追究 §22–27', ref: 'docs/rules.md C5' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: `延期由党组批准：以机关领导角色代表党组审批；调查期限自调查开始之日起算，${BACKDATING_NOTE}`,
  },
  C7: {
    ruleId: 'C7',
    versionId: 'C7-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '督办交办案件催办与通报',
    parameters: { escalation: DEFAULT_ESCALATION },
    source: { seed: '001', article: '§14', ref: 'docs/rules.md C7' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: '报告期限由交办人确定；到期前提醒与催办后通报的间隔为产品默认值',
  },
  C8: {
    ruleId: 'C8',
    versionId: 'C8-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '重大行政处罚标准与备案期限',
    parameters: {
      individualFineFrom: 4000,
      organisationFineFrom: 15000,
      detentionDaysFrom: 10,
      filingPeriod: { value: 30, unit: 'calendarDays' },
      escalation: DEFAULT_ESCALATION,
      ...DEFAULT_BACKDATING,
    },
    source: { seed: '003', article: '备案审查 §3–9', ref: 'docs/rules.md C8' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: `备案期限自处罚决定之日起算；${BACKDATING_NOTE}`,
  },
  C9: {
    ruleId: 'C9',
    versionId: 'C9-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '吊销执法证备案期限',
    parameters: { filingPeriod: { value: 10, unit: 'calendarDays' }, escalation: DEFAULT_ESCALATION, ...DEFAULT_BACKDATING },
    source: { seed: '003', article: '证件 §8', ref: 'docs/rules.md C9' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: `备案期限自吊销之日起算；${BACKDATING_NOTE}`,
  },
  C10: {
    ruleId: 'C10',
    versionId: 'C10-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '年度行政执法报告期限',
    parameters: { reportPeriodAfterYearEnd: { value: 3, unit: 'months' }, escalation: DEFAULT_ESCALATION },
    source: { seed: '003', article: '年度报告 §2,5', ref: 'docs/rules.md C10' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: '“次年第一季度内报告”：自报告年度末起 3 个月',
  },
  // ---- D: full-process audiovisual records (issue 4) ----------------------------------------
  D2: {
    ruleId: 'D2',
    versionId: 'D2-default-2',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '声像资料当日存储',
    parameters: { workdayEndHour: 18, countByWorkingDay: true, uploadUrlMinutes: 30, captureClockSkewMinutes: 5, lateWindow: { value: 7, unit: 'calendarDays' } },
    source: { seed: '003', article: '全过程记录 §10', ref: 'docs/rules.md D2' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note:
      '“每天执法工作结束后及时存储”：以18时为下班时间（产品默认值，法规未规定）；18时以后或非工作日采集的，至下一个工作日18时前存储；逾时记为迟延存储。' +
      '第2版（产品默认值，法规未规定）：上传地址有效30分钟（16 MiB 分片在低速现场网络上的传输时间，逾期可重新取得）；采集时间晚于当前时间超过5分钟的不予登记（设备时钟误差）；' +
      '采集时间早于应存储时间7日以上的，须写明迟延理由方可登记，并告知部门负责人',
  },
  D3: {
    ruleId: 'D3',
    versionId: 'D3-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '声像资料保存期限',
    parameters: {
      kinds: {
        patrol: { floor: { unit: 'months', value: 6 }, caseBound: false },
        'evidence-general-procedure': { floor: { unit: 'months', value: 6 }, caseBound: true },
        licensing: { floor: { unit: 'months', value: 6 }, caseBound: true },
        levy: { floor: { unit: 'months', value: 6 }, caseBound: true },
        confirmation: { floor: { unit: 'months', value: 6 }, caseBound: true },
        benefit: { floor: { unit: 'months', value: 6 }, caseBound: true },
        inspection: { floor: { unit: 'months', value: 6 }, caseBound: true },
        questioning: { floor: { unit: 'months', value: 6 }, caseBound: true },
        service: { floor: { unit: 'months', value: 6 }, caseBound: true },
        hearing: { floor: { unit: 'months', value: 6 }, caseBound: true },
        other: { floor: { unit: 'years', value: 10 }, caseBound: false },
      },
      caseFiles: {
        penalty: { unit: 'years', value: 30 },
        licence: { unit: 'years', value: 30 },
        confirmation: { unit: 'years', value: 30 },
        levy: { unit: 'years', value: 30 },
        inspection: { unit: 'years', value: 10 },
        compulsion: { unit: 'years', value: 30 },
        benefit: { unit: 'years', value: 30 },
        other: { unit: 'years', value: 30 },
      },
      majorPenaltyCaseFile: { unit: 'permanent' },
      caseFileCountFrom: 'yearAfterClose',
    },
    source: { seed: '003', article: '全过程记录 §6,11', ref: 'docs/rules.md D3' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note:
      '日常巡查不少于6个月（§11第2款）；一般程序处罚中作为证据的、许可、征收、确认、给付、检查的声像资料与案卷保存期限相同（§11第3、4款），' +
      '询问、送达、听证属案件办理环节（§6），比照执行；未关联案件前到期日待定。案卷保管期限按《机关文件材料归档范围和文书档案保管期限规定》' +
      '（国家档案局令第8号）永久、定期30年、定期10年三档取默认值：一般程序处罚、许可、确认、征收、给付、强制案卷定期30年（主要职能业务，' +
      '长期查考价值；征收、给付涉及款项，会计凭证亦保管30年；长于行政诉讼法第46条不动产案件20年的最长起诉期限）；重大行政处罚（C8）案卷永久；' +
      '行政检查案卷定期10年（一般查考价值，发现违法的另立处罚案卷）；其他案卷从严取30年。期限自结案次年1月1日起算（档案按年度归档；' +
      '会计档案管理办法第14条亦自会计年度终了后第一天起算）。未分类资料取定期10年（长于行政诉讼法第46条其他案件5年的最长起诉期限）。' +
      '各值均可由机关发布自己的版本调整',
  },
  D4: {
    ruleId: 'D4',
    versionId: 'D4-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '声像资料长期保存情形',
    parameters: { holdReasons: [...HOLD_REASONS], longTerm: { unit: 'years', value: 30 }, releaseApproverRoles: ['leadership'] },
    source: { seed: '003', article: '全过程记录 §12', ref: 'docs/rules.md D4' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note:
      '“长期保存”法规未给年限：默认自保全之日起定期30年——国家档案局令第8号以永久、定期30年、定期10年取代原永久、长期（16至50年）、短期三档，' +
      '“长期”取其中的定期30年；保全未解除期间一律冻结删除，不论到期日。复议、诉讼举证（§13、14，D5）同样触发保全。解除保全由机关领导批准（产品默认值）',
  },
  D6: {
    ruleId: 'D6',
    versionId: 'D6-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '声像资料查阅审批',
    parameters: { grantMaxDuration: { value: 7, unit: 'calendarDays' }, approverRoles: ['leadership', 'supervision'], presignedUrlSeconds: 300 },
    source: { seed: '003', article: '全过程记录 §15', ref: 'docs/rules.md D6' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: '“未经批准，不得查阅”：每次查阅须先批准；批准期限（7日）、审批角色（机关领导、执法监督部门）、播放链接有效期（300秒）为产品默认值，法规未规定',
  },
  D8: {
    ruleId: 'D8',
    versionId: 'D8-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '声像资料抽检与回放检查',
    parameters: {
      dailySample: { mode: 'rate', rate: 0.02, atLeast: 5 },
      perOfficer: { minimum: 1, period: { value: 1, unit: 'months' } },
      countsInAssessment: true,
    },
    source: { seed: '003', article: '全过程记录 §19,20', ref: 'docs/rules.md D8' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: '“定期抽检、回放检查并建立检查台帐，纳入个人考核”：抽检比例（每日2%，至少5条）与每名执法人员每月至少1条为产品默认值，法规未规定',
  },
  // ---- end of D -----------------------------------------------------------------------------
  E1: {
    ruleId: 'E1',
    versionId: 'E1-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '持证执法与发证条件',
    parameters: { excludedEmployment: ['contract', 'temporary', 'seconded'], trainingAndExamRequired: true },
    source: { seed: '003', article: '责任制 §25,26；证件 §3,4', ref: 'docs/rules.md E1' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
  },
  E2: {
    ruleId: 'E2',
    versionId: 'E2-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '执法证年审与吊销',
    parameters: { inspectionInterval: { value: 12, unit: 'months' }, revokeAfterTemporaryWithdrawals: 3 },
    source: { seed: '003', article: '证件 §6,7', ref: 'docs/rules.md E2' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
  },
  E3: {
    ruleId: 'E3',
    versionId: 'E3-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '行政执法责任制：责任人序列与提醒送达',
    parameters: { ladder: [...LADDER_STEPS], ownerHears: ['remind', 'chase', 'report'] },
    source: { seed: '003', article: '《行政执法责任制暂行办法》第五条、第二十九条（责任制 §5,29）', ref: 'docs/rules.md E3' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note:
      '第五条：局长为第一责任人，分管领导为第二责任人，科室负责人为直接责任人；第二十九条：首问负责，科员接收整理、副科长初审、科长报分管领导。' +
      '提醒、催办、通报应送达的角色无人担任时，依次送达部门负责人、分管领导、局长；流程发起人（首问负责人）获知各级提醒（产品默认值，机关可调整）',
  },
};

export const isParameterisedRuleId = (id: string): id is ParameterisedRuleId => (RULE_IDS as readonly string[]).includes(id);
