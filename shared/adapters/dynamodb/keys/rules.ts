/**
 * The key of a published rule version (docs/data-model.md §3 "Rules and calendar"): every version of
 * a rule under `RULE#<rule>`, by jurisdiction and effective date. The one place these strings are
 * built (test/unit/keys.test.ts keeps it so).
 */

export const rulePartition = (ruleId: string) => `RULE#${ruleId}`;
export const RULE_VERSION_SK_PREFIX = 'V#';
export const ruleVersionKey = (v: { ruleId: string; jurisdiction: string; effectiveFrom: string; versionId: string }) => ({
  pk: rulePartition(v.ruleId),
  sk: `${RULE_VERSION_SK_PREFIX}${v.jurisdiction}#${v.effectiveFrom}#${v.versionId}`,
});
