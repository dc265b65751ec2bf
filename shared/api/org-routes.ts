import * as z from 'zod/mini';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { id, isoDate, multilineText, text } from '../kernel/schemas.ts';
import { noQuery, officerParams } from './route-params.ts';

/** Routes of the organisation: agencies, units, officers, qualifications; listed in shared/api/routes.ts ROUTES. */
const qualParams = /* @__PURE__ */ lazy(() => z.extend(officerParams(), { qualificationId: id() }));
const agencyParams = /* @__PURE__ */ lazy(() => z.strictObject({ agencyId: id() }));

export const agencyKinds = ['cityBureau', 'districtBureau', 'procuratorate', 'enforcementBureau'] as const;
export const employmentKinds = ['civilServant', 'publicInstitution', 'contract', 'temporary', 'seconded'] as const;

export const createAgency = /* @__PURE__ */ defineRoute(
  {
    operationId: 'createAgency',
    method: 'POST',
    path: '/agencies',
    group: 'org',
    summary: '新建机关',
    auth: true,
    scope: 'global',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'agency.create', objectType: 'agency', objectId: (i) => i.principal.agencyId },
  },
  () => ({ body: z.strictObject({ name: text(100), kind: z.enum(agencyKinds), parentId: z.optional(id()), region: z.optional(text(50)) }) }),
);
export const listAgencies = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listAgencies',
    method: 'GET',
    path: '/agencies',
    group: 'org',
    summary: '机关树',
    auth: true,
    scope: 'global',
    audit: { by: 'pipeline', action: 'agency.list', objectType: 'agency', objectId: (i) => i.principal.agencyId },
  },
  () => ({ query: noQuery() }),
);
export const createUnit = /* @__PURE__ */ defineRoute(
  {
    operationId: 'createUnit',
    method: 'POST',
    path: '/agencies/{agencyId}/units',
    group: 'org',
    summary: '新建部门',
    auth: true,
    scope: 'agency',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'unit.create' },
  },
  () => ({
    params: agencyParams(),
    body: z.strictObject({ name: text(100), function: z.enum(['enforcement', 'political', 'discipline', 'legal', 'supervision', 'personnel', 'office', 'other']) }),
  }),
);
export const listUnits = /* @__PURE__ */ defineRoute(
  { operationId: 'listUnits', method: 'GET', path: '/agencies/{agencyId}/units', group: 'org', summary: '机关的部门', auth: true, scope: 'agency', audit: { by: 'pipeline', action: 'unit.list' } },
  () => ({ params: agencyParams() }),
);
export const listOfficers = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listOfficers',
    method: 'GET',
    path: '/agencies/{agencyId}/officers',
    group: 'org',
    summary: '机关的执法人员（按部门）',
    auth: true,
    scope: 'agency',
    audit: { by: 'pipeline', action: 'officer.list' },
  },
  () => ({ params: agencyParams(), query: z.strictObject({ unitId: z.optional(id()) }) }),
);
export const createOfficer = /* @__PURE__ */ defineRoute(
  {
    operationId: 'createOfficer',
    method: 'POST',
    path: '/officers',
    group: 'org',
    summary: '登记执法人员',
    auth: true,
    scope: 'agency',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'officer.create', objectType: 'officer', objectId: () => 'new' },
  },
  () => ({ body: z.strictObject({ name: text(50), staffNumber: text(32), agencyId: id(), unitId: id(), post: text(100), employment: z.enum(employmentKinds) }) }),
);
export const getOfficer = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getOfficer',
    method: 'GET',
    path: '/officers/{officerId}',
    group: 'org',
    summary: '执法人员信息',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'officer.read', objectType: 'officer' },
  },
  () => ({ params: officerParams() }),
);
export const listQualifications = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listQualifications',
    method: 'GET',
    path: '/officers/{officerId}/qualifications',
    group: 'org',
    summary: '执法证',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'qualification.list', objectType: 'qualification' },
  },
  () => ({ params: officerParams() }),
);
export const issueQualification = /* @__PURE__ */ defineRoute(
  {
    operationId: 'issueQualification',
    method: 'POST',
    path: '/officers/{officerId}/qualifications',
    group: 'org',
    summary: '核发执法证（同时建立执法档案，A5）',
    auth: true,
    scope: 'file',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'qualification.issue', objectType: 'qualification' },
  },
  () => ({
    params: officerParams(),
    body: z.strictObject({
      certificateNumber: text(64),
      certificateType: text(50),
      issuedOn: isoDate(),
      issuedBy: text(100),
      trainingCompleted: z.boolean(),
      examPassed: z.boolean(),
    }),
  }),
);
export const recordQualificationEvent = /* @__PURE__ */ defineRoute(
  {
    operationId: 'recordQualificationEvent',
    method: 'POST',
    path: '/officers/{officerId}/qualifications/{qualificationId}/events',
    group: 'org',
    summary: '执法证年审、暂扣、发还、吊销（E2）',
    auth: true,
    scope: 'file',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'qualification.event', objectType: 'qualification', objectId: (i) => String(i.params.qualificationId) },
  },
  () => ({
    params: qualParams(),
    body: z.discriminatedUnion('event', [
      z.strictObject({ event: z.literal('inspected'), on: isoDate(), passed: z.boolean(), note: z.optional(multilineText(500)) }),
      z.strictObject({ event: z.literal('withdrawn'), on: isoDate(), reason: multilineText(500) }),
      z.strictObject({ event: z.literal('restored'), on: isoDate(), note: z.optional(multilineText(500)) }),
      z.strictObject({
        event: z.literal('revoked'),
        on: isoDate(),
        reason: z.enum(['criminalConviction', 'compulsoryDrugTreatment', 'repeatedWithdrawal', 'unlawfulConduct', 'incapacity', 'other']),
        note: z.optional(multilineText(500)),
      }),
    ]),
  }),
);
