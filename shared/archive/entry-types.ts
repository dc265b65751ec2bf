import * as z from 'zod';
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
const contentSchemas = lazy(() => {
  const caseRef = z.object({ caseNumber: text(64), caseId: id().optional() }).strict();
  const amount = z.number().finite().nonnegative().max(1e12);
  const decision = z.object({ documentNumber: text(64), decidedOn: isoDate(), decidedBy: text(100) }).strict();
  return {
    // (1) basic
    resume: z.object({ period: text(50), organisation: text(200), position: text(100) }).strict(),
    qualification: z.object({ certificateNumber: text(64), certificateType: text(50), event: z.enum(['issued', 'inspected', 'withdrawn', 'restored', 'revoked']) }).strict(),
    postDuty: z.object({ post: text(100), duties: multilineText(2000) }).strict(),
    training: z.object({ course: text(200), hours: z.number().positive().max(2000), result: z.enum(['passed', 'failed', 'attended']) }).strict(),
    // (2) enforcement work
    caseHandled: z.object({ case: caseRef, role: z.enum(['lead', 'assist', 'review', 'approve']), kind: text(50), result: multilineText(500).optional() }).strict(),
    caseResultChanged: z.object({
      case: caseRef, by: z.enum(['administrativeReview', 'litigation']), result: z.enum(['changed', 'revoked']),
      role: z.enum(['lead', 'assist', 'review', 'approve']), decision,
    }).strict(),
    caseQualityReview: z.object({ case: caseRef, reviewKind: z.enum(['individual', 'cross', 'unannounced']), score: z.number().min(0).max(100), grade: z.enum(['excellent', 'qualified', 'unqualified']), findings: multilineText(4000).optional() }).strict(),
    inspection: z.object({ inspectionKind: z.enum(['annual', 'special', 'random']), findings: multilineText(4000), signedByInspected: z.boolean() }).strict(),
    covertVisit: z.object({ findings: multilineText(4000), problemFound: z.boolean() }).strict(),
    substantiatedComplaint: z.object({ complaintNumber: text(64), finding: multilineText(4000) }).strict(),
    investigationResult: z.object({ matter: text(500), conclusion: multilineText(4000) }).strict(),
    workSummary: z.object({ period: text(50), body: multilineText(8000) }).strict(),
    innovation: z.object({ description: multilineText(4000), adoptedBy: text(200).optional() }).strict(),
    // (3) special work
    campaign: z.object({ campaign: text(200), role: text(100), outcome: multilineText(2000) }).strict(),
    petition: z.object({ petitionNumber: text(64), handling: multilineText(4000), resolved: z.boolean() }).strict(),
    supervisedCase: z.object({ case: caseRef, assignedBy: text(100), dueOn: isoDate(), closedOn: isoDate().optional(), onTime: z.boolean().optional() }).strict(),
    stabilityMatter: z.object({ matter: text(500), outcome: multilineText(2000) }).strict(),
    // (4) assessments
    assessmentResult: z.object({ kind: z.enum(['daily', 'special', 'quarterly', 'halfYear', 'annual', 'partyCommitteeConclusion']), period: text(50), grade: text(20), explanation: multilineText(4000).optional() }).strict(),
    // (5) rewards and punishments
    commendation: z.object({ level: text(50), decision }).strict(),
    merit: z.object({ class: z.enum(['first', 'second', 'third']), decision }).strict(),
    promotion: z.object({ from: text(100), to: text(100), decision }).strict(),
    wrongfulCaseFinding: z.object({ case: caseRef, decision, basis: multilineText(4000) }).strict(),
    faultFinding: z.object({ case: caseRef.optional(), decision, liabilityShare: z.number().min(0).max(1).optional() }).strict(),
    accountability: z.object({ measure: text(200), decision }).strict(),
    sanction: z.object({ sanction: z.enum(['warning', 'demerit', 'majorDemerit', 'demotion', 'dismissalOnProbation', 'dismissal']), decision }).strict(),
    stateCompensationRecovery: z.object({ amount, decision }).strict(),
  } satisfies Record<EntryType, z.ZodType>;
});

export type EntryType = keyof typeof TYPES;
export const ENTRY_TYPES = Object.keys(TYPES) as EntryType[];
export const entryTypeInfo = (t: EntryType) => TYPES[t];

/** Material handed over by another department carries its A7 formalities. */
export const handoverSchema = lazy(() => z
  .object({
    fromDepartment: z.enum(['supervision', 'discipline', 'petition', 'political', 'legal']),
    confirmedBy: text(100),
    leaderSignature: text(100),
    sealed: z.literal(true, { message: '移交材料须加盖公章' }),
    documentNumber: text(64),
    relatesToEnforcement: z.literal(true, { message: '移交材料须与执法工作相关（A7）' }),
  })
  .strict());

const base = () => ({
  occurredOn: isoDate(),
  title: text(200),
  summary: multilineText(4000).optional(),
  /** attachments uploaded beforehand (shared/archive/attachments.ts) */
  attachmentIds: z.array(id()).max(20).optional(),
  /** a correction references the archived entry it corrects; the old entry never changes */
  corrects: z.number().int().positive().optional(),
});

/** Discriminated union: each type validated by its own schema, with field paths like `content.score`. */
export const draftBodySchema = lazy(() => {
  const common = base();
  return z.discriminatedUnion(
    'type',
    ENTRY_TYPES.map((t) => z.object({ type: z.literal(t), ...common, content: contentSchemas()[t] }).strict()) as unknown as [
      z.ZodObject,
      ...z.ZodObject[],
    ],
  );
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
