import * as z from 'zod';
import { CASE_KINDS, OFFICER_ROLES } from '../cases/model.ts';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { cursor, id, isoDate, multilineText, pageLimit, text } from '../kernel/schemas.ts';

/** Routes of cases (一案一表, A2); listed in shared/api/routes.ts ROUTES. */
const caseParams = lazy(() => z.object({ caseId: id() }).strict());
const agencyParams = lazy(() => z.object({ agencyId: id() }).strict());
const amount = () => z.number().finite().nonnegative().max(1e12);

const partySchema = lazy(() => z.object({
  partyKind: z.enum(['person', 'organisation']), name: text(100),
  idNumber: z.string().regex(/^[0-9A-Z]{15,18}$/, '须为 15–18 位身份证号或统一社会信用代码').optional(),
  phone: z.string().regex(/^\+?[0-9]{5,20}$/, '须为电话号码').optional(), address: text(200).optional(), legalRepresentative: text(50).optional(),
}).strict());

const stepBody = lazy(() => {
  const common = { on: isoDate(), officerIds: z.array(id()).min(1).max(20).optional(), note: multilineText(2000).optional() };
  return z.discriminatedUnion('step', [
    // D4 (二): the party evaded, refused, obstructed, insulted or assaulted the officers
    z.object({ step: z.literal('investigation'), ...common, evidence: multilineText(4000), obstruction: z.enum(['evasion', 'refusal', 'obstruction', 'insult', 'assault']).optional() }).strict(),
    // E5: before a penalty the party is told the facts, reasons, basis and the rights to state, defend and ask for a hearing
    z.object({
      step: z.literal('notice'), ...common, documentNumber: text(64),
      toldFactsReasonsBasis: z.literal(true, { message: '须告知拟作出决定的事实、理由和依据（E5）' }),
      toldRightToStateAndDefend: z.literal(true, { message: '须告知陈述、申辩的权利（E5）' }),
      toldHearingRight: z.boolean(), certificateShown: z.literal(true, { message: '执法时须出示执法证件（E1、E5）' }),
    }).strict(),
    z.object({ step: z.literal('hearing'), ...common, held: z.boolean(), summary: multilineText(4000) }).strict(),
    z.object({ step: z.literal('legalReview'), ...common, processId: id() }).strict(),
    // E6: chaired by a leader, minutes with the majority decision and dissent, signed by all
    z.object({
      step: z.literal('collectiveDiscussion'), ...common, chair: text(50), attendees: z.array(text(50)).min(3).max(50),
      decision: multilineText(8000), dissent: multilineText(8000).optional(), signedBy: z.array(text(50)).min(1).max(50),
    }).strict().superRefine((v, c) => {
      const unsigned = v.attendees.filter((a) => !v.signedBy.includes(a));
      if (unsigned.length) c.addIssue({ code: 'custom', path: ['signedBy'], message: `集体讨论记录须由全体出席人员签名（E6），缺少：${unsigned.join('、')}` });
    }),
    z.object({
      step: z.literal('decision'), ...common, documentNumber: text(64),
      measures: z.object({
        fine: amount().optional(), confiscationValue: amount().optional(), stopProductionOrBusiness: z.boolean().optional(),
        licenceRevocation: z.boolean().optional(), detentionDays: z.number().int().min(0).max(365).optional(), other: text(500).optional(),
      }).strict(),
    }).strict(),
    z.object({ step: z.literal('service'), ...common, method: z.enum(['direct', 'mail', 'lodged', 'public', 'electronic']), receiptNumber: text(64).optional() }).strict(),
    z.object({ step: z.literal('execution'), ...common, summary: multilineText(4000) }).strict(),
    z.object({ step: z.literal('closed'), ...common }).strict(),
    z.object({ step: z.literal('archived'), ...common, archiveNumber: text(64) }).strict(),
  ]);
});

export const createCase = defineRoute(
  { operationId: 'createCase', method: 'POST', path: '/cases', group: 'cases', summary: '立案登记（一案一表）', auth: true, scope: 'agency', idempotent: true, successStatus: 201 },
  () => ({
    body: z.object({
      kind: z.enum(CASE_KINDS), title: text(200), caseNumber: text(64), unitId: id(), filedOn: isoDate(), summary: multilineText(4000).optional(),
      parties: z.array(partySchema()).min(1).max(50),
      officers: z.array(z.object({ officerId: id(), role: z.enum(OFFICER_ROLES) }).strict()).min(1).max(20),
    }).strict(),
  }),
);
export const getCase = defineRoute(
  { operationId: 'getCase', method: 'GET', path: '/cases/{caseId}', group: 'cases', summary: '案件（一案一表）', auth: true, scope: 'case' },
  () => ({ params: caseParams() }),
);
export const recordCaseStep = defineRoute(
  { operationId: 'recordCaseStep', method: 'POST', path: '/cases/{caseId}/steps', group: 'cases', summary: '记录办案环节（告知、听证、法制审核、集体讨论、决定、送达、执行、结案、归档）', auth: true, scope: 'case', requiresIfMatch: true },
  () => ({ params: caseParams(), body: stepBody() }),
);
export const recordCaseOutcome = defineRoute(
  { operationId: 'recordCaseOutcome', method: 'POST', path: '/cases/{caseId}/outcomes', group: 'cases', summary: '登记行政复议、行政诉讼结果（被变更或撤销的记入执法档案）', auth: true, scope: 'case', requiresIfMatch: true },
  () => ({
    params: caseParams(),
    body: z.object({
      by: z.enum(['administrativeReview', 'litigation']), result: z.enum(['upheld', 'changed', 'revoked']),
      decidedOn: isoDate(), documentNumber: text(64), decidedBy: text(100),
    }).strict(),
  }),
);
export const listCases = defineRoute(
  { operationId: 'listCases', method: 'GET', path: '/agencies/{agencyId}/cases', group: 'cases', summary: '机关或部门的案件', auth: true, scope: 'agency' },
  () => ({ params: agencyParams(), query: z.object({ unitId: id().optional(), limit: pageLimit(50, 200), cursor: cursor() }).strict() }),
);

export const CASE_ROUTES = [createCase, getCase, recordCaseStep, recordCaseOutcome, listCases];
