import * as z from 'zod/mini';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { isoDate, multilineText, text } from '../kernel/schemas.ts';
import { RULE_IDS } from '../rules/catalog.ts';

/** Routes of rules as versioned data; listed in shared/api/routes.ts ROUTES. */
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
