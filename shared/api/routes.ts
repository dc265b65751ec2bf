import * as z from 'zod';
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
const officerParams = lazy(() => z.object({ officerId: id() }).strict());
const draftParams = lazy(() => officerParams().extend({ entryId: id() }).strict());
const grantParams = lazy(() => officerParams().extend({ grantId: id() }).strict());
const qualParams = lazy(() => officerParams().extend({ qualificationId: id() }).strict());
const attParams = lazy(() => officerParams().extend({ attachmentId: id() }).strict());
const agencyParams = lazy(() => z.object({ agencyId: id() }).strict());
const noQuery = lazy(() => z.object({}).strict());

export const agencyKinds = ['cityBureau', 'districtBureau', 'procuratorate', 'enforcementBureau'] as const;
export const employmentKinds = ['civilServant', 'publicInstitution', 'contract', 'temporary', 'seconded'] as const;
export const ENTRY_STATE_FILTER = ['draft', 'underReview', 'approved', 'notified', 'acknowledged', 'archived', 'rejected'] as const;

// ---- system ---------------------------------------------------------------------------------
export const health = defineRoute({ operationId: 'health', method: 'GET', path: '/health', group: 'system', summary: '健康检查', auth: false, scope: 'none' });
export const openapi = defineRoute({ operationId: 'openapi', method: 'GET', path: '/openapi.json', group: 'system', summary: 'OpenAPI 3.1 接口文档', auth: false, scope: 'none' });
export const me = defineRoute({ operationId: 'me', method: 'GET', path: '/me', group: 'system', summary: '当前用户身份与角色', auth: true, scope: 'none' });

// ---- organisation (agencies, units, officers, qualifications) ---------------------------------
export const createAgency = defineRoute(
  { operationId: 'createAgency', method: 'POST', path: '/agencies', group: 'org', summary: '新建机关', auth: true, scope: 'global', idempotent: true, successStatus: 201 },
  () => ({ body: z.object({ name: text(100), kind: z.enum(agencyKinds), parentId: id().optional(), region: text(50).optional() }).strict() }),
);
export const listAgencies = defineRoute(
  { operationId: 'listAgencies', method: 'GET', path: '/agencies', group: 'org', summary: '机关树', auth: true, scope: 'global' },
  () => ({ query: noQuery() }),
);
export const createUnit = defineRoute(
  { operationId: 'createUnit', method: 'POST', path: '/agencies/{agencyId}/units', group: 'org', summary: '新建部门', auth: true, scope: 'agency', idempotent: true, successStatus: 201 },
  () => ({
    params: agencyParams(),
    body: z.object({ name: text(100), function: z.enum(['enforcement', 'political', 'discipline', 'legal', 'supervision', 'personnel', 'office', 'other']) }).strict(),
  }),
);
export const listUnits = defineRoute(
  { operationId: 'listUnits', method: 'GET', path: '/agencies/{agencyId}/units', group: 'org', summary: '机关的部门', auth: true, scope: 'agency' },
  () => ({ params: agencyParams() }),
);
export const listOfficers = defineRoute(
  { operationId: 'listOfficers', method: 'GET', path: '/agencies/{agencyId}/officers', group: 'org', summary: '机关的执法人员（按部门）', auth: true, scope: 'agency' },
  () => ({ params: agencyParams(), query: z.object({ unitId: id().optional() }).strict() }),
);
export const createOfficer = defineRoute(
  { operationId: 'createOfficer', method: 'POST', path: '/officers', group: 'org', summary: '登记执法人员', auth: true, scope: 'agency', idempotent: true, successStatus: 201 },
  () => ({ body: z.object({ name: text(50), staffNumber: text(32), agencyId: id(), unitId: id(), post: text(100), employment: z.enum(employmentKinds) }).strict() }),
);
export const getOfficer = defineRoute(
  { operationId: 'getOfficer', method: 'GET', path: '/officers/{officerId}', group: 'org', summary: '执法人员信息', auth: true, scope: 'file' },
  () => ({ params: officerParams() }),
);
export const listQualifications = defineRoute(
  { operationId: 'listQualifications', method: 'GET', path: '/officers/{officerId}/qualifications', group: 'org', summary: '执法证', auth: true, scope: 'file' },
  () => ({ params: officerParams() }),
);
export const issueQualification = defineRoute(
  { operationId: 'issueQualification', method: 'POST', path: '/officers/{officerId}/qualifications', group: 'org', summary: '核发执法证（同时建立执法档案，A5）', auth: true, scope: 'file', idempotent: true, successStatus: 201 },
  () => ({
    params: officerParams(),
    body: z.object({
      certificateNumber: text(64), certificateType: text(50), issuedOn: isoDate(), issuedBy: text(100),
      trainingCompleted: z.boolean(), examPassed: z.boolean(),
    }).strict(),
  }),
);
export const recordQualificationEvent = defineRoute(
  { operationId: 'recordQualificationEvent', method: 'POST', path: '/officers/{officerId}/qualifications/{qualificationId}/events', group: 'org', summary: '执法证年审、暂扣、发还、吊销（E2）', auth: true, scope: 'file', requiresIfMatch: true },
  () => ({
    params: qualParams(),
    body: z.discriminatedUnion('event', [
      z.object({ event: z.literal('inspected'), on: isoDate(), passed: z.boolean(), note: multilineText(500).optional() }).strict(),
      z.object({ event: z.literal('withdrawn'), on: isoDate(), reason: multilineText(500) }).strict(),
      z.object({ event: z.literal('restored'), on: isoDate(), note: multilineText(500).optional() }).strict(),
      z.object({ event: z.literal('revoked'), on: isoDate(), reason: z.enum(['criminalConviction', 'compulsoryDrugTreatment', 'repeatedWithdrawal', 'unlawfulConduct', 'incapacity', 'other']), note: multilineText(500).optional() }).strict(),
    ]),
  }),
);

