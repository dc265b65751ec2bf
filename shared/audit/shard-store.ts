import { readShardSetting } from '../adapters/dynamodb/commit.ts';
import { chainIdsOf, defaultAuditShards, type AuditShardSetting } from './shard-setting.ts';

/** Reading an agency's audit shard count (shard-setting.ts explains the record; docs/scale.md). */

/** The stored setting, read consistently; undefined until the agency's first audit append pins it (the writer's own read). */
export { readShardSetting };

/** The agency's count: the stored one, else the deployment default a first append would pin. */
export const shardCountOf = (setting: AuditShardSetting | undefined) => setting?.shards ?? defaultAuditShards();

/**
 * Every chain of the agency that can hold a record — what verification and the daily anchor must
 * cover. The count only grows, so a writer still using an older (smaller) count writes inside it.
 */
export const auditChainIds = async (agencyId: string) => chainIdsOf(agencyId, shardCountOf(await readShardSetting(agencyId)));
