import * as z from 'zod/mini';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { fileName, id, isoDateTime, multilineText, sha256, text } from '../kernel/schemas.ts';
import { DERIVATIONS } from '../evidence/model.ts';
import { HOLD_REASONS, RECORDING_KINDS } from '../rules/catalog.ts';

/** Routes of audiovisual evidence (D1–D8); listed in shared/api/routes.ts ROUTES. */
const evidenceParams = /* @__PURE__ */ lazy(() => z.strictObject({ evidenceId: id() }));
/** 50 GiB: a day of 4K body-camera footage stays well under it; S3's own limit is 5 TiB */
export const MAX_EVIDENCE_BYTES = 50 * 1024 ** 3;
const MEDIA_TYPE = /^(video|audio|image)\/[a-z0-9.+-]{1,60}$|^application\/(pdf|octet-stream)$/;

export const declareEvidence = /* @__PURE__ */ defineRoute(
  {
    operationId: 'declareEvidence',
    method: 'POST',
    path: '/evidence',
    group: 'evidence',
    summary: '声明上传声像资料（返回直传对象存储的预签名地址）',
    auth: true,
    scope: 'agency',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'evidence.declare', objectType: 'evidence', objectId: () => 'new' },
  },
  () => ({
    body: z.strictObject({
      kind: z.enum(RECORDING_KINDS),
      title: text(200),
      fileName: fileName(),
      mediaType: z.string().check(z.regex(MEDIA_TYPE, '须为音视频、图片或 PDF 类型')),
      size: z.number().check(z.int(), z.gte(0), z.lte(MAX_EVIDENCE_BYTES)),
      sha256: sha256(),
      capture: z.strictObject({ officerId: id(), deviceId: text(64), startedAt: isoDateTime(), endedAt: isoDateTime(), place: text(200) }),
      caseId: z.optional(id()),
      incident: z.optional(z.enum(['massIncident', 'suddenIncident'])),
      /** D2: required when the capture is older than its storage due time plus the late window */
      lateReason: z.optional(multilineText(1000)),
    }),
  }),
);
export const declareDerivedEvidence = /* @__PURE__ */ defineRoute(
  {
    operationId: 'declareDerivedEvidence',
    method: 'POST',
    path: '/evidence/{evidenceId}/derived',
    group: 'evidence',
    summary: '登记衍生件（剪辑、遮蔽、转码；原件不变）',
    auth: true,
    scope: 'evidence',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'evidence.derive' },
  },
  () => ({
    params: evidenceParams(),
    body: z.strictObject({
      derivation: z.enum(DERIVATIONS),
      grantId: id(),
      title: text(200),
      fileName: fileName(),
      mediaType: z.string().check(z.regex(MEDIA_TYPE, '须为音视频、图片或 PDF 类型')),
      size: z.number().check(z.int(), z.gte(0), z.lte(MAX_EVIDENCE_BYTES)),
      sha256: sha256(),
    }),
  }),
);
export const getEvidence = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getEvidence',
    method: 'GET',
    path: '/evidence/{evidenceId}',
    group: 'evidence',
    summary: '声像资料记录（哈希、版本、保存期限、保存措施）',
    auth: true,
    scope: 'evidence',
    audit: { by: 'pipeline', action: 'evidence.read' },
  },
  () => ({ params: evidenceParams() }),
);
export const completeEvidenceUpload = /* @__PURE__ */ defineRoute(
  {
    operationId: 'completeEvidenceUpload',
    method: 'POST',
    path: '/evidence/{evidenceId}/complete',
    group: 'evidence',
    summary: '完成分片上传',
    auth: true,
    scope: 'evidence',
    audit: { by: 'useCase', action: 'evidence.complete' },
  },
  () => ({
    params: evidenceParams(),
    body: z.strictObject({ parts: z.array(z.strictObject({ partNumber: z.number().check(z.int(), z.gte(1), z.lte(10_000)), etag: text(128) })).check(z.minLength(1), z.maxLength(10_000)) }),
  }),
);
export const evidenceUploadUrls = /* @__PURE__ */ defineRoute(
  {
    operationId: 'evidenceUploadUrls',
    method: 'GET',
    path: '/evidence/{evidenceId}/upload',
    group: 'evidence',
    summary: '取得（其余或新的）上传预签名地址，每次至多 100 个分片',
    auth: true,
    scope: 'evidence',
    audit: { by: 'useCase', action: 'evidence.uploadParts' },
  },
  () => ({ params: evidenceParams(), query: z.strictObject({ from: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(10_000)), 1) }) }),
);
export const placeEvidenceHold = /* @__PURE__ */ defineRoute(
  {
    operationId: 'placeEvidenceHold',
    method: 'POST',
    path: '/evidence/{evidenceId}/holds',
    group: 'evidence',
    summary: '长期保存（争议、投诉、妨碍执法、群体性事件、重要情形，D4）',
    auth: true,
    scope: 'evidence',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'evidence.hold' },
  },
  () => ({ params: evidenceParams(), body: z.strictObject({ reason: z.enum(HOLD_REASONS), note: z.optional(multilineText(2000)) }) }),
);
export const releaseEvidenceHold = /* @__PURE__ */ defineRoute(
  {
    operationId: 'releaseEvidenceHold',
    method: 'POST',
    path: '/evidence/{evidenceId}/holds/{holdId}/release',
    group: 'evidence',
    summary: '解除长期保存措施（已开始的长期保存期限不变）',
    auth: true,
    scope: 'evidence',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'evidence.releaseHold' },
  },
  () => ({ params: z.extend(evidenceParams(), { holdId: id() }), body: z.strictObject({ note: multilineText(2000) }) }),
);
export const linkEvidenceToCase = /* @__PURE__ */ defineRoute(
  {
    operationId: 'linkEvidenceToCase',
    method: 'POST',
    path: '/evidence/{evidenceId}/case',
    group: 'evidence',
    summary: '关联案件（保存期限随案卷）',
    auth: true,
    scope: 'evidence',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'evidence.link' },
  },
  () => ({ params: evidenceParams(), body: z.strictObject({ caseId: id() }) }),
);

