import * as z from 'zod/mini';
import type { ENTRY_CATEGORIES } from '../rules/catalog.ts';
import { lazy } from '../kernel/lazy.ts';
import { id, isoDate, multilineText, text } from '../kernel/schemas.ts';

/**
 * File entry types of A3 (docs/rules.md), each with its own content schema. The category is fixed by the
 * type; the A6 rule version decides which types are conclusive documents (notified first).
 */
export type EntryCategory = (typeof ENTRY_CATEGORIES)[number];

/** Each type's category and label (A3), known without building any schema. */
const TYPES = {
  // (1) basic
  resume: { category: 'basic', label: '个人简历' },
  qualification: { category: 'basic', label: '执法资格' },
  postDuty: { category: 'basic', label: '岗位职责' },
  training: { category: 'basic', label: '培训情况' },
  // (2) enforcement work
  caseHandled: { category: 'work', label: '办理案件' },
  caseQualityReview: { category: 'work', label: '案卷评查' },
  caseResultChanged: { category: 'work', label: '执法决定被依法变更或撤销' },
  inspection: { category: 'work', label: '执法检查' },
  covertVisit: { category: 'work', label: '明察暗访' },
  substantiatedComplaint: { category: 'work', label: '有效投诉' },
  investigationResult: { category: 'work', label: '调查结果' },
  workSummary: { category: 'work', label: '工作总结' },
  innovation: { category: 'work', label: '执法创新' },
  // (3) special work
  campaign: { category: 'special', label: '专项行动' },
  petition: { category: 'special', label: '涉法涉诉信访' },
  supervisedCase: { category: 'special', label: '督办交办案件' },
  stabilityMatter: { category: 'special', label: '重大维稳事项' },
  // (4) assessments
  assessmentResult: { category: 'assessment', label: '考核结果' },
  // (5) rewards and punishments
  commendation: { category: 'rewardPunishment', label: '表彰嘉奖' },
  merit: { category: 'rewardPunishment', label: '记功' },
  promotion: { category: 'rewardPunishment', label: '晋职晋级' },
  wrongfulCaseFinding: { category: 'rewardPunishment', label: '错案认定' },
  faultFinding: { category: 'rewardPunishment', label: '执法过错认定' },
  accountability: { category: 'rewardPunishment', label: '责任追究' },
  sanction: { category: 'rewardPunishment', label: '纪律处分' },
  stateCompensationRecovery: { category: 'rewardPunishment', label: '国家赔偿追偿' },
} as const satisfies Record<string, { category: EntryCategory; label: string }>;

