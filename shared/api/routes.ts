import * as z from 'zod/mini';
import { GRANTABLE_ACTIONS } from '../access/decide.ts';
import { draftBodySchema, handoverSchema } from '../archive/entry-types.ts';
import { MAX_AUDIT_SHARDS } from '../audit/shard-setting.ts';
import { defineRoute, type RouteContract } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { PROCESS_ROUTES } from './process-routes.ts';
import { CASE_ROUTES } from './case-routes.ts';
import { EVIDENCE_ROUTES } from './evidence-routes.ts';
import { PRESERVATION_ROUTES } from './preservation-routes.ts';
import { cursor, fileName, id, isoDate, multilineText, pageLimit, sha256, text } from '../kernel/schemas.ts';
import { ENTRY_CATEGORIES, RULE_IDS } from '../rules/catalog.ts';

/**
 * Every HTTP route of the product. CDK (infra/aws), the local router (infra/local), the OpenAPI
 * document and the authorisation-matrix test all read this list; a route missing here does not exist.
 * Schemas sit in thunks: they are built when a request first needs them (see defineRoute).
 */
const officerParams = /* @__PURE__ */ lazy(() => z.strictObject({ officerId: id() }));
const draftParams = /* @__PURE__ */ lazy(() => z.extend(officerParams(), { entryId: id() }));
const grantParams = /* @__PURE__ */ lazy(() => z.extend(officerParams(), { grantId: id() }));
const qualParams = /* @__PURE__ */ lazy(() => z.extend(officerParams(), { qualificationId: id() }));
const attParams = /* @__PURE__ */ lazy(() => z.extend(officerParams(), { attachmentId: id() }));
const agencyParams = /* @__PURE__ */ lazy(() => z.strictObject({ agencyId: id() }));
const noQuery = /* @__PURE__ */ lazy(() => z.strictObject({}));

export const agencyKinds = ['cityBureau', 'districtBureau', 'procuratorate', 'enforcementBureau'] as const;
export const employmentKinds = ['civilServant', 'publicInstitution', 'contract', 'temporary', 'seconded'] as const;
export const ENTRY_STATE_FILTER = ['draft', 'underReview', 'approved', 'notified', 'acknowledged', 'archived', 'rejected'] as const;

// ---- system ---------------------------------------------------------------------------------
export const health = /* @__PURE__ */ defineRoute({ operationId: 'health', method: 'GET', path: '/health', group: 'system', summary: '健康检查', auth: false, scope: 'none' });
export const openapi = /* @__PURE__ */ defineRoute({ operationId: 'openapi', method: 'GET', path: '/openapi.json', group: 'system', summary: 'OpenAPI 3.1 接口文档', auth: false, scope: 'none' });
export const me = /* @__PURE__ */ defineRoute({ operationId: 'me', method: 'GET', path: '/me', group: 'system', summary: '当前用户身份与角色', auth: true, scope: 'none' });

// ---- organisation (agencies, units, officers, qualifications) ---------------------------------
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

