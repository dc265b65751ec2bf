import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type Principal, type RequestSource, systemActorId } from '../../kernel/principal.ts';
import { hashAudit, type AuditDraft, type AuditFacts, type AuditRecord } from '../../kernel/audit-record.ts';
import { nowIso, systemClock, type Clock } from '../../kernel/clock.ts';
import { DomainError, IdempotentReplay, unavailable } from '../../kernel/errors.ts';
import { GENESIS_HASH, sha256Hex, canonicalJson } from '../../kernel/hash.ts';
import { newId } from '../../kernel/ids.ts';
import { type AuditShardSetting, chainIdOf, defaultAuditShards, shardSettingItem } from './audit-shards.ts';
import { cancellationCodes, documentClient, tableName } from './client.ts';
import { auditHeadKey, auditRecordIndexes, auditRecordKey, auditShardSettingKey } from './keys/audit.ts';
import { idempotencyKey } from './keys/idempotency.ts';

/**
 * The one writer of the product. Every state change commits in ONE DynamoDB transaction together
 * with its audit records (so nothing is half-written and nothing happens unaudited), and reads
 * commit their audit record before the data is returned (fail closed, docs/security.md §3).
 *
 * Audit records form hash chains, one per (agency, shard). Shards let concurrent writers append
 * without all contending for one head item; within a process a per-shard lock serialises appends
 * and a cached head saves the read, across processes the head's conditional update detects races
 * and the commit retries with a fresh head. How many shards an agency has is its own setting
 * (shared/audit/shard-setting.ts; docs/scale.md): a count that only grows, read here and cached
 * for SHARD_COUNT_TTL_MS, so that a writer with a stale count still writes inside the chains that
 * verification covers.
 */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface DomainWrite {
  item: TransactItem;
  /** the domain error to raise when this item's condition fails */
  onConditionFailed?: () => DomainError;
}

/**
 * The one optimistic-concurrency write: replace a versioned record only if it still has the version
 * we read (`undefined` = it must not exist yet). Every record keeps its body under `record`.
 */
export const putVersioned = (item: Record<string, unknown>, expectedVersion: number | undefined, onConflict: () => DomainError): DomainWrite => ({
  item: {
    Put: {
      TableName: tableName(),
      Item: item,
      ...(expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#r.#v = :v', ExpressionAttributeNames: { '#r': 'record', '#v': 'version' }, ExpressionAttributeValues: { ':v': expectedVersion } }),
    },
  },
  onConditionFailed: onConflict,
});

export interface IdempotentCreate {
  userId: string;
  key: string;
  /** what the request said, to refuse a reused key with a different request */
  request: unknown;
  /** the response to replay to a retry */
  response: unknown;
}

export interface AuditContext {
  principal: Principal;
  source: RequestSource;
  clock?: Clock;
  /**
   * A request's audit trail so far: every record this writer committed for it is appended here, so
   * the HTTP pipeline can tell whether a use case audited what it did (shared/http/handler.ts).
   */
  audited?: AuditRecord[];
  /**
   * What the access check that let the request through established about the object (its agency,
   * the basis of the decision): the pipeline's read record carries it (docs/security.md §3).
   */
  facts?: AuditFacts;
}

interface Head {
  seq: number;
  hash: string;
}

/** An agency's shard count as this process knows it; `pinned` once the stored setting exists. */
interface ShardCount {
  shards: number;
  pinned: boolean;
  readAt: number;
}

/**
 * How long a process trusts the shard count it read: a raise reaches every running process within
 * this time. Until then they append to the chains of the old count, all of which verification
 * covers (the count only grows); a shorter time only costs one GetItem per agency more often.
 */
export const SHARD_COUNT_TTL_MS = 60_000;

const withLock = async <T>(locks: Map<string, Promise<unknown>>, key: string, fn: () => Promise<T>): Promise<T> => {
  const prev = locks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const chained = prev.then(() => mine);
  locks.set(key, chained);
  await prev;
  try {
    return await fn();
  } finally {
    release();
    if (locks.get(key) === chained) locks.delete(key);
  }
};

const readHead = async (chainId: string): Promise<Head> => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: auditHeadKey(chainId), ConsistentRead: true }));
  return r.Item ? { seq: r.Item.seq as number, hash: r.Item.hash as string } : { seq: 0, hash: GENESIS_HASH };
};

/** An agency's stored audit shard count (audit-shards.ts), read consistently; undefined until its first append pins it. */
export const readShardSetting = async (agencyId: string): Promise<AuditShardSetting | undefined> => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: auditShardSettingKey(agencyId), ConsistentRead: true }));
  return r.Item?.record as AuditShardSetting | undefined;
};

const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600; // a client or integration retries within days, not weeks