// ---- the officer file ----------------------------------------------------------------------
export const getFile = defineRoute(
  { operationId: 'getFile', method: 'GET', path: '/officers/{officerId}/file', group: 'files', summary: '执法档案概况（保管、链头）', auth: true, scope: 'file' },
  () => ({ params: officerParams() }),
);
export const listEntries = defineRoute(
  { operationId: 'listEntries', method: 'GET', path: '/officers/{officerId}/file/entries', group: 'files', summary: '档案时间线（已归档条目，新在前）', auth: true, scope: 'file' },
  () => ({
    params: officerParams(),
    query: z.object({ category: z.enum([...ENTRY_CATEGORIES, 'custody']).optional(), from: isoDate().optional(), to: isoDate().optional(), limit: pageLimit(50, 500), cursor: cursor() }).strict()
      .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: '结束日期不得早于开始日期' }),
  }),
);
export const getEntry = defineRoute(
  { operationId: 'getEntry', method: 'GET', path: '/officers/{officerId}/file/entries/{seq}', group: 'files', summary: '已归档条目', auth: true, scope: 'file' },
  () => ({ params: officerParams().extend({ seq: z.coerce.number().int().positive().max(1e9) }).strict() }),
);
export const verifyFile = defineRoute(
  { operationId: 'verifyFile', method: 'GET', path: '/officers/{officerId}/file/verify', group: 'files', summary: '校验档案哈希链', auth: true, scope: 'file' },
  () => ({ params: officerParams() }),
);
export const listDrafts = defineRoute(
  { operationId: 'listDrafts', method: 'GET', path: '/officers/{officerId}/file/drafts', group: 'files', summary: '记录流程中的条目', auth: true, scope: 'file' },
  () => ({ params: officerParams(), query: z.object({ state: z.enum(ENTRY_STATE_FILTER).optional() }).strict() }),
);
export const createDraft = defineRoute(
  { operationId: 'createDraft', method: 'POST', path: '/officers/{officerId}/file/drafts', group: 'files', summary: '起草档案条目（A6）', auth: true, scope: 'file', idempotent: true, successStatus: 201 },
  () => ({ params: officerParams(), body: draftBodySchema() }),
);
export const createHandover = defineRoute(
  { operationId: 'createHandover', method: 'POST', path: '/officers/{officerId}/file/handovers', group: 'files', summary: '其他部门移交材料（A7）', auth: true, scope: 'file', idempotent: true, successStatus: 201 },
  () => ({ params: officerParams(), body: z.object({ entry: draftBodySchema(), handover: handoverSchema() }).strict() }),
);
export const getDraft = defineRoute(
  { operationId: 'getDraft', method: 'GET', path: '/officers/{officerId}/file/drafts/{entryId}', group: 'files', summary: '流程中的条目', auth: true, scope: 'file' },
  () => ({ params: draftParams() }),
);
export const updateDraft = defineRoute(
  { operationId: 'updateDraft', method: 'PUT', path: '/officers/{officerId}/file/drafts/{entryId}', group: 'files', summary: '修改草稿', auth: true, scope: 'file', requiresIfMatch: true },
  () => ({ params: draftParams(), body: draftBodySchema() }),
);
const transition = <B extends z.ZodType>(operationId: string, action: string, summary: string, body?: () => B) =>
  defineRoute(
    { operationId, method: 'POST', path: `/officers/{officerId}/file/drafts/{entryId}/${action}`, group: 'files', summary, auth: true, scope: 'file', requiresIfMatch: true },
    () => ({ params: draftParams(), ...(body ? { body: body() } : {}) }),
  );
