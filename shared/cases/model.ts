import type { RuleParameters } from '../rules/catalog.ts';

/**
 * 一案一表 (A2, docs/rules.md): one form per case recording every post and stage. Pure types and rules;
 * the use cases are in service.ts.
 */
export const CASE_KINDS = ['penalty', 'licence', 'confirmation', 'levy', 'inspection', 'compulsion', 'benefit', 'other'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CASE_KIND_LABELS: Record<CaseKind, string> = {
  penalty: '行政处罚',
  licence: '行政许可',
  confirmation: '行政确认',
  levy: '行政征收',
  inspection: '行政检查',
  compulsion: '行政强制',
  benefit: '行政给付',
  other: '其他',
};

/** The stages of a case, in order (A2): 立案 → 调查取证 → 告知 → 听证 → 法制审核 → 集体讨论 → 决定 → 送达 → 执行 → 结案 → 归档. */
export const CASE_STEPS = ['filed', 'investigation', 'notice', 'hearing', 'legalReview', 'collectiveDiscussion', 'decision', 'service', 'execution', 'closed', 'archived'] as const;
export type CaseStep = (typeof CASE_STEPS)[number];
export const STEP_LABELS: Record<CaseStep, string> = {
  filed: '立案',
  investigation: '调查取证',
  notice: '告知',
  hearing: '听证',
  legalReview: '法制审核',
  collectiveDiscussion: '集体讨论',
  decision: '决定',
  service: '送达',
  execution: '执行',
  closed: '结案',
  archived: '归档',
};
/** steps that may be recorded more than once (several interviews, several services) */
export const REPEATABLE_STEPS: readonly CaseStep[] = ['investigation', 'notice', 'service', 'execution'];
/** steps that come after the decision and require it */
const AFTER_DECISION: readonly CaseStep[] = ['service', 'execution', 'closed', 'archived'];

export const OFFICER_ROLES = ['lead', 'assist', 'review', 'approve'] as const; // 主办 / 协办 / 审核 / 批准
export type OfficerRole = (typeof OFFICER_ROLES)[number];

export interface Party {
  partyKind: 'person' | 'organisation';
  name: string;
  /** personal information (PIPL art. 28 sensitive: ID number): shown only to those handling the case */
  idNumber?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
  legalRepresentative?: string | undefined;
}
export const PERSONAL_FIELDS = ['idNumber', 'phone', 'address'] as const;

export interface Measures {
  fine?: number | undefined;
  confiscationValue?: number | undefined;
  stopProductionOrBusiness?: boolean | undefined;
  licenceRevocation?: boolean | undefined;
  detentionDays?: number | undefined;
  other?: string | undefined;
}

export interface StepRecord {
  step: CaseStep;
  on: string;
  at: string;
  by: string;
  officerIds: string[];
  detail: Record<string, unknown>;
}

export interface CaseRecord {
  caseId: string;
  caseNumber: string;
  kind: CaseKind;
  title: string;
  agencyId: string;
  agencyPath: string[];
  unitId: string;
  parties: Party[];
  officers: { officerId: string; role: OfficerRole; name?: string | undefined }[];
  steps: StepRecord[];
  decision?: { decidedOn: string; documentNumber: string; measures: Measures; major: MajorFinding } | undefined;
  /** review or litigation results; a changed result is an outstanding problem (B2) */
  outcomes: { by: 'administrativeReview' | 'litigation'; result: 'upheld' | 'changed' | 'revoked'; decidedOn: string; documentNumber: string; recordedAt: string }[];
  links: { processId: string; relation: 'legalReview' | 'filing' | 'complaint' }[];
  state: CaseStep;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface MajorFinding {
  major: boolean;
  /** which C8 thresholds the decision reaches, with the rule version */
  reasons: string[];
  ruleVersion: string;
}

/**
 * 重大行政处罚 (C8): fine ≥ the individual or organisation threshold (by the party), confiscation
 * of at least that value, order to stop production or business, licence revocation, detention ≥
 * the threshold days.
 */
export const majorPenalty = (parties: readonly Pick<Party, 'partyKind'>[], m: Measures, c8: RuleParameters<'C8'>, versionId: string): MajorFinding => {
  const organisation = parties.some((p) => p.partyKind === 'organisation');
  const threshold = organisation ? c8.organisationFineFrom : c8.individualFineFrom;
  const who = organisation ? '单位' : '个人';
  const reasons = [
    ...((m.fine ?? 0) >= threshold ? [`对${who}罚款 ${m.fine} 元（≥ ${threshold}）`] : []),
    ...((m.confiscationValue ?? 0) >= threshold ? [`没收违法所得或非法财物价值 ${m.confiscationValue} 元（≥ ${threshold}）`] : []),
    ...(m.stopProductionOrBusiness ? ['责令停产停业'] : []),
    ...(m.licenceRevocation ? ['吊销许可证或执照'] : []),
    ...((m.detentionDays ?? 0) >= c8.detentionDaysFrom ? [`拘留 ${m.detentionDays} 日（≥ ${c8.detentionDaysFrom}）`] : []),
  ];
  return { major: reasons.length > 0, reasons, ruleVersion: versionId };
};

/** Whether `step` may be recorded now; the reason when not (the domain error's detail). */
export const stepRefusal = (c: Pick<CaseRecord, 'steps' | 'state' | 'decision'>, step: CaseStep): string | undefined => {
  if (c.state === 'archived') return '案件已归档，不能再记录环节';
  if (step === 'filed') return '立案在建立案件时记录';
  const done = new Set(c.steps.map((s) => s.step));
  if (done.has(step) && !REPEATABLE_STEPS.includes(step)) return `“${STEP_LABELS[step]}”已记录`;
  if (AFTER_DECISION.includes(step) && !c.decision) return `“${STEP_LABELS[step]}”须在作出决定之后`;
  if (step === 'decision' && c.decision) return '决定已记录；变更须经复议或诉讼结果记录';
  if (step === 'archived' && !done.has('closed')) return '归档须在结案之后';
  if (step !== 'archived' && done.has('closed')) return '案件已结案';
  return undefined;
};

/** The case seen by someone who does not handle it: parties' personal fields masked (PIPL art. 28, 51). */
export const maskParties = (parties: readonly Party[]): Party[] =>
  parties.map((p) => ({ ...p, ...Object.fromEntries(PERSONAL_FIELDS.filter((f) => p[f] !== undefined).map((f) => [f, mask(p[f]!)])) }));
const mask = (v: string) => (v.length <= 4 ? '****' : `${v.slice(0, 2)}${'*'.repeat(Math.max(4, v.length - 4))}${v.slice(-2)}`);
