import * as z from 'zod/mini';
import { MAX_AUDIT_SHARDS } from '../audit/shard-setting.ts';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { cursor, id, isoDate, pageLimit, text } from '../kernel/schemas.ts';
import { noQuery } from './route-params.ts';

/** Routes of the audit trail; listed in shared/api/routes.ts ROUTES. */
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