// ---- the officer file ----------------------------------------------------------------------
export const getFile = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getFile',
    method: 'GET',
    path: '/officers/{officerId}/file',
    group: 'files',
    summary: '执法档案概况（保管、链头）',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'file.read' },
  },
  () => ({ params: officerParams() }),
);
export const listEntries = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listEntries',
    method: 'GET',
    path: '/officers/{officerId}/file/entries',
    group: 'files',
    summary: '档案时间线（已归档条目，新在前）',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'file.readTimeline' },
  },
  () => ({
    params: officerParams(),
    query: z
      .strictObject({ category: z.optional(z.enum([...ENTRY_CATEGORIES, 'custody'])), from: z.optional(isoDate()), to: z.optional(isoDate()), limit: pageLimit(50, 500), cursor: cursor() })
      .check(z.refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: '结束日期不得早于开始日期' })),
  }),
);
export const getEntry = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getEntry',
    method: 'GET',
    path: '/officers/{officerId}/file/entries/{seq}',
    group: 'files',
    summary: '已归档条目',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'entry.read', objectType: 'entry', objectId: (i) => `${i.params.officerId}#${i.params.seq}` },
  },
  () => ({ params: z.extend(officerParams(), { seq: z.coerce.number().check(z.int(), z.positive(), z.lte(1e9)) }) }),
);
export const verifyFile = /* @__PURE__ */ defineRoute(
  {
    operationId: 'verifyFile',
    method: 'GET',
    path: '/officers/{officerId}/file/verify',
    group: 'files',
    summary: '校验档案哈希链',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'file.verify' },
  },
  () => ({ params: officerParams() }),
);
export const listDrafts = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listDrafts',
    method: 'GET',
    path: '/officers/{officerId}/file/drafts',
    group: 'files',
    summary: '记录流程中的条目',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'entry.list' },
  },
  () => ({ params: officerParams(), query: z.strictObject({ state: z.optional(z.enum(ENTRY_STATE_FILTER)) }) }),
);
export const createDraft = /* @__PURE__ */ defineRoute(
  {
    operationId: 'createDraft',
    method: 'POST',
    path: '/officers/{officerId}/file/drafts',
    group: 'files',
    summary: '起草档案条目（A6）',
    auth: true,
    scope: 'file',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'entry.draft' },
  },
  () => ({ params: officerParams(), body: draftBodySchema() }),
);
export const createHandover = /* @__PURE__ */ defineRoute(
  {
    operationId: 'createHandover',
    method: 'POST',
    path: '/officers/{officerId}/file/handovers',
    group: 'files',
    summary: '其他部门移交材料（A7）',
    auth: true,
    scope: 'file',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'entry.handover' },
  },
  () => ({ params: officerParams(), body: z.strictObject({ entry: draftBodySchema(), handover: handoverSchema() }) }),
);
export const getDraft = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getDraft',
    method: 'GET',
    path: '/officers/{officerId}/file/drafts/{entryId}',
    group: 'files',
    summary: '流程中的条目',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'entry.read', objectType: 'entry', objectId: (i) => String(i.params.entryId) },
  },
  () => ({ params: draftParams() }),
);
export const updateDraft = /* @__PURE__ */ defineRoute(
  {
    operationId: 'updateDraft',
    method: 'PUT',
    path: '/officers/{officerId}/file/drafts/{entryId}',
    group: 'files',
    summary: '修改草稿',
    auth: true,
    scope: 'file',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'entry.edit', objectType: 'entry', objectId: (i) => String(i.params.entryId) },
  },
  () => ({ params: draftParams(), body: draftBodySchema() }),
);
const transition = <B extends z.ZodMiniType>(operationId: string, action: string, summary: string, body?: () => B) =>
  defineRoute(
    {
      operationId,
      method: 'POST',
      path: `/officers/{officerId}/file/drafts/{entryId}/${action}`,
      group: 'files',
      summary,
      auth: true,
      scope: 'file',
      requiresIfMatch: true,
      audit: { by: 'useCase', action: `entry.${action}`, objectType: 'entry', objectId: (i) => String(i.params.entryId) },
    },
    () => ({ params: draftParams(), ...(body ? { body: body() } : {}) }),
  );
export const submitDraft = /* @__PURE__ */ transition('submitDraft', 'submit', '提交部门负责人审核');
export const reviewDraft = /* @__PURE__ */ transition('reviewDraft', 'review', '部门负责人审核（通过/退回）', () =>
  z.discriminatedUnion('decision', [
    z.strictObject({ decision: z.literal('approve'), comment: z.optional(multilineText(1000)) }),
    z.strictObject({ decision: z.literal('reject'), reason: multilineText(1000) }),
  ]),
);
export const acknowledgeDraft = /* @__PURE__ */ transition('acknowledgeDraft', 'acknowledge', '本人知悉结论性材料（A6）', () => z.strictObject({ comment: z.optional(multilineText(1000)) }));
export const archiveDraft = /* @__PURE__ */ transition('archiveDraft', 'archive', '记录员录入档案（不可更改）');
export const transferFile = /* @__PURE__ */ defineRoute(
  {
    operationId: 'transferFile',
    method: 'POST',
    path: '/officers/{officerId}/file/transfers',
    group: 'files',
    summary: '调动或离开执法岗位：档随人走（A5）',
    auth: true,
    scope: 'file',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'file.transfer' },
  },
  () => ({
    params: officerParams(),
    body: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('transfer'), toAgencyId: id(), toUnitId: id(), effectiveOn: isoDate(), reason: multilineText(500), newPost: z.optional(text(100)) }),
      z.strictObject({ kind: z.literal('leaveEnforcement'), effectiveOn: isoDate(), reason: multilineText(500) }),
    ]),
  }),
);
export const reviewQueue = /* @__PURE__ */ defineRoute(
  {
    operationId: 'reviewQueue',
    method: 'GET',
    path: '/units/{unitId}/queue',
    group: 'files',
    summary: '部门待办（待审核/待录入）',
    auth: true,
    scope: 'agency',
    audit: { by: 'pipeline', action: 'queue.read', objectType: 'agency', objectId: (i) => String(i.params.unitId) },
  },
  () => ({
    params: z.strictObject({ unitId: id() }),
    query: z.strictObject({ state: z._default(z.enum(['underReview', 'approved', 'acknowledged', 'notified']), 'underReview') }),
  }),
);

