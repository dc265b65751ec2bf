import * as z from 'zod';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { fileName, id, isoDateTime, multilineText, sha256, text } from '../kernel/schemas.ts';
import { DERIVATIONS } from '../evidence/model.ts';
import { HOLD_REASONS, RECORDING_KINDS } from '../rules/catalog.ts';

/** Routes of audiovisual evidence (D1–D8); listed in shared/api/routes.ts ROUTES. */
const evidenceParams = lazy(() => z.object({ evidenceId: id() }).strict());
/** 50 GiB: a day of 4K body-camera footage stays well under it; S3's own limit is 5 TiB */
export const MAX_EVIDENCE_BYTES = 50 * 1024 ** 3;
const MEDIA_TYPE = /^(video|audio|image)\/[a-z0-9.+-]{1,60}$|^application\/(pdf|octet-stream)$/;

export const declareEvidence = defineRoute(
  { operationId: 'declareEvidence', method: 'POST', path: '/evidence', group: 'evidence', summary: '声明上传声像资料（返回直传对象存储的预签名地址）', auth: true, scope: 'agency', idempotent: true, successStatus: 201 },
  () => ({
    body: z.object({
      kind: z.enum(RECORDING_KINDS), title: text(200), fileName: fileName(),
      mediaType: z.string().regex(MEDIA_TYPE, '须为音视频、图片或 PDF 类型'),
      size: z.number().int().min(0).max(MAX_EVIDENCE_BYTES), sha256: sha256(),
      capture: z.object({ officerId: id(), deviceId: text(64), startedAt: isoDateTime(), endedAt: isoDateTime(), place: text(200) }).strict(),
      caseId: id().optional(),
      incident: z.enum(['massIncident', 'suddenIncident']).optional(),
      /** D2: required when the capture is older than its storage due time plus the late window */
      lateReason: multilineText(1000).optional(),
    }).strict(),
  }),
);
export const declareDerivedEvidence = defineRoute(
  { operationId: 'declareDerivedEvidence', method: 'POST', path: '/evidence/{evidenceId}/derived', group: 'evidence', summary: '登记衍生件（剪辑、遮蔽、转码；原件不变）', auth: true, scope: 'evidence', idempotent: true, successStatus: 201 },
  () => ({
    params: evidenceParams(),
    body: z.object({
      derivation: z.enum(DERIVATIONS), grantId: id(), title: text(200), fileName: fileName(),
      mediaType: z.string().regex(MEDIA_TYPE, '须为音视频、图片或 PDF 类型'), size: z.number().int().min(0).max(MAX_EVIDENCE_BYTES), sha256: sha256(),
    }).strict(),
  }),
);
export const getEvidence = defineRoute(
  { operationId: 'getEvidence', method: 'GET', path: '/evidence/{evidenceId}', group: 'evidence', summary: '声像资料记录（哈希、版本、保存期限、保存措施）', auth: true, scope: 'evidence' },
  () => ({ params: evidenceParams() }),
);
export const completeEvidenceUpload = defineRoute(
  { operationId: 'completeEvidenceUpload', method: 'POST', path: '/evidence/{evidenceId}/complete', group: 'evidence', summary: '完成分片上传', auth: true, scope: 'evidence' },
  () => ({
    params: evidenceParams(),
    body: z.object({ parts: z.array(z.object({ partNumber: z.number().int().min(1).max(10_000), etag: text(128) }).strict()).min(1).max(10_000) }).strict(),
  }),
);
export const evidenceUploadUrls = defineRoute(
  { operationId: 'evidenceUploadUrls', method: 'GET', path: '/evidence/{evidenceId}/upload', group: 'evidence', summary: '取得（其余或新的）上传预签名地址，每次至多 100 个分片', auth: true, scope: 'evidence' },
  () => ({ params: evidenceParams(), query: z.object({ from: z.coerce.number().int().min(1).max(10_000).default(1) }).strict() }),
);
export const placeEvidenceHold = defineRoute(
  { operationId: 'placeEvidenceHold', method: 'POST', path: '/evidence/{evidenceId}/holds', group: 'evidence', summary: '长期保存（争议、投诉、妨碍执法、群体性事件、重要情形，D4）', auth: true, scope: 'evidence', requiresIfMatch: true },
  () => ({ params: evidenceParams(), body: z.object({ reason: z.enum(HOLD_REASONS), note: multilineText(2000).optional() }).strict() }),
);
export const releaseEvidenceHold = defineRoute(
  { operationId: 'releaseEvidenceHold', method: 'POST', path: '/evidence/{evidenceId}/holds/{holdId}/release', group: 'evidence', summary: '解除长期保存措施（已开始的长期保存期限不变）', auth: true, scope: 'evidence', requiresIfMatch: true },
  () => ({ params: evidenceParams().extend({ holdId: id() }).strict(), body: z.object({ note: multilineText(2000) }).strict() }),
);
export const linkEvidenceToCase = defineRoute(
  { operationId: 'linkEvidenceToCase', method: 'POST', path: '/evidence/{evidenceId}/case', group: 'evidence', summary: '关联案件（保存期限随案卷）', auth: true, scope: 'evidence', requiresIfMatch: true },
  () => ({ params: evidenceParams(), body: z.object({ caseId: id() }).strict() }),
);

