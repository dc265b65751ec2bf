import { audit, commit, forgetShardCount, putVersioned, type AuditContext } from '../adapters/dynamodb/commit.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { conflict, DomainError } from '../kernel/errors.ts';
import { MAX_AUDIT_SHARDS, shardSettingItem, type AuditShardSetting } from './shard-setting.ts';
import { readShardSetting, shardCountOf } from './shard-store.ts';

/**
 * The agency's system administrator reads and raises its audit shard count (docs/scale.md). A raise
 * only ever adds chains: the new ones start at genesis, the old ones keep their records and their
 * verification, and a decrease is refused (it would leave chains outside what verification reads).
 */

export interface AuditShardView {
  agencyId: string;
  /** chains `<agency>#0 … #<shards-1>`: what the writer spreads over and verification reads */
  shards: number;
  /** false until the agency's first audit append pinned the deployment default */
  pinned: boolean;
  max: number;
  /** 0 while not pinned */
  version: number;
  history: AuditShardSetting['history'];
}

const view = (agencyId: string, s: AuditShardSetting | undefined): AuditShardView => ({
  agencyId,
  shards: shardCountOf(s),
  pinned: s !== undefined,
  max: MAX_AUDIT_SHARDS,
  version: s?.version ?? 0,
  history: s?.history ?? [],
});

export const getAuditShards = async (agencyId: string) => view(agencyId, await readShardSetting(agencyId));

/**
 * Raise the count to `shards` (≤ MAX_AUDIT_SHARDS, checked at the edge). Equal to the current count:
 * nothing changes (a repeated PUT); lower: 409 `auditShards.decrease`, audited as denied. The write
 * is conditional on the version read, so two raises at once cannot lose one (409, retry).
 */
export const raiseAuditShards = async (ctx: AuditContext, agencyId: string, input: { shards: number; reason: string }) => {
  const current = await readShardSetting(agencyId);
  const from = shardCountOf(current);
  const base = { action: 'auditShards.raise', objectType: 'audit' as const, objectId: agencyId, objectAgencyId: agencyId };
  if (input.shards < from) {
    await audit(ctx, [{ ...base, outcome: 'denied', reason: `decrease ${from} → ${input.shards} refused` }]);
    throw new DomainError('conflict', 'auditShards.decrease', `审计哈希链分片数只能增加、不能减少：当前为 ${from}`, {
      issues: [{ path: 'body.shards', message: `须不小于当前分片数 ${from}` }],
      extra: { currentShards: from },
    });
  }
  if (input.shards === from) {
    await audit(ctx, [{ ...base, outcome: 'allowed', reason: `unchanged at ${from}: ${input.reason}` }]);
    return view(agencyId, current);
  }
  const next: AuditShardSetting = {
    agencyId,
    shards: input.shards,
    version: (current?.version ?? 0) + 1,
    history: [...(current?.history ?? []), { shards: input.shards, at: nowIso(ctx.clock ?? systemClock), by: ctx.principal.userId, reason: input.reason }],
  };
  const raced = () => conflict('auditShards.conflict', '审计分片设置已被他人同时修改，请刷新后重试');
  const raise = { ...base, outcome: 'allowed' as const, reason: `${from} → ${input.shards}: ${input.reason}` };
  await commit(ctx, [putVersioned(shardSettingItem(next), current?.version, raced)], [raise]);
  forgetShardCount(agencyId);
  return view(agencyId, next);
};
