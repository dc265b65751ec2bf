import { config } from '../../config.ts';
import { auditShardSettingKey } from './keys/audit.ts';

/**
 * How many audit hash chains an agency has (docs/scale.md). An agency's audit records go into the
 * chains `<agency>#0` … `<agency>#<shards-1>`; the count is one record per agency kept beside its
 * chains (`AUDIT#<agency>` / `SHARDS`: the read-only surfaces may write `AUDIT#…` items only, and the
 * writer pins the count there the first time it appends for the agency), and it only ever grows.
 * So every chain that ever received a record lies below the stored count, and verification and the
 * daily anchor, which cover `0 … count-1`, cover every chain that ever existed. Pure: no I/O here
 * (the route contracts import it); the writer reads the record (commit.ts `readShardSetting`). It sits
 * beside the one writer, which pins and uses it; the audit area re-exports it (audit/shard-setting.ts).
 */

/**
 * The most chains an agency may have. Verification reads every chain and the daily anchor lists
 * every head, so each chain costs a query per verification; docs/scale.md shows the busiest agency of
 * a province needs far fewer (the per-agency day index, not the chain heads, is the next limit).
 */
export const MAX_AUDIT_SHARDS = 64;

export interface AuditShardChange {
  shards: number;
  at: string;
  by: string;
  reason: string;
}

export interface AuditShardSetting {
  agencyId: string;
  shards: number;
  version: number;
  /** how the count came to be: pinned from the deployment default at the first append, then each raise */
  history: AuditShardChange[];
}

export const SHARD_SETTING_KIND = 'auditShardSetting';

export const chainIdOf = (agencyId: string, shard: number) => `${agencyId}#${shard}`;
export const shardSettingItem = (s: AuditShardSetting) => ({ ...auditShardSettingKey(s.agencyId), kind: SHARD_SETTING_KIND, record: s });

/**
 * The count an agency starts with: the deployment's AUDIT_SHARDS (shared/config.ts), within
 * 1 … MAX_AUDIT_SHARDS. It applies only until the agency's first append pins it; changing it later
 * changes nothing for agencies already pinned.
 */
export const defaultAuditShards = () => Math.min(MAX_AUDIT_SHARDS, Math.max(1, Math.floor(config().auditShards) || 1));

/** The chains a count spans. */
export const chainIdsOf = (agencyId: string, shards: number) => Array.from({ length: shards }, (_, i) => chainIdOf(agencyId, i));