export const submitDraft = transition('submitDraft', 'submit', '提交部门负责人审核');
export const reviewDraft = transition('reviewDraft', 'review', '部门负责人审核（通过/退回）', () =>
  z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('approve'), comment: multilineText(1000).optional() }).strict(),
    z.object({ decision: z.literal('reject'), reason: multilineText(1000) }).strict(),
  ]));
export const acknowledgeDraft = transition('acknowledgeDraft', 'acknowledge', '本人知悉结论性材料（A6）', () => z.object({ comment: multilineText(1000).optional() }).strict());
export const archiveDraft = transition('archiveDraft', 'archive', '记录员录入档案（不可更改）');
export const transferFile = defineRoute(
  { operationId: 'transferFile', method: 'POST', path: '/officers/{officerId}/file/transfers', group: 'files', summary: '调动或离开执法岗位：档随人走（A5）', auth: true, scope: 'file', idempotent: true, successStatus: 201 },
  () => ({
    params: officerParams(),
    body: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('transfer'), toAgencyId: id(), toUnitId: id(), effectiveOn: isoDate(), reason: multilineText(500), newPost: text(100).optional() }).strict(),
      z.object({ kind: z.literal('leaveEnforcement'), effectiveOn: isoDate(), reason: multilineText(500) }).strict(),
    ]),
  }),
);
export const reviewQueue = defineRoute(
  { operationId: 'reviewQueue', method: 'GET', path: '/units/{unitId}/queue', group: 'files', summary: '部门待办（待审核/待录入）', auth: true, scope: 'agency' },
  () => ({
    params: z.object({ unitId: id() }).strict(),
    query: z.object({ state: z.enum(['underReview', 'approved', 'acknowledged', 'notified']).default('underReview') }).strict(),
  }),
);

// ---- attachments ---------------------------------------------------------------------------
export const MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024;
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/ofd', 'text/plain'] as const;
export const createAttachment = defineRoute(
  { operationId: 'createAttachment', method: 'POST', path: '/officers/{officerId}/file/attachments', group: 'attachments', summary: '申请附件直传地址（预签名，带 SHA-256）', auth: true, scope: 'file', idempotent: true, successStatus: 201 },
  () => ({
    params: officerParams(),
    body: z.object({
      fileName: fileName(),
      contentType: z.enum(ATTACHMENT_TYPES),
      size: z.number().int().min(0).max(MAX_ATTACHMENT_BYTES),
      sha256: sha256(),
    }).strict(),
  }),
);
export const getAttachment = defineRoute(
  { operationId: 'getAttachment', method: 'GET', path: '/officers/{officerId}/file/attachments/{attachmentId}', group: 'attachments', summary: '附件信息与下载地址', auth: true, scope: 'file' },
  () => ({ params: attParams() }),
);
export const verifyAttachment = defineRoute(
  { operationId: 'verifyAttachment', method: 'POST', path: '/officers/{officerId}/file/attachments/{attachmentId}/verify', group: 'attachments', summary: '上传完成后校验哈希', auth: true, scope: 'file' },
  () => ({ params: attParams() }),
);

