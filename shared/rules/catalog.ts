import * as z from 'zod';
import { lazy } from '../kernel/lazy.ts';

/**
 * The rule catalogue: every rule of ../shared/RULES.md that the product parameterises, with the
 * zod schema its parameters must satisfy and the default version the product ships (taken from the
 * seeds). Agencies publish their own versions through the rules API; code never holds the values,
 * it asks the rules store (shared/rules/store.ts) for the version in force.
 */

const days = (unit: 'calendarDays' | 'workingDays' | 'months') =>
  z.object({ value: z.number().int().positive().max(3650), unit: z.literal(unit) });

export const ENTRY_CATEGORIES = ['basic', 'work', 'special', 'assessment', 'rewardPunishment'] as const;

export const RECUSAL_RELATIONS = ['ownInterest', 'spouse', 'lineal', 'collateralWithinThree', 'closeInLaw', 'other'] as const;
export const REVIEW_OUTCOMES = ['pass', 'amend', 'supplement', 'correct', 'transfer'] as const;
const text100 = () => z.string().trim().min(1).max(100);
const approverRoles = () => z.array(z.enum(['leadership', 'supervision', 'legal'])).min(1);
/**
 * The reminder ladder of every clock (C7's 催办 → 通报 applied to each deadline): remind when the
 * due date is `warnWithin` working days away (also the yellow status), chase (催办) the handler and
 * the department head once it is overdue, report (通报) to the leadership `reportAfter` working days
 * after that if it is still overdue.
 */
const escalation = () =>
  z.object({ warnWithin: days('workingDays'), reportAfter: days('workingDays') }).strict();

const buildParameterSchemas = () => ({
  /** A1 一人一档: who gets a file. 002 extends it to all staff: a per-agency setting. */
  A1: z.object({ fileForStaffWithoutQualification: z.boolean() }),
  /** A3 content categories. */
  A3: z.object({ categories: z.array(z.enum(ENTRY_CATEGORIES)).min(1) }),
  /** A5 档随人走: the file opens with the qualification, follows transfers, goes to personnel on leaving. */
  A5: z.object({
    openOnQualificationIssued: z.boolean(),
    custodianOnLeaving: z.literal('personnel'),
  }),
  /** A6 recording workflow: which entry types are conclusive documents notified before entry. */
  A6: z.object({
    conclusiveEntryTypes: z.array(z.string().min(1).max(64)).max(100),
    reviewerRole: z.literal('deptHead'),
    entererRole: z.literal('recorder'),
  }),
  /** A7 hand-over from other departments. */
  A7: z.object({ handoverDepartments: z.array(z.enum(['supervision', 'discipline', 'petition', 'political', 'legal'])).min(1) }),
  /** A8 who may read a file. */
  A8: z.object({
    officerReadsOwnFile: z.boolean(),
    departmentHeadReads: z.boolean(),
    agencyReaderRoles: z.array(z.enum(['leadership', 'political', 'discipline', 'legal', 'supervision'])),
    superiorAgenciesRead: z.boolean(),
    grantApproverRoles: z.array(z.enum(['leadership', 'political'])).min(1),
    grantMaxDuration: days('calendarDays'),
  }),
  /** C1 legal review of a major enforcement decision: period, one leader-approved extension. */
  C1: z.object({
    reviewPeriod: days('workingDays'),
    extensionMax: days('workingDays'),
    maxExtensions: z.number().int().min(0).max(5),
    extensionApproverRoles: approverRoles(),
    escalation: escalation(),
  }),
  /** C2 reviewer recusal: the relations to a party that oblige the reviewer to step aside. */
  C2: z.object({ recusalRelations: z.array(z.enum(RECUSAL_RELATIONS)).min(1) }),
  /** C3 review outcomes; which send the material back for resubmission (a new review clock). */
  C3: z.object({
    outcomes: z.array(z.enum(REVIEW_OUTCOMES)).min(1),
    resubmitOutcomes: z.array(z.enum(REVIEW_OUTCOMES)),
    collectiveBodies: z.array(text100()).min(1),
  }),
  /** C4 complaints: handling period from acceptance, one extension, telling the complainant. */
  C4: z.object({
    handlingPeriod: days('workingDays'),
    extension: days('calendarDays'),
    maxExtensions: z.number().int().min(0).max(5),
    extensionApproverRoles: approverRoles(),
    replyPeriod: days('workingDays'),
    escalation: escalation(),
  }),
  /** C5 fault investigations: period from the start, one extension, re-examination period. */
  C5: z.object({
    investigationPeriod: days('months'),
    extension: days('months'),
    maxExtensions: z.number().int().min(0).max(5),
    extensionApproverRoles: approverRoles(),
    reexaminationPeriod: days('months'),
    escalation: escalation(),
  }),
  /** C7 supervised and assigned cases: the assigner sets the due date; the ladder is the rule. */
  C7: z.object({ escalation: escalation() }),
  /** C8 major administrative penalty: thresholds (used by cases) and the filing period. */
  C8: z.object({
    individualFineFrom: z.number().nonnegative(),
    organisationFineFrom: z.number().nonnegative(),
    detentionDaysFrom: z.number().int().positive(),
    filingPeriod: days('calendarDays'),
    escalation: escalation(),
  }),
  /** C9 certificate withdrawal filed with the government legal office. */
  C9: z.object({ filingPeriod: days('calendarDays'), escalation: escalation() }),
  /** C10 annual enforcement report: due this long after the year it reports on ends. */
  C10: z.object({ reportPeriodAfterYearEnd: days('months'), escalation: escalation() }),
  /** E1 who may hold an enforcement certificate. */
  E1: z.object({
    excludedEmployment: z.array(z.enum(['contract', 'temporary', 'seconded'])),
    trainingAndExamRequired: z.boolean(),
  }),
  /** E2 annual inspection and revocation. */
  E2: z.object({
    inspectionInterval: days('months'),
    revokeAfterTemporaryWithdrawals: z.number().int().min(1).max(20),
  }),
});