export const requestEvidenceView = /* @__PURE__ */ defineRoute(
  {
    operationId: 'requestEvidenceView',
    method: 'POST',
    path: '/evidence/{evidenceId}/view-requests',
    group: 'evidence',
    summary: '申请查看、下载声像资料（须经批准，D6）',
    auth: true,
    scope: 'evidence',
    successStatus: 201,
    audit: { by: 'useCase', action: 'evidence.requestView' },
  },
  () => ({ params: evidenceParams(), body: z.strictObject({ purpose: text(500), scope: z.enum(['view', 'download']), days: z.number().check(z.int(), z.gte(1), z.lte(366)) }) }),
);
export const decideEvidenceView = /* @__PURE__ */ defineRoute(
  {
    operationId: 'decideEvidenceView',
    method: 'POST',
    path: '/evidence/{evidenceId}/view-requests/{requestId}/decision',
    group: 'evidence',
    summary: '审批查看申请（D6）',
    auth: true,
    scope: 'evidence',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'evidence.decideView' },
  },
  () => ({ params: z.extend(evidenceParams(), { requestId: id() }), body: z.strictObject({ approve: z.boolean(), note: z.optional(multilineText(2000)) }) }),
);
export const evidenceContent = /* @__PURE__ */ defineRoute(
  {
    operationId: 'evidenceContent',
    method: 'GET',
    path: '/evidence/{evidenceId}/content',
    group: 'evidence',
    summary: '凭有效授权取得该版本的短时预签名地址（每次查看均记审计）',
    auth: true,
    scope: 'evidence',
    audit: { by: 'useCase', action: 'evidence.view' },
  },
  () => ({ params: evidenceParams(), query: z.strictObject({ grantId: id(), download: z.optional(z.enum(['true', 'false'])) }) }),
);
export const produceEvidenceCopy = /* @__PURE__ */ defineRoute(
  {
    operationId: 'produceEvidenceCopy',
    method: 'POST',
    path: '/evidence/{evidenceId}/copies',
    group: 'evidence',
    summary: '为复议、诉讼统一制作复制件并登记（D5）',
    auth: true,
    scope: 'evidence',
    successStatus: 201,
    audit: { by: 'useCase', action: 'evidence.copy' },
  },
  () => ({ params: evidenceParams(), body: z.strictObject({ recipient: text(200), purpose: text(500), reference: text(200) }) }),
);
export const listEvidenceCopies = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listEvidenceCopies',
    method: 'GET',
    path: '/evidence/{evidenceId}/copies',
    group: 'evidence',
    summary: '复制件登记簿',
    auth: true,
    scope: 'evidence',
    audit: { by: 'useCase', action: 'evidence.copies' },
  },
  () => ({ params: evidenceParams() }),
);
export const proposeEvidenceDisposition = /* @__PURE__ */ defineRoute(
  {
    operationId: 'proposeEvidenceDisposition',
    method: 'POST',
    path: '/evidence/{evidenceId}/disposition',
    group: 'evidence',
    summary: '保存期限届满后申请销毁（须两名不同人员批准）',
    auth: true,
    scope: 'evidence',
    successStatus: 201,
    audit: { by: 'useCase', action: 'evidence.dispose' },
  },
  () => ({ params: evidenceParams() }),
);
export const approveEvidenceDisposition = /* @__PURE__ */ defineRoute(
  {
    operationId: 'approveEvidenceDisposition',
    method: 'POST',
    path: '/evidence/{evidenceId}/disposition/approvals',
    group: 'evidence',
    summary: '批准销毁（第二名不同审批人批准后由夜间作业执行）',
    auth: true,
    scope: 'evidence',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'evidence.approveDisposition' },
  },
  () => ({ params: evidenceParams() }),
);

export const officerRecordKeeping = /* @__PURE__ */ defineRoute(
  {
    operationId: 'officerRecordKeeping',
    method: 'GET',
    path: '/officers/{officerId}/record-keeping',
    group: 'evidence',
    summary: '执法人员声像资料存储情况（当日存储、迟延存储，D2，计入年度考核）',
    auth: true,
    scope: 'file',
    audit: { by: 'pipeline', action: 'file.recordKeeping' },
  },
  () => ({ params: z.strictObject({ officerId: id() }), query: z.strictObject({ year: z.coerce.number().check(z.int(), z.gte(2000), z.lte(2100)) }) }),
);

export const EVIDENCE_ROUTES = [
  officerRecordKeeping,
  declareEvidence,
  declareDerivedEvidence,
  getEvidence,
  evidenceUploadUrls,
  completeEvidenceUpload,
  placeEvidenceHold,
  releaseEvidenceHold,
  linkEvidenceToCase,
  requestEvidenceView,
  decideEvidenceView,
  evidenceContent,
  produceEvidenceCopy,
  listEvidenceCopies,
  proposeEvidenceDisposition,
  approveEvidenceDisposition,
];