export const requestEvidenceView = defineRoute(
  { operationId: 'requestEvidenceView', method: 'POST', path: '/evidence/{evidenceId}/view-requests', group: 'evidence', summary: '申请查看、下载声像资料（须经批准，D6）', auth: true, scope: 'evidence', successStatus: 201 },
  () => ({ params: evidenceParams(), body: z.object({ purpose: text(500), scope: z.enum(['view', 'download']), days: z.number().int().min(1).max(366) }).strict() }),
);
export const decideEvidenceView = defineRoute(
  { operationId: 'decideEvidenceView', method: 'POST', path: '/evidence/{evidenceId}/view-requests/{requestId}/decision', group: 'evidence', summary: '审批查看申请（D6）', auth: true, scope: 'evidence', requiresIfMatch: true },
  () => ({ params: evidenceParams().extend({ requestId: id() }).strict(), body: z.object({ approve: z.boolean(), note: multilineText(2000).optional() }).strict() }),
);
export const evidenceContent = defineRoute(
  { operationId: 'evidenceContent', method: 'GET', path: '/evidence/{evidenceId}/content', group: 'evidence', summary: '凭有效授权取得该版本的短时预签名地址（每次查看均记审计）', auth: true, scope: 'evidence' },
  () => ({ params: evidenceParams(), query: z.object({ grantId: id(), download: z.enum(['true', 'false']).optional() }).strict() }),
);
export const produceEvidenceCopy = defineRoute(
  { operationId: 'produceEvidenceCopy', method: 'POST', path: '/evidence/{evidenceId}/copies', group: 'evidence', summary: '为复议、诉讼统一制作复制件并登记（D5）', auth: true, scope: 'evidence', successStatus: 201 },
  () => ({ params: evidenceParams(), body: z.object({ recipient: text(200), purpose: text(500), reference: text(200) }).strict() }),
);
export const listEvidenceCopies = defineRoute(
  { operationId: 'listEvidenceCopies', method: 'GET', path: '/evidence/{evidenceId}/copies', group: 'evidence', summary: '复制件登记簿', auth: true, scope: 'evidence' },
  () => ({ params: evidenceParams() }),
);
export const proposeEvidenceDisposition = defineRoute(
  { operationId: 'proposeEvidenceDisposition', method: 'POST', path: '/evidence/{evidenceId}/disposition', group: 'evidence', summary: '保存期限届满后申请销毁（须两名不同人员批准）', auth: true, scope: 'evidence', successStatus: 201 },
  () => ({ params: evidenceParams() }),
);
export const approveEvidenceDisposition = defineRoute(
  { operationId: 'approveEvidenceDisposition', method: 'POST', path: '/evidence/{evidenceId}/disposition/approvals', group: 'evidence', summary: '批准销毁（第二名不同审批人批准后由夜间作业执行）', auth: true, scope: 'evidence', requiresIfMatch: true },
  () => ({ params: evidenceParams() }),
);

export const officerRecordKeeping = defineRoute(
  { operationId: 'officerRecordKeeping', method: 'GET', path: '/officers/{officerId}/record-keeping', group: 'evidence', summary: '执法人员声像资料存储情况（当日存储、迟延存储，D2，计入年度考核）', auth: true, scope: 'file' },
  () => ({ params: z.object({ officerId: id() }).strict(), query: z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict() }),
);

export const EVIDENCE_ROUTES = [
  officerRecordKeeping,
  declareEvidence, declareDerivedEvidence, getEvidence, evidenceUploadUrls, completeEvidenceUpload, placeEvidenceHold, releaseEvidenceHold, linkEvidenceToCase,
  requestEvidenceView, decideEvidenceView, evidenceContent, produceEvidenceCopy, listEvidenceCopies, proposeEvidenceDisposition, approveEvidenceDisposition,
];
