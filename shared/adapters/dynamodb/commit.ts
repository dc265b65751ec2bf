import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Principal, RequestSource } from '../../access/principal.ts';
import { hashAudit, type AuditDraft, type AuditRecord } from '../../audit/record.ts';
import { config } from '../../config.ts';
import { nowIso, systemClock, type Clock } from '../../kernel/clock.ts';
import { DomainError, IdempotentReplay, unavailable } from '../../kernel/errors.ts';
import { GENESIS_HASH, sha256Hex, canonicalJson } from '../../kernel/hash.ts';
import { newId } from '../../kernel/ids.ts';
import { cancellationCodes, documentClient, pad, tableName } from './client.ts';

/**
 * The one writer of the product. Every state change commits in ONE DynamoDB transaction together
 * with its audit records (so nothing is half-written and nothing happens unaudited), and reads
 * commit their audit record before the data is returned (fail closed, DESIGN.md §4).
 *
 * Audit records form hash chains, one per (agency, shard). Shards let concurrent writers append
 * without all contending for one head item; within a process a per-shard lock serialises appends
 * and a cached head saves the read, across processes the head's conditional update detects races
 * and the commit retries with a fresh head.
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
export const putVersioned = (
  item: Record<string, unknown>,
  expectedVersion: number | undefined,
  onConflict: () => DomainError,
): DomainWrite => ({
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
}

interface Head {
  seq: number;
  hash: string;
}

const heads = new Map<string, Head>();
const locks = new Map<string, Promise<unknown>>();
/**
 * Each process has a home shard, so in Lambda (one request at a time per container) its cached head
 * stays valid and an append costs no extra read; concurrent requests within one process (the
 * embedded platform) spill over to shards whose lock is free instead of queueing.
 */
const home = Math.floor(Math.random() * 1024);
const pickShard = (agency: string, shards: number, attempt: number) => {
  const first = (home + attempt) % shards;
  for (let i = 0; i < shards; i++) {
    const shard = (first + i) % shards;
    if (!locks.has(`${agency}#${shard}`)) return shard;
  }
  return first;
};

const withLock = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
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

const auditPk = (chainId: string) => `AUDIT#${chainId}`;

const readHead = async (chainId: string): Promise<Head> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: { pk: auditPk(chainId), sk: 'HEAD' }, ConsistentRead: true }),
  );
  return r.Item ? { seq: r.Item.seq as number, hash: r.Item.hash as string } : { seq: 0, hash: GENESIS_HASH };
};

export const idempotencyKeyItem = (userId: string, key: string) => ({ pk: `IDEM#${userId}#${key}`, sk: 'META' });

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
      pk: auditPk(r.chainId),
      sk: pad(r.seq, 12),
      gsi1pk: `AUDITDAY#${r.objectAgencyId ?? r.actor.agencyId}#${r.at.slice(0, 10)}`,
      gsi1sk: `${r.at}#${r.id}`,
      gsi2pk: `AUDITOBJ#${r.objectType}#${r.objectId}`,
      gsi2sk: `${r.at}#${r.id}`,
      kind: 'audit',
      record: r,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

const headItem = (chainId: string, prev: Head, next: Head): TransactItem => ({
  Update: {
    TableName: tableName(),
    Key: { pk: auditPk(chainId), sk: 'HEAD' },
    UpdateExpression: 'SET #seq = :seq, #hash = :hash, kind = :kind',
    ConditionExpression: prev.seq === 0 ? 'attribute_not_exists(pk)' : '#seq = :prev',
    ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash' },
    ExpressionAttributeValues: { ':seq': next.seq, ':hash': next.hash, ':kind': 'auditHead', ...(prev.seq === 0 ? {} : { ':prev': prev.seq }) },
  },
});

const MAX_ATTEMPTS = 12;

/**
 * Commit domain writes + audit records atomically. Returns the audit records written.
 * Throws the domain error of the first failed domain condition, IdempotentReplay when the
 * idempotency key was used before with the same request, or `audit.unavailable` (503).
 */
export const commit = async (
  ctx: AuditContext,
  writes: DomainWrite[],
  audit: AuditDraft[],
  idempotent?: IdempotentCreate,
): Promise<AuditRecord[]> => {
  const shards = Math.max(1, config().auditShards);
  const chainAgency = audit[0]?.objectAgencyId ?? ctx.principal.agencyId;
  const idemItem: TransactItem[] = idempotent
    ? [{
        Put: {
          TableName: tableName(),
          Item: {
            ...idempotencyKeyItem(idempotent.userId, idempotent.key),
            kind: 'idempotency',
            requestHash: sha256Hex(canonicalJson(idempotent.request)),
            response: idempotent.response,
            ttl: Math.floor((ctx.clock ?? systemClock).now().getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }]
    : [];

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const chainId = `${chainAgency}#${pickShard(chainAgency, shards, attempt - 1)}`;
    const outcome = await withLock(chainId, async () => {
      const head = heads.get(chainId) ?? (await readHead(chainId));
      const { records, newHead } = buildAudit(ctx, audit, chainId, head);
      const items = [...idemItem, ...writes.map((w) => w.item), ...(records.length ? [headItem(chainId, head, newHead), ...records.map(auditItem)] : [])];
      if (items.length === 0) return { records };
      try {
        await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
        if (records.length) heads.set(chainId, newHead);
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
        // the audit head moved (another writer) or a transaction conflict: refresh and retry
        heads.delete(chainId);
        return { retry: true as const };
      }
    }).catch((e: unknown) => {
      if (e instanceof DomainError) throw e;
      throw unavailable('audit.unavailable', '审计记录写入失败，操作未执行（审计优先）', e);
    });
    if ('replay' in outcome) {
      const stored = await documentClient().send(
        new GetCommand({ TableName: tableName(), Key: idempotencyKeyItem(idempotent!.userId, idempotent!.key), ConsistentRead: true }),
      );
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

/** Record an audit record on its own (reads, denials). Fails closed: if it fails, so does the read. */
export const audit = (ctx: AuditContext, drafts: AuditDraft[]) => commit(ctx, [], drafts);

/** Before a create: a retry with the same key replays the stored response without writing again. */
export const findIdempotentResponse = async (userId: string, key: string, request: unknown): Promise<unknown | undefined> => {
  const stored = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: idempotencyKeyItem(userId, key), ConsistentRead: true }),
  );
  if (!stored.Item) return undefined;
  if (stored.Item.requestHash !== sha256Hex(canonicalJson(request))) {
    throw new DomainError('conflict', 'idempotency.keyReused', '该 Idempotency-Key 已用于另一个不同的请求');
  }
  return stored.Item.response;
};