// ---- access grants (A8) --------------------------------------------------------------------
export const requestGrant = defineRoute(
  { operationId: 'requestGrant', method: 'POST', path: '/officers/{officerId}/file/grants', group: 'grants', summary: '申请查阅授权（说明用途）', auth: true, scope: 'file', idempotent: true, successStatus: 201 },
  () => ({
    params: officerParams(),
    body: z.object({ purpose: text(500, 4), actions: z.array(z.enum(GRANTABLE_ACTIONS)).min(1).max(GRANTABLE_ACTIONS.length), days: z.number().int().min(1).max(3650) }).strict(),
  }),
);
export const listGrants = defineRoute(
  { operationId: 'listGrants', method: 'GET', path: '/officers/{officerId}/file/grants', group: 'grants', summary: '档案的查阅授权', auth: true, scope: 'file' },
  () => ({ params: officerParams() }),
);
export const decideGrant = defineRoute(
  { operationId: 'decideGrant', method: 'POST', path: '/officers/{officerId}/file/grants/{grantId}/decision', group: 'grants', summary: '审批查阅授权', auth: true, scope: 'file', requiresIfMatch: true },
  () => ({
    params: grantParams(),
    body: z.discriminatedUnion('decision', [
      z.object({ decision: z.literal('approve'), days: z.number().int().min(1).max(3650).optional(), comment: multilineText(500).optional() }).strict(),
      z.object({ decision: z.literal('reject'), reason: multilineText(500) }).strict(),
    ]),
  }),
);
export const revokeGrant = defineRoute(
  { operationId: 'revokeGrant', method: 'POST', path: '/officers/{officerId}/file/grants/{grantId}/revoke', group: 'grants', summary: '撤销查阅授权', auth: true, scope: 'file', requiresIfMatch: true },
  () => ({ params: grantParams(), body: z.object({ reason: multilineText(500) }).strict() }),
);
export const myGrants = defineRoute({ operationId: 'myGrants', method: 'GET', path: '/me/grants', group: 'grants', summary: '我的查阅授权', auth: true, scope: 'none' });

// ---- rules as data -------------------------------------------------------------------------
const ruleParameterValue = lazy(() => {
  const scalar = z.union([text(200, 0), z.number(), z.boolean(), z.null()]);
  return z.union([scalar, z.array(scalar).max(100), z.record(z.string().max(64), scalar)]);
});
const ruleParams = lazy(() => z.object({ ruleId: z.enum(RULE_IDS) }).strict());
export const listRules = defineRoute(
  { operationId: 'listRules', method: 'GET', path: '/rules', group: 'rules', summary: '本机关现行规则版本', auth: true, scope: 'agency' },
  () => ({ query: z.object({ on: isoDate().optional() }).strict() }),
);
export const listRuleVersions = defineRoute(
  { operationId: 'listRuleVersions', method: 'GET', path: '/rules/{ruleId}/versions', group: 'rules', summary: '规则的全部版本', auth: true, scope: 'agency' },
  () => ({ params: ruleParams() }),
);
export const publishRuleVersion = defineRoute(
  { operationId: 'publishRuleVersion', method: 'POST', path: '/rules/{ruleId}/versions', group: 'rules', summary: '发布本机关的规则版本', auth: true, scope: 'agency', idempotent: true, successStatus: 201 },
  () => ({
    params: ruleParams(),
    body: z.object({
      effectiveFrom: isoDate(), effectiveTo: isoDate().optional(), title: text(200).optional(), note: multilineText(1000),
      // checked against the rule's own schema (ruleParameterSchemas) by the handler, with field paths;
      // rule parameters are shallow (scalars, lists and small objects of scalars): nothing deeper gets in
      parameters: z.record(z.string().max(64), ruleParameterValue()),
      source: z.object({ document: text(200), article: text(100) }).strict(),
    }).strict(),
  }),
);

