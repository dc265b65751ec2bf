import * as z from 'zod/mini';
import { defineRoute, type RouteGroup } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { id, isoDate, text } from '../kernel/schemas.ts';

/**
 * Read-only routes of the evidence jobs (issue 4): a closed case's preservation package (BagIt, the
 * 四性检测 report) and its export for a court, review body or archives office (D5), an item's
 * fixity history, an agency's D8 spot-check ledger. Served by functions/http/preservation.ts; to be
 * listed in shared/api/routes.ts ROUTES.
 */
// until shared/http/contract.ts RouteGroup lists 'preservation' (then the cast can go)
const group = 'preservation' satisfies RouteGroup;
const caseParams = /* @__PURE__ */ lazy(() => z.strictObject({ caseId: id() }));

export const getCasePackage = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getCasePackage',
    method: 'GET',
    path: '/cases/{caseId}/package',
    group,
    summary: '结案案卷信息包（BagIt 清单摘要、Payload-Oxum、四性检测报告）',
    auth: true,
    scope: 'case',
    audit: { by: 'useCase', action: 'case.readPackage' },
  },
  () => ({ params: caseParams() }),
);
export const exportCasePackage = /* @__PURE__ */ defineRoute(
  {
    operationId: 'exportCasePackage',
    method: 'GET',
    path: '/cases/{caseId}/package/export',
    group,
    summary: '向人民法院、复议机关或档案馆提供案卷信息包（每个文件的短时预签名地址，法制部门统一办理，D5）',
    auth: true,
    scope: 'case',
    audit: { by: 'useCase', action: 'case.exportPackage' },
  },
  () => ({ params: caseParams(), query: z.strictObject({ recipient: text(200), purpose: text(500) }) }),
);
export const evidenceFixity = /* @__PURE__ */ defineRoute(
  {
    operationId: 'evidenceFixity',
    method: 'GET',
    path: '/evidence/{evidenceId}/fixity',
    group,
    summary: '原始声像资料的定期固定性校验记录（SHA-256、SM3）',
    auth: true,
    scope: 'evidence',
    audit: { by: 'useCase', action: 'evidence.fixityHistory' },
  },
  () => ({ params: z.strictObject({ evidenceId: id() }) }),
);
export const spotCheckLedger = /* @__PURE__ */ defineRoute(
  {
    operationId: 'spotCheckLedger',
    method: 'GET',
    path: '/agencies/{agencyId}/spot-checks',
    group,
    summary: '声像资料抽检台帐（D8，按日）',
    auth: true,
    scope: 'agency',
    audit: { by: 'useCase', action: 'evidence.spotCheckLedger' },
  },
  () => ({ params: z.strictObject({ agencyId: id() }), query: z.strictObject({ date: isoDate() }) }),
);

export const PRESERVATION_ROUTES = [getCasePackage, exportCasePackage, evidenceFixity, spotCheckLedger];
