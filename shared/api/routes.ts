import { defineRoute, type RouteContract } from '../http/contract.ts';
import { PROCESS_ROUTES } from './process-routes.ts';
import { CASE_ROUTES } from './case-routes.ts';
import { EVIDENCE_ROUTES } from './evidence-routes.ts';
import { PRESERVATION_ROUTES } from './preservation-routes.ts';
import { createAgency, createOfficer, createUnit, getOfficer, issueQualification, listAgencies, listOfficers, listQualifications, listUnits, recordQualificationEvent } from './org-routes.ts';
import {
  acknowledgeDraft,
  archiveDraft,
  createDraft,
  createHandover,
  getDraft,
  getEntry,
  getFile,
  listDrafts,
  listEntries,
  reviewDraft,
  reviewQueue,
  submitDraft,
  transferFile,
  updateDraft,
  verifyFile,
} from './file-routes.ts';
import { createAttachment, getAttachment, verifyAttachment } from './attachment-routes.ts';
import { decideGrant, listGrants, myGrants, requestGrant, revokeGrant } from './grant-routes.ts';
import { listRules, listRuleVersions, publishRuleVersion } from './rule-routes.ts';
import { exportAudit, getAuditShards, queryAudit, raiseAuditShards, verifyAudit } from './audit-routes.ts';

/**
 * Every HTTP route of the product. CDK (infra/aws), the local router (infra/local), the OpenAPI
 * document and the authorisation-matrix test all read this list; a route missing here does not exist.
 * Schemas sit in thunks: they are built when a request first needs them (see defineRoute).
 * Each route group's contracts live in their own module (org-routes.ts, file-routes.ts, …) and are
 * exported from here too; a new route goes in its group's module and in ROUTES below.
 */
// ---- system ---------------------------------------------------------------------------------
export const health = /* @__PURE__ */ defineRoute({ operationId: 'health', method: 'GET', path: '/health', group: 'system', summary: '健康检查', auth: false, scope: 'none' });
export const openapi = /* @__PURE__ */ defineRoute({ operationId: 'openapi', method: 'GET', path: '/openapi.json', group: 'system', summary: 'OpenAPI 3.1 接口文档', auth: false, scope: 'none' });
export const me = /* @__PURE__ */ defineRoute({ operationId: 'me', method: 'GET', path: '/me', group: 'system', summary: '当前用户身份与角色', auth: true, scope: 'none' });

export * from './org-routes.ts';
export * from './file-routes.ts';
export * from './attachment-routes.ts';
export * from './grant-routes.ts';
export * from './rule-routes.ts';
export * from './audit-routes.ts';

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
