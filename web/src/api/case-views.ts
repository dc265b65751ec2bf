import type { Page, RequestBody } from './views';

/**
 * What the console reads from the case routes (一案一表, A2): requests come from the generated
 * schema, responses are described here (the contracts do not describe responses yet).
 */
export type CreateCaseBody = RequestBody<'/cases', 'post'>;
export type CaseKind = CreateCaseBody['kind'];
export type OfficerRole = CreateCaseBody['officers'][number]['role'];
export type PartyBody = CreateCaseBody['parties'][number];
export type StepBody = RequestBody<'/cases/{caseId}/steps', 'post'>;
export type StepKind = StepBody['step'];
export type CaseState = StepKind | 'filed';

export interface CaseSummary {
  caseId: string;
  caseNumber: string;
  kind: CaseKind;
  title: string;
  unitId: string;
  state: CaseState;
  major?: boolean;
  version: number;
}
export type CasePage = Page<CaseSummary>;

export interface CaseStepRecord {
  step: CaseState;
  on: string;
  at: string;
  by: string;
  officerIds: string[];
  detail: Record<string, unknown>;
}

export interface CaseDetail extends Omit<CaseSummary, 'major'> {
  agencyId: string;
  parties: (PartyBody & { masked?: boolean })[];
  officers: { officerId: string; role: OfficerRole; name?: string }[];
  steps: CaseStepRecord[];
  decision?: { decidedOn: string; documentNumber: string; major: { major: boolean; reasons: string[]; ruleVersion: string } };
  links: { processId: string; relation: 'legalReview' | 'filing' | 'complaint' }[];
  personalDataMasked?: boolean;
  createdAt: string;
  updatedAt: string;
}
