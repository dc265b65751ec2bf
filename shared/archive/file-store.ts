import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, documentClient, encodeCursor, queryFromCursor, tableName } from '../adapters/dynamodb/client.ts';
import { commit, type AuditContext, type DomainWrite, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import type { AuditDraft, AuditRecord } from '../audit/record.ts';
import { DomainError } from '../kernel/errors.ts';
import { GENESIS_HASH } from '../kernel/hash.ts';
import { sealEntry, type ChainEntry, type ChainEntryBody } from './chain.ts';
import { categoryPartition, FILE_SK, fileEntryIndexes, fileEntryKey, fileMetaKey, filePartition, timelineRange } from '../adapters/dynamodb/keys/archive.ts';

/** Storage of the officer file: META (head of the chain) and the archived links (keys: ./keys.ts). */

export interface FileMeta {
  officerId: string;
  headSeq: number;
  headHash: string;
  openedAt: string;
  version: number;
}

export const readFileMeta = async (officerId: string): Promise<FileMeta | undefined> => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: fileMetaKey(officerId), ConsistentRead: true }));
  return r.Item ? (r.Item.meta as FileMeta) : undefined;
};

class HeadMoved extends DomainError {
  constructor() {
    super('conflict', 'file.headMoved', '档案链头已变化');
  }
}

const chainItem = (e: ChainEntry) => ({
  ...fileEntryKey(e.officerId, e.seq),
  ...fileEntryIndexes(e),
  kind: 'fileEntry',
  record: e,
});

const MAX_APPEND_ATTEMPTS = 40;

/**
 * Append sealed links to an officer's chain, together with other writes and the audit records, in
 * one transaction. The META update is conditioned on the head we read, so concurrent appends never
 * fork the chain or lose an entry: the loser re-reads the head and tries again.
 */
export const appendToChain = async (
  ctx: AuditContext,
  officerId: string,
  bodies: Omit<ChainEntryBody, 'prevHash' | 'seq' | 'officerId'>[],
  extra: (sealed: ChainEntry[]) => { writes: DomainWrite[]; audit: AuditDraft[] },
  opts: { opening?: boolean; idempotent?: IdempotentCreate | undefined } = {},
): Promise<{ sealed: ChainEntry[]; audit: AuditRecord[] }> => {
  for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
    const meta = await readFileMeta(officerId);
    if (!meta && !opts.opening) throw new DomainError('conflict', 'file.notOpened', '该人员尚未建立执法档案（A5：取得执法资格时建档）');
    if (meta && opts.opening) throw new DomainError('conflict', 'file.alreadyOpened', '该人员的执法档案已建立');
    let head = meta ? { seq: meta.headSeq, hash: meta.headHash } : { seq: 0, hash: GENESIS_HASH };
    const sealed = bodies.map((b) => {
      const e = sealEntry({ ...b, officerId } as Omit<ChainEntryBody, 'prevHash' | 'seq'>, head);
      head = { seq: e.seq, hash: e.hash };
      return e;
    });
    const metaWrite: DomainWrite = {
      item: {
        Update: {
          TableName: tableName(),
          Key: fileMetaKey(officerId),
          UpdateExpression: 'SET meta = :meta, kind = :kind',
          ConditionExpression: meta ? 'meta.headSeq = :expected' : 'attribute_not_exists(pk)',
          ExpressionAttributeValues: {
            ':meta': { officerId, headSeq: head.seq, headHash: head.hash, openedAt: meta?.openedAt ?? sealed[0]?.archivedAt, version: (meta?.version ?? 0) + 1 },
            ':kind': 'fileMeta',
            ...(meta ? { ':expected': meta.headSeq } : {}),
          },
        },
      },
      onConditionFailed: () => new HeadMoved(),
    };
    const entryWrites: DomainWrite[] = sealed.map((e) => ({
      item: { Put: { TableName: tableName(), Item: chainItem(e), ConditionExpression: 'attribute_not_exists(pk)' } },
      onConditionFailed: () => new HeadMoved(),
    }));
    const more = extra(sealed);
    try {
      const records = await commit(ctx, [metaWrite, ...entryWrites, ...more.writes], more.audit, opts.idempotent);
      return { sealed, audit: records };
    } catch (e) {
      if (!(e instanceof HeadMoved)) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * Math.min(attempt, 10)));
    }
  }
  throw new DomainError('unavailable', 'file.contention', '档案正被频繁写入，请稍后重试');
};

export interface TimelineQuery {
  category?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Newest first by the date the recorded event happened; one Query per page. */
export const queryTimeline = async (officerId: string, q: TimelineQuery) => {
  const byCategory = q.category !== undefined;
  const pkName = byCategory ? 'gsi2pk' : 'gsi1pk';
  const skName = byCategory ? 'gsi2sk' : 'gsi1sk';
  const { from, to } = timelineRange(q.from, q.to);
  const pk = byCategory ? categoryPartition(officerId, q.category!) : filePartition(officerId);
  const r = await queryFromCursor({
    TableName: tableName(),
    IndexName: byCategory ? 'gsi2' : 'gsi1',
    KeyConditionExpression: `${pkName} = :pk AND ${skName} BETWEEN :from AND :to`,
    ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
    ScanIndexForward: false,
    // one more than the page: a cursor only when there is a next page (DynamoDB would otherwise
    // hand back a LastEvaluatedKey for a page that ends exactly at the end, costing an empty round trip)
    Limit: q.limit + 1,
    ExclusiveStartKey: decodeCursor(q.cursor, { partition: [pkName, pk], keys: ['pk', 'sk', pkName, skName] }),
  });
  const rows = r.Items ?? [];
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  // more rows than the page, or DynamoDB stopped early at its 1 MB page limit
  const more = rows.length > q.limit || r.LastEvaluatedKey !== undefined;
  const cursor = more && last ? encodeCursor({ pk: last.pk, sk: last.sk, [pkName]: last[pkName], [skName]: last[skName] }) : undefined;
  return { items: page.map((i) => i.record as ChainEntry), cursor };
};

export const getChainEntry = async (officerId: string, seq: number): Promise<ChainEntry | undefined> =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: fileEntryKey(officerId, seq) }))).Item?.record as ChainEntry | undefined;

/** The whole chain in seq order (verification): pages of up to 1 MB each. */
export const readWholeChain = async (officerId: string): Promise<{ entries: ChainEntry[]; requests: number }> => {
  const entries: ChainEntry[] = [];
  let start: Record<string, unknown> | undefined;
  let requests = 0;
  do {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': filePartition(officerId), ':e': FILE_SK.entry },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    requests++;
    for (const i of r.Items ?? []) entries.push(i.record as ChainEntry);
    start = r.LastEvaluatedKey;
  } while (start);
  return { entries, requests };
};

export const batchGetRecords = async <T>(keysList: Record<string, string>[]): Promise<T[]> => {
  if (keysList.length === 0) return [];
  const r = await documentClient().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keysList, ConsistentRead: true } } }));
  return (r.Responses?.[tableName()] ?? []).map((i) => i.record as T);
};
