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
export const RULE_IDS = ['A1', 'A3', 'A5', 'A6', 'A7', 'A8', 'E1', 'E2'] as const satisfies readonly ParameterisedRuleId[];

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
