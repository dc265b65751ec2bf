import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, isConditionalCheckFailed, queryAll, tableName } from '../adapters/dynamodb/client.ts';
import type { DomainWrite } from '../adapters/dynamodb/commit.ts';
import { OUTBOX_PENDING_PARTITION, outboxKey, outboxPendingSort } from '../adapters/dynamodb/keys/outbox.ts';
import { newId } from '../kernel/ids.ts';

/**
 * The transactional outbox (docs/architecture.md §6): the platform module that carries typed
 * messages between the areas and to the outside world. A message is written as an `OUTBOX#<id>`
 * item in the SAME transaction as the change that calls for it (through the one writer,
 * shared/adapters/dynamodb/commit.ts), so it can never be lost between the change and its effect.
 *
 * Two kinds of message travel here, both typed by the area that declares them:
 * - a **domain event** says what happened, declared by the area it happened in
 *   (`cases/events.ts` caseClosed …, `process/events.ts` complaintAboutCase);
 * - a **command** asks one area to do something, declared by the area that carries it out
 *   (`process/events.ts` startExecution …, `notify/events.ts` deliver).
 * Consumers (one per area, `<area>/consumers.ts`) are composed in shared/wiring.ts, the only module
 * that knows them all; this module knows none.
 */
export interface Message {
  type: string;
}

export interface OutboxItem<M extends Message = Message> {
  outboxId: string;
  message: M;
  /** when the change that wrote it committed (Shanghai ISO) */
  createdAt: string;
  status: 'pending' | 'done';
  /** the areas whose consumer has finished with it (a retry runs only the others) */
  consumed?: string[] | undefined;
  /** failed runs so far; from STUCK_AFTER_ATTEMPTS on the message counts as stuck */
  attempts?: number | undefined;
  lastError?: { at: string; area: string; error: string } | undefined;
}

/** a pending message that failed this often is stuck: logged at error level and listed (`stuckOutbox`) */
export const STUCK_AFTER_ATTEMPTS = 5;
/** how long a dispatcher holds a message it claimed (the fast path, the stream and the reconciler may all see it) */
export const CLAIM_MS = 60_000;
const DONE_TTL_SECONDS = 7 * 24 * 3600;

/** The item of a message, for the transaction of the change that calls for it. */
export const outboxWrite = <M extends Message>(message: M, at: string, outboxId = newId()): { item: OutboxItem<M>; write: DomainWrite } => {
  const item: OutboxItem<M> = { outboxId, message, createdAt: at, status: 'pending' };
  return {
    item,
    write: {
      item: {
        Put: {
          TableName: tableName(),
          Item: { ...outboxKey(outboxId), gsi1pk: OUTBOX_PENDING_PARTITION, gsi1sk: outboxPendingSort(new Date(at).toISOString(), outboxId), kind: 'outbox', record: item },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
  };
};

/** A message on its own, outside a change (the rest of a long command a consumer could not finish). */
export const putOutbox = async <M extends Message>(message: M, at: string) => {
  const m = outboxWrite(message, at);
  await documentClient().send(new PutCommand(m.write.item.Put!));
  return m.item;
};

/**
 * The message of a stored item. Items written before messages were typed events kept it under
 * `command` (the same start / stop / deliver / recompute commands): read them the same way.
 */
export const outboxItemOf = (record: unknown): OutboxItem | undefined => {
  const r = record as (OutboxItem & { command?: Message }) | undefined;
  if (!r) return undefined;
  return r.message || !r.command ? r : { ...r, message: r.command };
};

const recordOf = (attrs: Record<string, unknown> | undefined) => outboxItemOf(attrs?.record);

/**
 * Claim a pending message for CLAIM_MS: the one dispatcher that wins runs it, a claim that dies with
 * its dispatcher lapses. Returns the message as stored now (with the areas already done), or
 * undefined when it is done or someone else holds it.
 */
export const claimOutbox = async (outboxId: string): Promise<OutboxItem | undefined> => {
  const now = Date.now();
  try {
    const r = await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: outboxKey(outboxId),
        UpdateExpression: 'SET #claim = :until',
        ConditionExpression: '#r.#s = :pending AND (attribute_not_exists(#claim) OR #claim < :now)',
        ExpressionAttributeNames: { '#r': 'record', '#s': 'status', '#claim': 'claimedUntil' },
        ExpressionAttributeValues: { ':pending': 'pending', ':now': now, ':until': now + CLAIM_MS },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return recordOf(r.Attributes);
  } catch (e) {
    if (isConditionalCheckFailed(e)) return undefined;
    throw e;
  }
};

/** One area's consumer finished (others remain): a retry skips it. */
export const markConsumed = (outboxId: string, consumed: readonly string[]) =>
  documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: outboxKey(outboxId),
      UpdateExpression: 'SET #r.#c = :c',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#r': 'record', '#c': 'consumed' },
      ExpressionAttributeValues: { ':c': [...consumed] },
    }),
  );

