import * as r from '#shared/api/routes.ts';
import { requirePermission } from '#shared/access/permission.ts';
import { commit } from '#shared/adapters/dynamodb/commit.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind, idempotencyOf } from '#shared/http/handler.ts';
import { shanghaiDate, nowIso, systemClock } from '#shared/kernel/clock.ts';
import { validationError, type FieldIssue } from '#shared/kernel/errors.ts';
import { newId } from '#shared/kernel/ids.ts';
import { DEFAULT_RULES, RULE_IDS, ruleParameterSchemas, type RuleVersionRecord } from '#shared/rules/catalog.ts';
import { forgetRuleCache, publishedVersions, ruleInForce, ruleVersionItem } from '#shared/rules/store.ts';
import { getAgency } from '#shared/org/store.ts';

/** Rules as versioned data: what is in force for the caller's agency, all versions, publishing. */

export const handler = auditedHttpGroup([
  bind(r.listRules, async ({ query, ctx }) => {
    const agency = await getAgency(ctx.principal.agencyId);
    const on = query.on ?? shanghaiDate(systemClock.now());
    const items = await Promise.all(RULE_IDS.map((id) => ruleInForce(id, [agency.agencyId, ...agency.ancestors], on)));
    return { body: { on, items }, audit: { objectAgencyId: agency.agencyId } };
  }),
  bind(r.listRuleVersions, async ({ params, ctx }) => {
    const agency = await getAgency(ctx.principal.agencyId);
    const mine = new Set(['default', agency.agencyId, ...agency.ancestors]);
    const items = [DEFAULT_RULES[params.ruleId], ...(await publishedVersions(params.ruleId)).filter((v) => mine.has(v.jurisdiction))];
    return { body: { items }, audit: { objectAgencyId: agency.agencyId } };
  }),
  bind(r.publishRuleVersion, async ({ params, body, ctx }) => {
    await requirePermission(ctx, 'rules.publish', { objectType: 'rule', objectId: params.ruleId, objectAgencyId: ctx.principal.agencyId });
    const parsed = ruleParameterSchemas()[params.ruleId].safeParse(body.parameters);
    if (!parsed.success) {
      const issues: FieldIssue[] = parsed.error.issues.map((i) => ({ path: ['body', 'parameters', ...i.path.map(String)].join('.'), message: i.message, code: i.code }));
      throw validationError('rule.invalidParameters', `规则 ${params.ruleId} 的参数不合法`, issues);
    }
    if (body.effectiveTo && body.effectiveTo <= body.effectiveFrom) {
      throw validationError('rule.invalidPeriod', '失效日期须晚于生效日期', [{ path: 'body.effectiveTo', message: '须晚于 effectiveFrom' }]);
    }
    const v: RuleVersionRecord = {
      ruleId: params.ruleId,
      versionId: `${params.ruleId}-${ctx.principal.agencyId}-${newId()}`,
      jurisdiction: ctx.principal.agencyId,
      effectiveFrom: body.effectiveFrom,
      effectiveTo: body.effectiveTo,
      title: body.title ?? DEFAULT_RULES[params.ruleId].title,
      parameters: parsed.data as never,
      source: { seed: body.source.document, article: body.source.article, ref: `docs/rules.md ${params.ruleId}` },
      publishedAt: nowIso(systemClock),
      publishedBy: ctx.principal.userId,
      note: body.note,
    };
    await commit(
      ctx,
      [{ item: ruleVersionItem(v) }],
      [{ action: 'rule.publish', objectType: 'rule', objectId: v.versionId, objectAgencyId: ctx.principal.agencyId, outcome: 'allowed', reason: body.note }],
      { ...idempotencyOf(ctx, { params, body }), response: v },
    );
    forgetRuleCache(params.ruleId);
    return { body: v };
  }),
]);