// ---- audit ---------------------------------------------------------------------------------
/** agencyId: the audited agency, the caller's own by default or one below it (a superior's auditor audits read-only) */
const auditedAgency = () => id().optional();
const auditQuery = lazy(() => z.object({
  agencyId: auditedAgency(), date: isoDate().optional(), objectType: z.enum(['file', 'entry', 'grant', 'rule', 'officer', 'agency', 'attachment', 'qualification', 'audit', 'process', 'notification', 'calendar', 'case', 'evidence']).optional(),
  objectId: text(64).optional(), actor: text(128).optional(), outcome: z.enum(['allowed', 'denied', 'notFound', 'failed']).optional(),
  limit: pageLimit(100, 1000), cursor: cursor(),
}).strict());
export const queryAudit = defineRoute(
  { operationId: 'queryAudit', method: 'GET', path: '/audit', group: 'audit', summary: '查询审计记录', auth: true, scope: 'agency' },
  () => ({ query: auditQuery() }),
);
export const exportAudit = defineRoute(
  { operationId: 'exportAudit', method: 'GET', path: '/audit/export.csv', group: 'audit', summary: '导出审计记录（CSV）', auth: true, scope: 'agency', produces: 'text/csv; charset=utf-8' },
  () => ({ query: auditQuery().omit({ limit: true, cursor: true }) }),
);
export const verifyAudit = defineRoute(
  { operationId: 'verifyAudit', method: 'GET', path: '/audit/verify', group: 'audit', summary: '校验审计哈希链', auth: true, scope: 'agency' },
  () => ({ query: z.object({ agencyId: auditedAgency() }).strict() }),
);
/**
 * The caller's own agency's audit shard count (docs/scale.md): read and raised by its 系统管理员 only.
 * The agency is the token's, never a parameter. No If-Match: the count only grows, and the write is
 * conditional on the version read, so a repeated or concurrent raise cannot lower or lose anything.
 */
export const getAuditShards = defineRoute(
  { operationId: 'getAuditShards', method: 'GET', path: '/audit/shards', group: 'audit', summary: '本机关审计哈希链分片数', auth: true, scope: 'agency' },
  () => ({ query: noQuery() }),
);
export const raiseAuditShards = defineRoute(
  { operationId: 'raiseAuditShards', method: 'PUT', path: '/audit/shards', group: 'audit', summary: '增加本机关审计哈希链分片数（只增不减）', auth: true, scope: 'agency' },
  () => ({ body: z.object({ shards: z.number().int().min(1).max(MAX_AUDIT_SHARDS), reason: text(200, 2) }).strict() }),
);

export const ROUTES: RouteContract[] = [
  health, openapi, me,
  createAgency, listAgencies, createUnit, listUnits, listOfficers, createOfficer, getOfficer, listQualifications, issueQualification, recordQualificationEvent,
  getFile, listEntries, getEntry, verifyFile, listDrafts, createDraft, createHandover, getDraft, updateDraft,
  submitDraft, reviewDraft, acknowledgeDraft, archiveDraft, transferFile, reviewQueue,
  createAttachment, getAttachment, verifyAttachment,
  requestGrant, listGrants, decideGrant, revokeGrant, myGrants,
  listRules, listRuleVersions, publishRuleVersion,
  queryAudit, exportAudit, verifyAudit, getAuditShards, raiseAuditShards,
  ...PROCESS_ROUTES,
  ...CASE_ROUTES,
  ...EVIDENCE_ROUTES,
  ...PRESERVATION_ROUTES,
] as RouteContract[];