/**
 * The areas this dispatcher carries finished, others remain (a function carrying only some areas,
 * docs/architecture.md §6): keep what is done and release the claim at once, so the other areas'
 * dispatcher runs it without waiting for the claim to lapse. Not a failure: no attempt is counted.
 */
export const leavePending = (outboxId: string, consumed: readonly string[]) =>
  documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: outboxKey(outboxId),
      UpdateExpression: 'SET #r.#c = :c REMOVE #claim',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#r': 'record', '#c': 'consumed', '#claim': 'claimedUntil' },
      ExpressionAttributeValues: { ':c': [...consumed] },
    }),
  );

/** Every consumer finished: the message leaves the pending index and expires after a week. */
export const markDone = (outboxId: string, consumed: readonly string[]) =>
  documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: outboxKey(outboxId),
      UpdateExpression: 'SET #r.#s = :done, #r.#c = :c, #ttl = :ttl REMOVE gsi1pk, gsi1sk, #claim',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#r': 'record', '#s': 'status', '#c': 'consumed', '#ttl': 'ttl', '#claim': 'claimedUntil' },
      ExpressionAttributeValues: { ':done': 'done', ':c': [...consumed], ':ttl': Math.floor(Date.now() / 1000) + DONE_TTL_SECONDS },
    }),
  );

/**
 * A consumer failed: count the attempt, keep the error, and release the claim at once (the failed
 * dispatcher is not working on it any more), so the next stream delivery or reconcile retries it.
 * Returns the attempts so far.
 */
export const recordFailure = async (outboxId: string, consumed: readonly string[], area: string, error: string, at: string): Promise<number> => {
  const r = await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: outboxKey(outboxId),
      UpdateExpression: 'SET #r.#a = if_not_exists(#r.#a, :zero) + :one, #r.#e = :e, #r.#c = :c REMOVE #claim',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#r': 'record', '#a': 'attempts', '#e': 'lastError', '#c': 'consumed', '#claim': 'claimedUntil' },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':e': { at, area, error: error.slice(0, 1000) }, ':c': [...consumed] },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return recordOf(r.Attributes)?.attempts ?? 1;
};

/** how many pages of the pending index one reconcile reads at most while looking for messages it can run */
const PENDING_PAGES = 10;

/**
 * Pending messages older than `olderThanMs` (the fast path may still be working on newer ones), oldest
 * first. `wanted` keeps only the messages a dispatcher can run (the areas its function carries): the
 * pages read go on past the others (up to PENDING_PAGES), so messages left for another area's
 * function never hide newer ones from this one.
 */
export const pendingOutbox = async (now: Date, olderThanMs: number, limit = 100, wanted: (item: OutboxItem) => boolean = () => true): Promise<OutboxItem[]> => {
  const found: OutboxItem[] = [];
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < PENDING_PAGES && found.length < limit; page++) {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk <= :before',
        ExpressionAttributeValues: { ':p': OUTBOX_PENDING_PARTITION, ':before': `${new Date(now.getTime() - olderThanMs).toISOString()}#~` },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) {
      const item = outboxItemOf(i.record);
      if (item && wanted(item) && found.length < limit) found.push(item);
    }
    start = r.LastEvaluatedKey;
    if (!start) break;
  }
  return found;
};

/** Pending messages that failed STUCK_AFTER_ATTEMPTS times or more: what an operator must look at. */
export const stuckOutbox = (): Promise<OutboxItem[]> =>
  queryAll(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      FilterExpression: '#r.#a >= :stuck',
      ExpressionAttributeNames: { '#r': 'record', '#a': 'attempts' },
      ExpressionAttributeValues: { ':p': OUTBOX_PENDING_PARTITION, ':stuck': STUCK_AFTER_ATTEMPTS },
    },
    (i) => outboxItemOf(i.record)!,
  );