/** Each type's content schema, built on first use (shared/kernel/lazy.ts). */
const contentSchemas = /* @__PURE__ */ lazy(() => {
  const caseRef = z.strictObject({ caseNumber: text(64), caseId: z.optional(id()) });
  const amount = z.number().check(z.nonnegative(), z.lte(1e12));
  const decision = z.strictObject({ documentNumber: text(64), decidedOn: isoDate(), decidedBy: text(100) });
  return {
    // (1) basic
    resume: z.strictObject({ period: text(50), organisation: text(200), position: text(100) }),
    qualification: z.strictObject({ certificateNumber: text(64), certificateType: text(50), event: z.enum(['issued', 'inspected', 'withdrawn', 'restored', 'revoked']) }),
    postDuty: z.strictObject({ post: text(100), duties: multilineText(2000) }),
    training: z.strictObject({ course: text(200), hours: z.number().check(z.positive(), z.lte(2000)), result: z.enum(['passed', 'failed', 'attended']) }),
    // (2) enforcement work
    caseHandled: z.strictObject({ case: caseRef, role: z.enum(['lead', 'assist', 'review', 'approve']), kind: text(50), result: z.optional(multilineText(500)) }),
    caseResultChanged: z.strictObject({
      case: caseRef,
      by: z.enum(['administrativeReview', 'litigation']),
      result: z.enum(['changed', 'revoked']),
      role: z.enum(['lead', 'assist', 'review', 'approve']),
      decision,
    }),
    caseQualityReview: z.strictObject({
      case: caseRef,
      reviewKind: z.enum(['individual', 'cross', 'unannounced']),
      score: z.number().check(z.gte(0), z.lte(100)),
      grade: z.enum(['excellent', 'qualified', 'unqualified']),
      findings: z.optional(multilineText(4000)),
    }),
    inspection: z.strictObject({ inspectionKind: z.enum(['annual', 'special', 'random']), findings: multilineText(4000), signedByInspected: z.boolean() }),
    covertVisit: z.strictObject({ findings: multilineText(4000), problemFound: z.boolean() }),
    substantiatedComplaint: z.strictObject({ complaintNumber: text(64), finding: multilineText(4000) }),
    investigationResult: z.strictObject({ matter: text(500), conclusion: multilineText(4000) }),
    workSummary: z.strictObject({ period: text(50), body: multilineText(8000) }),
    innovation: z.strictObject({ description: multilineText(4000), adoptedBy: z.optional(text(200)) }),
    // (3) special work
    campaign: z.strictObject({ campaign: text(200), role: text(100), outcome: multilineText(2000) }),
    petition: z.strictObject({ petitionNumber: text(64), handling: multilineText(4000), resolved: z.boolean() }),
    supervisedCase: z.strictObject({ case: caseRef, assignedBy: text(100), dueOn: isoDate(), closedOn: z.optional(isoDate()), onTime: z.optional(z.boolean()) }),
    stabilityMatter: z.strictObject({ matter: text(500), outcome: multilineText(2000) }),
    // (4) assessments
    assessmentResult: z.strictObject({
      kind: z.enum(['daily', 'special', 'quarterly', 'halfYear', 'annual', 'partyCommitteeConclusion']),
      period: text(50),
      grade: text(20),
      explanation: z.optional(multilineText(4000)),
    }),
    // (5) rewards and punishments
    commendation: z.strictObject({ level: text(50), decision }),
    merit: z.strictObject({ class: z.enum(['first', 'second', 'third']), decision }),
    promotion: z.strictObject({ from: text(100), to: text(100), decision }),
    wrongfulCaseFinding: z.strictObject({ case: caseRef, decision, basis: multilineText(4000) }),
    faultFinding: z.strictObject({ case: z.optional(caseRef), decision, liabilityShare: z.optional(z.number().check(z.gte(0), z.lte(1))) }),
    accountability: z.strictObject({ measure: text(200), decision }),
    sanction: z.strictObject({ sanction: z.enum(['warning', 'demerit', 'majorDemerit', 'demotion', 'dismissalOnProbation', 'dismissal']), decision }),
    stateCompensationRecovery: z.strictObject({ amount, decision }),
  } satisfies Record<EntryType, z.ZodMiniType>;
});

export type EntryType = keyof typeof TYPES;
export const ENTRY_TYPES = Object.keys(TYPES) as EntryType[];
export const entryTypeInfo = (t: EntryType) => TYPES[t];

/** Material handed over by another department carries its A7 formalities. */
export const handoverSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    fromDepartment: z.enum(['supervision', 'discipline', 'petition', 'political', 'legal']),
    confirmedBy: text(100),
    leaderSignature: text(100),
    sealed: z.literal(true, { message: '移交材料须加盖公章' }),
    documentNumber: text(64),
    relatesToEnforcement: z.literal(true, { message: '移交材料须与执法工作相关（A7）' }),
  }),
);

const base = () => ({
  occurredOn: isoDate(),
  title: text(200),
  summary: z.optional(multilineText(4000)),
  /** attachments uploaded beforehand (shared/archive/attachments.ts) */
  attachmentIds: z.optional(z.array(id()).check(z.maxLength(20))),
  /** a correction references the archived entry it corrects; the old entry never changes */
  corrects: z.optional(z.number().check(z.int(), z.positive())),
});

/** Discriminated union: each type validated by its own schema, with field paths like `content.score`. */
export const draftBodySchema = /* @__PURE__ */ lazy(() => {
  const common = base();
  return z.discriminatedUnion('type', ENTRY_TYPES.map((t) => z.strictObject({ type: z.literal(t), ...common, content: contentSchemas()[t] })) as unknown as [z.ZodMiniObject, ...z.ZodMiniObject[]]);
});
export type DraftBody = {
  type: EntryType;
  occurredOn: string;
  title: string;
  summary?: string | undefined;
  attachmentIds?: string[] | undefined;
  corrects?: number | undefined;
  content: Record<string, unknown>;
};