const buildAudit = (ctx: AuditContext, drafts: AuditDraft[], chainId: string, head: Head) => {
  const at = nowIso(ctx.clock ?? systemClock);
  let { seq, hash } = head;
  const records: AuditRecord[] = drafts.map((d) => {
    seq += 1;
    const body = {
      ...d,
      id: newId(),
      at,
      actor: { userId: ctx.principal.userId, agencyId: ctx.principal.agencyId, roles: [...ctx.principal.roles] },
      source: { ip: ctx.source.ip, userAgent: ctx.source.userAgent, requestId: ctx.source.requestId },
      chainId,
      seq,
      prevHash: hash,
    };
    const stripped = JSON.parse(JSON.stringify(body)) as AuditRecord; // drop undefined, as stored
    hash = hashAudit(stripped);
    return { ...stripped, hash };
  });
  return { records, newHead: { seq, hash } };
};

const auditItem = (r: AuditRecord): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...auditRecordKey(r.chainId, r.seq),
      ...auditRecordIndexes(r),
      kind: 'audit',
      record: r,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

const headItem = (chainId: string, prev: Head, next: Head): TransactItem => ({
  Update: {
    TableName: tableName(),
    Key: auditHeadKey(chainId),
    UpdateExpression: 'SET #seq = :seq, #hash = :hash, kind = :kind',
    ConditionExpression: prev.seq === 0 ? 'attribute_not_exists(pk)' : '#seq = :prev',
    ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash' },
    ExpressionAttributeValues: { ':seq': next.seq, ':hash': next.hash, ':kind': 'auditHead', ...(prev.seq === 0 ? {} : { ':prev': prev.seq }) },
  },
});

/** Pins the deployment default as the agency's count, in the transaction of its first append. */
const pinItem = (agencyId: string, shards: number, at: string): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: shardSettingItem({ agencyId, shards, version: 1, history: [{ shards, at, by: systemActorId('audit-writer'), reason: 'deployment default (AUDIT_SHARDS)' }] }),
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

const targets = (item: TransactItem, key: { pk: string; sk: string }) => {
  const k = (item.Put?.Item ?? item.Update?.Key ?? item.ConditionCheck?.Key ?? item.Delete?.Key) as Record<string, unknown> | undefined;
  return k?.pk === key.pk && k?.sk === key.sk;
};

const MAX_ATTEMPTS = 12;

/**
 * One process's audit writer: what a Lambda container (or the embedded platform) remembers between
 * commits — chain heads, per-shard locks, shard counts — and its home shard. The product has one per
 * process (`commit` and `audit` below); the audit-shard benchmark and tests make several to play
 * several containers at once.
 */
