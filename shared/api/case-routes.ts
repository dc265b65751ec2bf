import * as z from 'zod/mini';
import { CASE_KINDS, OFFICER_ROLES } from '../cases/model.ts';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { cursor, id, isoDate, multilineText, pageLimit, text } from '../kernel/schemas.ts';

/** Routes of cases (一案一表, A2); listed in shared/api/routes.ts ROUTES. */
const caseParams = /* @__PURE__ */ lazy(() => z.strictObject({ caseId: id() }));
const agencyParams = /* @__PURE__ */ lazy(() => z.strictObject({ agencyId: id() }));
const amount = () => z.number().check(z.nonnegative(), z.lte(1e12));

const partySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    partyKind: z.enum(['person', 'organisation']),
    name: text(100),
    idNumber: z.optional(z.string().check(z.regex(/^[0-9A-Z]{15,18}$/, '须为 15–18 位身份证号或统一社会信用代码'))),
    phone: z.optional(z.string().check(z.regex(/^\+?[0-9]{5,20}$/, '须为电话号码'))),
    address: z.optional(text(200)),
    legalRepresentative: z.optional(text(50)),
  }),
);

const stepBody = /* @__PURE__ */ lazy(() => {
  const common = { on: isoDate(), officerIds: z.optional(z.array(id()).check(z.minLength(1), z.maxLength(20))), note: z.optional(multilineText(2000)) };
  return z.discriminatedUnion('step', [
    // D4 (二): the party evaded, refused, obstructed, insulted or assaulted the officers
    z.strictObject({ step: z.literal('investigation'), ...common, evidence: multilineText(4000), obstruction: z.optional(z.enum(['evasion', 'refusal', 'obstruction', 'insult', 'assault'])) }),
    // E5: before a penalty the party is told the facts, reasons, basis and the rights to state, defend and ask for a hearing
    z.strictObject({
      step: z.literal('notice'),
      ...common,
      documentNumber: text(64),
      toldFactsReasonsBasis: z.literal(true, { message: '须告知拟作出决定的事实、理由和依据（E5）' }),
      toldRightToStateAndDefend: z.literal(true, { message: '须告知陈述、申辩的权利（E5）' }),
      toldHearingRight: z.boolean(),
      certificateShown: z.literal(true, { message: '执法时须出示执法证件（E1、E5）' }),
    }),
    z.strictObject({ step: z.literal('hearing'), ...common, held: z.boolean(), summary: multilineText(4000) }),
    z.strictObject({ step: z.literal('legalReview'), ...common, processId: id() }),
    // E6: chaired by a leader, minutes with the majority decision and dissent, signed by all
    z
      .strictObject({
        step: z.literal('collectiveDiscussion'),
        ...common,
        chair: text(50),
        attendees: z.array(text(50)).check(z.minLength(3), z.maxLength(50)),
        decision: multilineText(8000),
        dissent: z.optional(multilineText(8000)),
        signedBy: z.array(text(50)).check(z.minLength(1), z.maxLength(50)),
      })
      .check(
        z.superRefine((v, c) => {
          const unsigned = v.attendees.filter((a) => !v.signedBy.includes(a));
          if (unsigned.length) c.addIssue({ code: 'custom', path: ['signedBy'], message: `集体讨论记录须由全体出席人员签名（E6），缺少：${unsigned.join('、')}` });
        }),
      ),
    z.strictObject({
      step: z.literal('decision'),
      ...common,
      documentNumber: text(64),
      measures: z.strictObject({
        fine: z.optional(amount()),
        confiscationValue: z.optional(amount()),
        stopProductionOrBusiness: z.optional(z.boolean()),
        licenceRevocation: z.optional(z.boolean()),
        detentionDays: z.optional(z.number().check(z.int(), z.gte(0), z.lte(365))),
        other: z.optional(text(500)),
      }),
    }),
    z.strictObject({ step: z.literal('service'), ...common, method: z.enum(['direct', 'mail', 'lodged', 'public', 'electronic']), receiptNumber: z.optional(text(64)) }),
    z.strictObject({ step: z.literal('execution'), ...common, summary: multilineText(4000) }),
    z.strictObject({ step: z.literal('closed'), ...common }),
    z.strictObject({ step: z.literal('archived'), ...common, archiveNumber: text(64) }),
  ]);
});

export const createCase = /* @__PURE__ */ defineRoute(
  {
    operationId: 'createCase',
    method: 'POST',
    path: '/cases',
    group: 'cases',
    summary: '立案登记（一案一表）',
    auth: true,
    scope: 'agency',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'case.create', objectType: 'case', objectId: () => 'new' },
  },
  () => ({
    body: z.strictObject({
      kind: z.enum(CASE_KINDS),
      title: text(200),
      caseNumber: text(64),
      unitId: id(),
      filedOn: isoDate(),
      summary: z.optional(multilineText(4000)),
      parties: z.array(partySchema()).check(z.minLength(1), z.maxLength(50)),
      officers: z.array(z.strictObject({ officerId: id(), role: z.enum(OFFICER_ROLES) })).check(z.minLength(1), z.maxLength(20)),
    }),
  }),
);
export const getCase = /* @__PURE__ */ defineRoute(
  { operationId: 'getCase', method: 'GET', path: '/cases/{caseId}', group: 'cases', summary: '案件（一案一表）', auth: true, scope: 'case', audit: { by: 'useCase', action: 'case.read' } },
  () => ({ params: caseParams() }),
);
export const recordCaseStep = /* @__PURE__ */ defineRoute(
  {
    operationId: 'recordCaseStep',
    method: 'POST',
    path: '/cases/{caseId}/steps',
    group: 'cases',
    summary: '记录办案环节（告知、听证、法制审核、集体讨论、决定、送达、执行、结案、归档）',
    auth: true,
    scope: 'case',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'case.step' },
  },
  () => ({ params: caseParams(), body: stepBody() }),
);
export const recordCaseOutcome = /* @__PURE__ */ defineRoute(
  {
    operationId: 'recordCaseOutcome',
    method: 'POST',
    path: '/cases/{caseId}/outcomes',
    group: 'cases',
    summary: '登记行政复议、行政诉讼结果（被变更或撤销的记入执法档案）',
    auth: true,
    scope: 'case',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'case.outcome' },
  },
  () => ({
    params: caseParams(),
    body: z.strictObject({
      by: z.enum(['administrativeReview', 'litigation']),
      result: z.enum(['upheld', 'changed', 'revoked']),
      decidedOn: isoDate(),
      documentNumber: text(64),
      decidedBy: text(100),
    }),
  }),
);
export const listCases = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listCases',
    method: 'GET',
    path: '/agencies/{agencyId}/cases',
    group: 'cases',
    summary: '机关或部门的案件',
    auth: true,
    scope: 'agency',
    audit: { by: 'useCase', action: 'case.list' },
  },
  () => ({ params: agencyParams(), query: z.strictObject({ unitId: z.optional(id()), limit: pageLimit(50, 200), cursor: cursor() }) }),
);

export const CASE_ROUTES = [createCase, getCase, recordCaseStep, recordCaseOutcome, listCases];