// ---- attachments ---------------------------------------------------------------------------
export const MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024;
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/ofd', 'text/plain'] as const;
export const createAttachment = /* @__PURE__ */ defineRoute(
  {
    operationId: 'createAttachment',
    method: 'POST',
    path: '/officers/{officerId}/file/attachments',
    group: 'attachments',
    summary: '申请附件直传地址（预签名，带 SHA-256）',
    auth: true,
    scope: 'file',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'attachment.create', objectType: 'attachment' },
  },
  () => ({
    params: officerParams(),
    body: z.strictObject({
      fileName: fileName(),
      contentType: z.enum(ATTACHMENT_TYPES),
      size: z.number().check(z.int(), z.gte(0), z.lte(MAX_ATTACHMENT_BYTES)),
      sha256: sha256(),
    }),
  }),
);
export const getAttachment = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getAttachment',
    method: 'GET',
    path: '/officers/{officerId}/file/attachments/{attachmentId}',
    group: 'attachments',
    summary: '附件信息与下载地址',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'attachment.read', objectType: 'attachment', objectId: (i) => String(i.params.attachmentId) },
  },
  () => ({ params: attParams() }),
);
export const verifyAttachment = /* @__PURE__ */ defineRoute(
  {
    operationId: 'verifyAttachment',
    method: 'POST',
    path: '/officers/{officerId}/file/attachments/{attachmentId}/verify',
    group: 'attachments',
    summary: '上传完成后校验哈希',
    auth: true,
    scope: 'file',
    audit: { by: 'useCase', action: 'attachment.verify', objectType: 'attachment', objectId: (i) => String(i.params.attachmentId) },
  },
  () => ({ params: attParams() }),
);

// ---- access grants (A8) --------------------------------------------------------------------
export const requestGrant = /* @__PURE__ */ defineRoute(
  {
    operationId: 'requestGrant',
    method: 'POST',
    path: '/officers/{officerId}/file/grants',
    group: 'grants',
    summary: '申请查阅授权（说明用途）',
    auth: true,
    scope: 'file',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'grant.request', objectType: 'grant' },
  },
  () => ({
    params: officerParams(),
    body: z.strictObject({
      purpose: text(500, 4),
      actions: z.array(z.enum(GRANTABLE_ACTIONS)).check(z.minLength(1), z.maxLength(GRANTABLE_ACTIONS.length)),
      days: z.number().check(z.int(), z.gte(1), z.lte(3650)),
    }),
  }),
);
export const listGrants = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listGrants',
    method: 'GET',
    path: '/officers/{officerId}/file/grants',
    group: 'grants',
    summary: '档案的查阅授权',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'grant.list', objectType: 'grant' },
  },
  () => ({ params: officerParams() }),
);
export const decideGrant = /* @__PURE__ */ defineRoute(
  {
    operationId: 'decideGrant',
    method: 'POST',
    path: '/officers/{officerId}/file/grants/{grantId}/decision',
    group: 'grants',
    summary: '审批查阅授权',
    auth: true,
    scope: 'file',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'grant.decide', objectType: 'grant', objectId: (i) => String(i.params.grantId) },
  },
  () => ({
    params: grantParams(),
    body: z.discriminatedUnion('decision', [
      z.strictObject({ decision: z.literal('approve'), days: z.optional(z.number().check(z.int(), z.gte(1), z.lte(3650))), comment: z.optional(multilineText(500)) }),
      z.strictObject({ decision: z.literal('reject'), reason: multilineText(500) }),
    ]),
  }),
);
export const revokeGrant = /* @__PURE__ */ defineRoute(
  {
    operationId: 'revokeGrant',
    method: 'POST',
    path: '/officers/{officerId}/file/grants/{grantId}/revoke',
    group: 'grants',
    summary: '撤销查阅授权',
    auth: true,
    scope: 'file',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'grant.revoke', objectType: 'grant', objectId: (i) => String(i.params.grantId) },
  },
  () => ({ params: grantParams(), body: z.strictObject({ reason: multilineText(500) }) }),
);
export const myGrants = /* @__PURE__ */ defineRoute({
  operationId: 'myGrants',
  method: 'GET',
  path: '/me/grants',
  group: 'grants',
  summary: '我的查阅授权',
  auth: true,
  scope: 'none',
  audit: { by: 'pipeline', action: 'grant.listMine', objectType: 'grant', objectId: (i) => i.principal.userId },
});

