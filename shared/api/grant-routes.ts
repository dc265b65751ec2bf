import * as z from 'zod/mini';
import { GRANTABLE_ACTIONS } from '../access/decide.ts';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { id, multilineText, text } from '../kernel/schemas.ts';
import { officerParams } from './route-params.ts';

/** Routes of access grants to an officer file (A8); listed in shared/api/routes.ts ROUTES. */
const grantParams = /* @__PURE__ */ lazy(() => z.extend(officerParams(), { grantId: id() }));

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
