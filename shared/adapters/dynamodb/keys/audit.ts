import { pad } from './sortable.ts';

/**
 * Every key of the audit trail (docs/data-model.md §3 "Audit"): the hash chains per (agency, shard)
 * with their heads, the agency's shard count beside them, the day and object indexes of the records,
 * and the daily anchors. The one place these strings are built (test/unit/keys.test.ts keeps it so).
 */

/** Every audit item's partition starts so: the read-only surfaces may write these items only (infra/aws/access.ts). */
export const AUDIT_PARTITION_PREFIX = 'AUDIT#';
/** a chain `<agency>#<shard>` (shared/audit/shard-setting.ts chainIdOf) */
export const auditChainPartition = (chainId: string) => `${AUDIT_PARTITION_PREFIX}${chainId}`;
/** the head sorts after every record of its chain: `sk < AUDIT_HEAD_SK` reads the records only */
export const AUDIT_HEAD_SK = 'HEAD';
export const auditHeadKey = (chainId: string) => ({ pk: auditChainPartition(chainId), sk: AUDIT_HEAD_SK });
/** a record of a chain: 12-digit sequence, so the chain reads in order */
export const auditRecordKey = (chainId: string, seq: number) => ({ pk: auditChainPartition(chainId), sk: pad(seq, 12) });
/** the agency's shard count, kept beside its chains */
export const auditShardSettingKey = (agencyId: string) => ({ pk: `${AUDIT_PARTITION_PREFIX}${agencyId}`, sk: 'SHARDS' });

/** the records of an agency's day (gsi1) */
export const auditDayPartition = (agencyId: string, date: string) => `AUDITDAY#${agencyId}#${date}`;
/** the trail of one object (gsi2) */
export const auditObjectPartition = (objectType: string, objectId: string) => `AUDITOBJ#${objectType}#${objectId}`;
export const auditRecordIndexes = (r: { id: string; at: string; objectType: string; objectId: string; objectAgencyId?: string | undefined; actor: { agencyId: string } }) => ({
  gsi1pk: auditDayPartition(r.objectAgencyId ?? r.actor.agencyId, r.at.slice(0, 10)),
  gsi1sk: `${r.at}#${r.id}`,
  gsi2pk: auditObjectPartition(r.objectType, r.objectId),
  gsi2sk: `${r.at}#${r.id}`,
});

/** the anchor of an agency's chain heads for one day */
export const auditAnchorKey = (agencyId: string, date: string) => ({ pk: `ANCHOR#${agencyId}`, sk: date });
