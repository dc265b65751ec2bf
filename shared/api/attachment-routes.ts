import * as z from 'zod/mini';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { fileName, id, sha256 } from '../kernel/schemas.ts';
import { officerParams } from './route-params.ts';

/** Routes of attachments of the officer file; listed in shared/api/routes.ts ROUTES. */
const attParams = /* @__PURE__ */ lazy(() => z.extend(officerParams(), { attachmentId: id() }));

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
