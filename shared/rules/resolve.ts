import { DEFAULT_JURISDICTION, DEFAULT_RULES, type ParameterisedRuleId, type RuleVersionRecord } from './catalog.ts';

/**
 * Which version of a rule is in force for an agency on a date: the nearest jurisdiction wins (the
 * agency itself, then its superiors, then the product default); within it, the latest version whose
 * effective period contains the date. Pure; the store feeds it the published versions.
 */
export const resolveRuleVersion = <R extends ParameterisedRuleId>(ruleId: R, published: readonly RuleVersionRecord[], jurisdictions: readonly string[], on: string): RuleVersionRecord<R> => {
  const all = [DEFAULT_RULES[ruleId] as RuleVersionRecord, ...published.filter((v) => v.ruleId === ruleId)];
  for (const j of [...jurisdictions, DEFAULT_JURISDICTION]) {
    const candidates = all
      .filter((v) => v.jurisdiction === j && v.effectiveFrom <= on && (!v.effectiveTo || on < v.effectiveTo))
      .sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? a.publishedAt.localeCompare(b.publishedAt) : a.effectiveFrom.localeCompare(b.effectiveFrom)));
    const found = candidates[candidates.length - 1];
    if (found) return found as RuleVersionRecord<R>;
  }
  return DEFAULT_RULES[ruleId] as RuleVersionRecord<R>;
};