// ---- rules as data -------------------------------------------------------------------------
const ruleParameterValue = /* @__PURE__ */ lazy(() => {
  const scalar = z.union([text(200, 0), z.number(), z.boolean(), z.null()]);
  const shallow = z.union([scalar, z.array(scalar).check(z.maxLength(100)), z.record(z.string().check(z.maxLength(64)), scalar)]);
  // one level deeper for grouped parameters such as a clock's escalation ladder ({ warnWithin: { value, unit } });
  // the rule's own schema (shared/rules/catalog.ts) then decides what is allowed
  return z.union([shallow, z.record(z.string().check(z.maxLength(64)), shallow)]);
});
const ruleParams = /* @__PURE__ */ lazy(() => z.strictObject({ ruleId: z.enum(RULE_IDS) }));
export const listRules = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listRules',
    method: 'GET',
    path: '/rules',
    group: 'rules',
    summary: '本机关现行规则版本',
    auth: true,
    scope: 'agency',
    audit: { by: 'pipeline', action: 'rule.list', objectType: 'rule', objectId: () => '*' },
  },
  () => ({ query: z.strictObject({ on: z.optional(isoDate()) }) }),
);
export const listRuleVersions = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listRuleVersions',
    method: 'GET',
    path: '/rules/{ruleId}/versions',
    group: 'rules',
    summary: '规则的全部版本',
    auth: true,
    scope: 'agency',
    audit: { by: 'pipeline', action: 'rule.read', objectType: 'rule', objectId: (i) => String(i.params.ruleId) },
  },
  () => ({ params: ruleParams() }),
);
export const publishRuleVersion = /* @__PURE__ */ defineRoute(
  {
    operationId: 'publishRuleVersion',
    method: 'POST',
    path: '/rules/{ruleId}/versions',
    group: 'rules',
    summary: '发布本机关的规则版本',
    auth: true,
    scope: 'agency',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'rule.publish', objectType: 'rule', objectId: (i) => String(i.params.ruleId) },
  },
  () => ({
    params: ruleParams(),
    body: z.strictObject({
      effectiveFrom: isoDate(),
      effectiveTo: z.optional(isoDate()),
      title: z.optional(text(200)),
      note: multilineText(1000),
      // checked against the rule's own schema (ruleParameterSchemas) by the handler, with field paths;
      // rule parameters are at most two levels deep (scalars, lists, objects of those): nothing deeper gets in
      parameters: z.record(z.string().check(z.maxLength(64)), ruleParameterValue()),
      source: z.strictObject({ document: text(200), article: text(100) }),
    }),
  }),
);

