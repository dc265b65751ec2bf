import * as z from 'zod/mini';
import { draftBodySchema, handoverSchema } from '../archive/entry-types.ts';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { cursor, id, isoDate, multilineText, pageLimit, text } from '../kernel/schemas.ts';
import { ENTRY_CATEGORIES } from '../rules/catalog.ts';
import { officerParams } from './route-params.ts';

/** Routes of the officer file (一人一档): timeline, drafts and their review, transfers; listed in shared/api/routes.ts ROUTES. */
const draftParams = /* @__PURE__ */ lazy(() => z.extend(officerParams(), { entryId: id() }));

export const ENTRY_STATE_FILTER = ['draft', 'underReview', 'approved', 'notified', 'acknowledged', 'archived', 'rejected'] as const;

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
