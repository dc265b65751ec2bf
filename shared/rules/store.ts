import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import { RULE_VERSION_SK_PREFIX, rulePartition, ruleVersionKey } from '../adapters/dynamodb/keys/rules.ts';
import type { ParameterisedRuleId, RuleVersionRecord } from './catalog.ts';
import { resolveRuleVersion } from './resolve.ts';

/**
 * The rules store: the product's shipped defaults (catalog.ts) plus the versions agencies publish,
 * kept in the table as immutable records (RULE#<id> / V#<jurisdiction>#<from>#<versionId>).
 * A per-container cache keeps hot paths at zero extra reads; publishing clears it here, and other
 * containers see a new version within CACHE_MS.
 */
const CACHE_MS = 60_000;
const cache = new Map<string, { at: number; versions: RuleVersionRecord[] }>();

export const publishedVersions = async (ruleId: ParameterisedRuleId): Promise<RuleVersionRecord[]> => {
  const hit = cache.get(ruleId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.versions;
  const versions: RuleVersionRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': rulePartition(ruleId), ':v': RULE_VERSION_SK_PREFIX },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) versions.push(i.record as RuleVersionRecord);
    start = r.LastEvaluatedKey;
  } while (start);
  cache.set(ruleId, { at: Date.now(), versions });
  return versions;
};

export const ruleInForce = async <R extends ParameterisedRuleId>(ruleId: R, jurisdictions: readonly string[], on: string) =>
  resolveRuleVersion(ruleId, await publishedVersions(ruleId), jurisdictions, on);

export const ruleVersionItem = (v: RuleVersionRecord) => ({
  Put: {
    TableName: tableName(),
    Item: { ...ruleVersionKey(v), kind: 'ruleVersion', record: v },
    ConditionExpression: 'attribute_not_exists(pk)', // published versions are never overwritten
  },
});

export const forgetRuleCache = (ruleId?: string) => (ruleId ? cache.delete(ruleId) : cache.clear());

export const putRuleVersionDirect = (v: RuleVersionRecord) => documentClient().send(new PutCommand(ruleVersionItem(v).Put));