// ---- audit ---------------------------------------------------------------------------------
/** agencyId: the audited agency, the caller's own by default or one below it (a superior's auditor audits read-only) */
const auditedAgency = () => z.optional(id());
const auditQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    agencyId: auditedAgency(),
    date: z.optional(isoDate()),
    objectType: z.optional(z.enum(['file', 'entry', 'grant', 'rule', 'officer', 'agency', 'attachment', 'qualification', 'audit', 'process', 'notification', 'calendar', 'case', 'evidence'])),
    objectId: z.optional(text(64)),
    actor: z.optional(text(128)),
    outcome: z.optional(z.enum(['allowed', 'denied', 'notFound', 'failed'])),
    limit: pageLimit(100, 1000),
    cursor: cursor(),
  }),
);
export const queryAudit = /* @__PURE__ */ defineRoute(
  {
    operationId: 'queryAudit',
    method: 'GET',
    path: '/audit',
    group: 'audit',
    summary: '查询审计记录',
    auth: true,
    scope: 'agency',
    audit: { by: 'pipeline', action: 'audit.read', objectType: 'audit', objectId: (i) => String(i.query.agencyId ?? i.principal.agencyId) },
  },
  () => ({ query: auditQuery() }),
);
export const exportAudit = /* @__PURE__ */ defineRoute(
  {
    operationId: 'exportAudit',
    method: 'GET',
    path: '/audit/export.csv',
    group: 'audit',
    summary: '导出审计记录（CSV）',
    auth: true,
    scope: 'agency',
    produces: 'text/csv; charset=utf-8',
    audit: { by: 'pipeline', action: 'audit.export', objectType: 'audit', objectId: (i) => String(i.query.agencyId ?? i.principal.agencyId) },
  },
  () => ({ query: z.omit(auditQuery(), { limit: true, cursor: true }) }),
);
export const verifyAudit = /* @__PURE__ */ defineRoute(
  {
    operationId: 'verifyAudit',
    method: 'GET',
    path: '/audit/verify',
    group: 'audit',
    summary: '校验审计哈希链',
    auth: true,
    scope: 'agency',
    audit: { by: 'pipeline', action: 'audit.verify', objectType: 'audit', objectId: (i) => String(i.query.agencyId ?? i.principal.agencyId) },
  },
  () => ({ query: z.strictObject({ agencyId: auditedAgency() }) }),
);
/**
 * The caller's own agency's audit shard count (docs/scale.md): read and raised by its 系统管理员 only.
 * The agency is the token's, never a parameter. No If-Match: the count only grows, and the write is
 * conditional on the version read, so a repeated or concurrent raise cannot lower or lose anything.
 */
export const getAuditShards = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getAuditShards',
    method: 'GET',
    path: '/audit/shards',
    group: 'audit',
    summary: '本机关审计哈希链分片数',
    auth: true,
    scope: 'agency',
    audit: { by: 'pipeline', action: 'auditShards.read', objectType: 'audit', objectId: (i) => i.principal.agencyId },
  },
  () => ({ query: noQuery() }),
);
export const raiseAuditShards = /* @__PURE__ */ defineRoute(
  {
    operationId: 'raiseAuditShards',
    method: 'PUT',
    path: '/audit/shards',
    group: 'audit',
    summary: '增加本机关审计哈希链分片数（只增不减）',
    auth: true,
    scope: 'agency',
    audit: { by: 'useCase', action: 'auditShards.raise', objectType: 'audit', objectId: (i) => i.principal.agencyId },
  },
  () => ({ body: z.strictObject({ shards: z.number().check(z.int(), z.gte(1), z.lte(MAX_AUDIT_SHARDS)), reason: text(200, 2) }) }),
);

// built in a function marked pure: a function that does not read the list leaves the other groups' contracts out of its bundle
export const ROUTES: RouteContract[] = /* @__PURE__ */ (() =>
  [
    health,
    openapi,
    me,
    createAgency,
    listAgencies,
    createUnit,
    listUnits,
    listOfficers,
    createOfficer,
    getOfficer,
    listQualifications,
    issueQualification,
    recordQualificationEvent,
    getFile,
    listEntries,
    getEntry,
    verifyFile,
    listDrafts,
    createDraft,
    createHandover,
    getDraft,
    updateDraft,
    submitDraft,
    reviewDraft,
    acknowledgeDraft,
    archiveDraft,
    transferFile,
    reviewQueue,
    createAttachment,
    getAttachment,
    verifyAttachment,
    requestGrant,
    listGrants,
    decideGrant,
    revokeGrant,
    myGrants,
    listRules,
    listRuleVersions,
    publishRuleVersion,
    queryAudit,
    exportAudit,
    verifyAudit,
    getAuditShards,
    raiseAuditShards,
    ...PROCESS_ROUTES,
    ...CASE_ROUTES,
    ...EVIDENCE_ROUTES,
    ...PRESERVATION_ROUTES,
  ] as RouteContract[])();