export const createAuditWriter = () => {
  const heads = new Map<string, Head>();
  const locks = new Map<string, Promise<unknown>>();
  const counts = new Map<string, ShardCount>();
  /** transactions that carried audit records, and attempts lost to a moved head or a conflict */
  const stats = { appends: 0, retries: 0 };
  /**
   * Each process has a home shard per agency, so in Lambda (one request at a time per container) its
   * cached head stays valid and an append costs no extra read. It starts at random and moves to the
   * shard where the last append succeeded: after a conflict the retry tries the next shard, and a
   * container that shared its home with another one settles on a shard of its own if there is one
   * (docs/scale.md §1, §4.5). Concurrent requests within one process (the embedded platform) spill over to
   * shards whose lock is free instead of queueing.
   */
  const home = Math.floor(Math.random() * 1024);
  const homes = new Map<string, number>();
  const pickShard = (agency: string, shards: number, attempt: number) => {
    const first = ((homes.get(agency) ?? home) + attempt) % shards;
    for (let i = 0; i < shards; i++) {
      const shard = (first + i) % shards;
      if (!locks.has(chainIdOf(agency, shard))) return shard;
    }
    return first;
  };

  const shardCount = async (agency: string): Promise<ShardCount> => {
    const hit = counts.get(agency);
    if (hit && Date.now() - hit.readAt < SHARD_COUNT_TTL_MS) return hit;
    const stored = await readShardSetting(agency);
    const fresh = { shards: stored?.shards ?? defaultAuditShards(), pinned: stored !== undefined, readAt: Date.now() };
    counts.set(agency, fresh);
    return fresh;
  };

  /**
   * Commit domain writes + audit records atomically. Returns the audit records written.
   * Throws the domain error of the first failed domain condition, IdempotentReplay when the
   * idempotency key was used before with the same request, or `audit.unavailable` (503).
   */
  const commit = async (ctx: AuditContext, writes: DomainWrite[], audit: AuditDraft[], idempotent?: IdempotentCreate): Promise<AuditRecord[]> => {
    const chainAgency = audit[0]?.objectAgencyId ?? ctx.principal.agencyId;
    const idemItem: TransactItem[] = idempotent
      ? [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...idempotencyKey(idempotent.userId, idempotent.key),
                kind: 'idempotency',
                requestHash: sha256Hex(canonicalJson(idempotent.request)),
                response: idempotent.response,
                ttl: Math.floor((ctx.clock ?? systemClock).now().getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : [];
    // a request's change carries its audit record in its own transaction: a write without one is a defect
    if (ctx.audited && writes.length > 0 && audit.length === 0) throw new Error('a request committed a change without its audit record');
    // a write of the setting itself (a raise) must not meet a pin of the same item in one transaction
    const writesSetting = writes.some((w) => targets(w.item, auditShardSettingKey(chainAgency)));

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const outcome = await (async () => {
        const count = audit.length ? await shardCount(chainAgency) : { shards: 1, pinned: true, readAt: 0 };
        const shard = pickShard(chainAgency, count.shards, attempt - 1);
        const chainId = chainIdOf(chainAgency, shard);
        return withLock(locks, chainId, async () => {
          const head = heads.get(chainId) ?? (await readHead(chainId));
          const { records, newHead } = buildAudit(ctx, audit, chainId, head);
          const pin = records.length && !count.pinned && !writesSetting ? [pinItem(chainAgency, count.shards, records[0]!.at)] : [];
          const chain = records.length ? [headItem(chainId, head, newHead), ...records.map(auditItem)] : [];
          const items = [...idemItem, ...writes.map((w) => w.item), ...pin, ...chain];
          if (items.length === 0) return { records };
          try {
            await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
            if (records.length) {
              heads.set(chainId, newHead);
              homes.set(chainAgency, shard);
              stats.appends++;
              ctx.audited?.push(...records);
            }
            if (pin.length) count.pinned = true;
            return { records };
          } catch (e) {
            const codes = cancellationCodes(e);
            if (!codes) {
              heads.delete(chainId);
              throw e;
            }
            const failedAt = codes.findIndex((c) => c === 'ConditionalCheckFailed');
            if (idempotent && failedAt === 0) return { replay: true as const };
            const domainIndex = failedAt - idemItem.length;
            if (failedAt >= 0 && domainIndex < writes.length) {
              const w = writes[domainIndex];
              throw w?.onConditionFailed?.() ?? new DomainError('conflict', 'record.conflict', '记录已被他人修改，请刷新后重试');
            }
            // the audit head moved (another writer), another writer pinned or raised the shard count,
            // or a transaction conflict: refresh what is stale and retry
            heads.delete(chainId);
            if (pin.length) counts.delete(chainAgency);
            stats.retries++;
            return { retry: true as const };
          }
        });
      })().catch((e: unknown) => {
        if (e instanceof DomainError) throw e;
        throw unavailable('audit.unavailable', '审计记录写入失败，操作未执行（审计优先）', e);
      });
      if ('replay' in outcome) {
        const stored = await documentClient().send(new GetCommand({ TableName: tableName(), Key: idempotencyKey(idempotent!.userId, idempotent!.key), ConsistentRead: true }));
        if (stored.Item?.requestHash !== sha256Hex(canonicalJson(idempotent!.request))) {
          throw new DomainError('conflict', 'idempotency.keyReused', '该 Idempotency-Key 已用于另一个不同的请求');
        }
        throw new IdempotentReplay(stored.Item.response);
      }
      if ('records' in outcome && outcome.records) return outcome.records;
      await new Promise((r) => setTimeout(r, Math.random() * 8 * attempt));
    }
    throw unavailable('audit.contention', '系统繁忙，请稍后重试');
  };

  return {
    commit,
    /** Record an audit record on its own (reads, denials). Fails closed: if it fails, so does the read. */
    audit: (ctx: AuditContext, drafts: AuditDraft[]) => commit(ctx, [], drafts),
    /** drop the cached shard count (of one agency, or all): the next append reads the stored one */
    forgetShardCount: (agency?: string) => (agency === undefined ? counts.clear() : counts.delete(agency)),
    stats,
  };
};
export type AuditWriter = ReturnType<typeof createAuditWriter>;

/** This process's writer. */
const writer = createAuditWriter();

/** Commit domain writes + audit records atomically (see createAuditWriter). */
export const commit = (ctx: AuditContext, writes: DomainWrite[], audit: AuditDraft[], idempotent?: IdempotentCreate) => writer.commit(ctx, writes, audit, idempotent);

/** Record an audit record on its own (reads, denials). Fails closed: if it fails, so does the read. */
export const audit = (ctx: AuditContext, drafts: AuditDraft[]) => writer.commit(ctx, [], drafts);

/** After this process raised an agency's shard count: use the new count at once. */
export const forgetShardCount = (agency?: string) => writer.forgetShardCount(agency);

/** Before a create: a retry with the same key replays the stored response without writing again. */
export const findIdempotentResponse = async (userId: string, key: string, request: unknown): Promise<unknown | undefined> => {
  const stored = await documentClient().send(new GetCommand({ TableName: tableName(), Key: idempotencyKey(userId, key), ConsistentRead: true }));
  if (!stored.Item) return undefined;
  if (stored.Item.requestHash !== sha256Hex(canonicalJson(request))) {
    throw new DomainError('conflict', 'idempotency.keyReused', '该 Idempotency-Key 已用于另一个不同的请求');
  }
  return stored.Item.response;
};
