import * as z from 'zod/mini';
import { lazy } from '../kernel/lazy.ts';
/**
 * The vocabulary of the rules and the zod schema each rule's parameters must satisfy, with the shape
 * of a rule version (shared/rules/catalog.ts assembles the shipped versions).
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
/** when the shipped versions were published */
export const SHIPPED = '2026-01-01T00:00:00.000+08:00';

/** one version of every parameterised rule */
export type DefaultRules = { [R in ParameterisedRuleId]: RuleVersionRecord<R> };

export const isParameterisedRuleId = (id: string): id is ParameterisedRuleId => (RULE_IDS as readonly string[]).includes(id);