type ParameterSchemas = ReturnType<typeof buildParameterSchemas>;
/** the parameter schema of each rule, built on first use (see shared/kernel/lazy.ts) */
export const ruleParameterSchemas: () => ParameterSchemas = lazy(buildParameterSchemas);
export type ParameterisedRuleId = keyof ParameterSchemas;
export type RuleParameters<R extends ParameterisedRuleId> = z.infer<ParameterSchemas[R]>;
export const RULE_IDS = ['A1', 'A3', 'A5', 'A6', 'A7', 'A8', 'C1', 'C2', 'C3', 'C4', 'C5', 'C7', 'C8', 'C9', 'C10', 'E1', 'E2'] as const satisfies readonly ParameterisedRuleId[];

export interface RuleCitation {
  /** seed file prefix, e.g. '000' */
  seed: string;
  /** the article(s) in the seed */
  article: string;
  /** the row in RULES.md */
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

type Defaults = { [R in ParameterisedRuleId]: RuleVersionRecord<R> };

/** The versions the product ships: values from the seeds, each with its citation. */
export const DEFAULT_RULES: Defaults = {
  A1: {
    ruleId: 'A1', versionId: 'A1-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '一人一档：执法人员执法档案全覆盖',
    parameters: { fileForStaffWithoutQualification: false },
    source: { seed: '000', article: '三(一)', ref: 'RULES.md A1' }, publishedAt: SHIPPED, publishedBy: 'system',
    note: '002 东丽区检察院将范围扩至全体干警：机关可发布自己的版本',
  },
  A3: {
    ruleId: 'A3', versionId: 'A3-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '执法档案内容分类',
    parameters: { categories: [...ENTRY_CATEGORIES] },
    source: { seed: '000', article: '三(二)', ref: 'RULES.md A3' }, publishedAt: SHIPPED, publishedBy: 'system',
  },
  A5: {
    ruleId: 'A5', versionId: 'A5-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '建档时机与档随人走',
    parameters: { openOnQualificationIssued: true, custodianOnLeaving: 'personnel' },
    source: { seed: '000', article: '四(五)', ref: 'RULES.md A5' }, publishedAt: SHIPPED, publishedBy: 'system',
  },
  A6: {
    ruleId: 'A6', versionId: 'A6-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '档案记录流程：起草、审核、告知、录入',
    parameters: {
      conclusiveEntryTypes: [
        'investigationResult', 'caseReviewOpinion', 'wrongfulCaseFinding', 'faultFinding',
        'accountability', 'sanction', 'commendation', 'merit', 'stateCompensationRecovery', 'assessmentResult',
      ],
      reviewerRole: 'deptHead',
      entererRole: 'recorder',
    },
    source: { seed: '000', article: '四(六)', ref: 'RULES.md A6' }, publishedAt: SHIPPED, publishedBy: 'system',
  },
  A7: {
    ruleId: 'A7', versionId: 'A7-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '其他部门移交材料',
    parameters: { handoverDepartments: ['supervision', 'discipline', 'petition'] },
    source: { seed: '000', article: '四(四)', ref: 'RULES.md A7' }, publishedAt: SHIPPED, publishedBy: 'system',
  },
  A8: {
    ruleId: 'A8', versionId: 'A8-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '执法档案查阅范围',
    parameters: {
      officerReadsOwnFile: true,
      departmentHeadReads: true,
      agencyReaderRoles: ['leadership', 'political', 'discipline', 'legal', 'supervision'],
      superiorAgenciesRead: true,
      grantApproverRoles: ['leadership', 'political'],
      grantMaxDuration: { value: 30, unit: 'calendarDays' },
    },
    source: { seed: '000', article: '四(七)', ref: 'RULES.md A8' }, publishedAt: SHIPPED, publishedBy: 'system',
    note: '“其他人员查阅须经批准”：批准期限为产品默认值（30日），机关可调整',
  },
  C1: {
    ruleId: 'C1', versionId: 'C1-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '重大执法决定法制审核期限',
    parameters: {
      reviewPeriod: { value: 7, unit: 'workingDays' }, extensionMax: { value: 3, unit: 'workingDays' }, maxExtensions: 1,
      extensionApproverRoles: ['leadership'], escalation: DEFAULT_ESCALATION,
    },
    source: { seed: '003', article: '法制审核 §2,4', ref: 'RULES.md C1' }, publishedAt: SHIPPED, publishedBy: 'system',
    note: '提醒、催办、通报的节点（escalation）为产品默认值，法规未规定，机关可调整',
  },
  C2: {
    ruleId: 'C2', versionId: 'C2-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '法制审核人员回避',
    parameters: { recusalRelations: [...RECUSAL_RELATIONS] },
    source: { seed: '003', article: '法制审核 §5', ref: 'RULES.md C2' }, publishedAt: SHIPPED, publishedBy: 'system',
  },
  C3: {
    ruleId: 'C3', versionId: 'C3-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '法制审核意见与重新送审',
    parameters: { outcomes: [...REVIEW_OUTCOMES], resubmitOutcomes: ['amend', 'supplement'], collectiveBodies: ['局长办公会', '党组会'] },
    source: { seed: '003', article: '法制审核 §6–9', ref: 'RULES.md C3' }, publishedAt: SHIPPED, publishedBy: 'system',
  },
  C4: {
    ruleId: 'C4', versionId: 'C4-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '投诉举报办理期限',
    parameters: {
      handlingPeriod: { value: 15, unit: 'workingDays' }, extension: { value: 15, unit: 'calendarDays' }, maxExtensions: 1,
      extensionApproverRoles: ['leadership'], replyPeriod: { value: 5, unit: 'workingDays' }, escalation: DEFAULT_ESCALATION,
    },
    source: { seed: '003', article: '投诉举报 §3–10', ref: 'RULES.md C4' }, publishedAt: SHIPPED, publishedBy: 'system',
    note: '“延长半个月”按 15 日计（RULES.md 计算约定）',
  },
  C5: {
    ruleId: 'C5', versionId: 'C5-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '执法过错责任追究调查与复查期限',
    parameters: {
      investigationPeriod: { value: 2, unit: 'months' }, extension: { value: 1, unit: 'months' }, maxExtensions: 1,
      extensionApproverRoles: ['leadership'], reexaminationPeriod: { value: 1, unit: 'months' }, escalation: DEFAULT_ESCALATION,
    },
    source: { seed: '003', article: '过错追究 §22–27', ref: 'RULES.md C5' }, publishedAt: SHIPPED, publishedBy: 'system',
    note: '延期由党组批准：以机关领导角色代表党组审批',
  },
  C7: {
    ruleId: 'C7', versionId: 'C7-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '督办交办案件催办与通报',
    parameters: { escalation: DEFAULT_ESCALATION },
    source: { seed: '001', article: '§14', ref: 'RULES.md C7' }, publishedAt: SHIPPED, publishedBy: 'system',
    note: '报告期限由交办人确定；到期前提醒与催办后通报的间隔为产品默认值',
  },
  C8: {
    ruleId: 'C8', versionId: 'C8-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '重大行政处罚标准与备案期限',
    parameters: {
      individualFineFrom: 4000, organisationFineFrom: 15000, detentionDaysFrom: 10,
      filingPeriod: { value: 30, unit: 'calendarDays' }, escalation: DEFAULT_ESCALATION,
    },
    source: { seed: '003', article: '备案审查 §3–9', ref: 'RULES.md C8' }, publishedAt: SHIPPED, publishedBy: 'system',
  },
  C9: {
    ruleId: 'C9', versionId: 'C9-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '吊销执法证备案期限',
    parameters: { filingPeriod: { value: 10, unit: 'calendarDays' }, escalation: DEFAULT_ESCALATION },
    source: { seed: '003', article: '证件 §8', ref: 'RULES.md C9' }, publishedAt: SHIPPED, publishedBy: 'system',
  },
  C10: {
    ruleId: 'C10', versionId: 'C10-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '年度行政执法报告期限',
    parameters: { reportPeriodAfterYearEnd: { value: 3, unit: 'months' }, escalation: DEFAULT_ESCALATION },
    source: { seed: '003', article: '年度报告 §2,5', ref: 'RULES.md C10' }, publishedAt: SHIPPED, publishedBy: 'system',
    note: '“次年第一季度内报告”：自报告年度末起 3 个月',
  },
  E1: {
    ruleId: 'E1', versionId: 'E1-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '持证执法与发证条件',
    parameters: { excludedEmployment: ['contract', 'temporary', 'seconded'], trainingAndExamRequired: true },
    source: { seed: '003', article: '责任制 §25,26；证件 §3,4', ref: 'RULES.md E1' }, publishedAt: SHIPPED, publishedBy: 'system',
  },
  E2: {
    ruleId: 'E2', versionId: 'E2-default-1', jurisdiction: DEFAULT_JURISDICTION, effectiveFrom: '2000-01-01',
    title: '执法证年审与吊销',
    parameters: { inspectionInterval: { value: 12, unit: 'months' }, revokeAfterTemporaryWithdrawals: 3 },
    source: { seed: '003', article: '证件 §6,7', ref: 'RULES.md E2' }, publishedAt: SHIPPED, publishedBy: 'system',
  },
};

export const isParameterisedRuleId = (id: string): id is ParameterisedRuleId => (RULE_IDS as readonly string[]).includes(id);
