import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, isConditionalCheckFailed, tableName } from '../adapters/dynamodb/client.ts';
import type { DomainWrite } from '../adapters/dynamodb/commit.ts';
import { OUTBOX_PENDING_PARTITION, outboxKey, outboxPendingSort } from '../adapters/dynamodb/keys/process.ts';
import { logger } from '../http/logger.ts';
import { newId } from '../kernel/ids.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { deliver, type Delivery } from '../notify/channels.ts';
import { type ClockInput, workflowEngine } from './engine.ts';
import type { ProcessKind } from './model.ts';

/**
 * The transactional outbox (docs/architecture.md §6): a command to the outside world (start or stop an
 * execution, deliver an SMS or e-mail) is written in the SAME transaction as the record change that
 * calls for it, so it can never be lost between the DynamoDB write and the call. Whoever commits
 * dispatches at once (the fast path); the table stream (AWS) and the reconciler (both platforms)
 * dispatch whatever is still pending. Every command is idempotent: executions have deterministic
 * names, deliveries carry their notification id.
 */
export type OutboxCommand =
  | { type: 'startExecution'; kind: ProcessKind; name: string; input: ClockInput }
  | { type: 'stopExecution'; kind: ProcessKind; name: string; cause: string }
  | { type: 'deliver'; delivery: Delivery }
  /** a calendar year published or corrected, or a local closure: recompute the open clocks it touches */
  | { type: 'recomputeClocks'; years: number[]; agencyIds?: string[] };

export interface OutboxItem {
  outboxId: string;
  command: OutboxCommand;
  createdAt: string;
  status: 'pending' | 'done';
}

const DONE_TTL_SECONDS = 7 * 24 * 3600;

export const outboxWrite = (command: OutboxCommand, at: string): { item: OutboxItem; write: DomainWrite } => {
  const item: OutboxItem = { outboxId: newId(), command, createdAt: at, status: 'pending' };
  return {
    item,
    write: {
      item: {
        Put: {
          TableName: tableName(),
          Item: { ...outboxKey(item.outboxId), gsi1pk: OUTBOX_PENDING_PARTITION, gsi1sk: outboxPendingSort(new Date(at).toISOString(), item.outboxId), kind: 'outbox', record: item },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
  };
};

const run = async (c: OutboxCommand, budgetMs: number) => {
  switch (c.type) {
    case 'startExecution':
      return workflowEngine().start(c.kind, c.name, c.input);
    case 'stopExecution':
      return workflowEngine().stop(c.kind, c.name, c.cause);
    case 'deliver':
      return deliver(c.delivery);
    case 'recomputeClocks': {
      const { recomputeOpenClocks } = await import('./service.ts');
      const r = await recomputeOpenClocks(c.years, c.agencyIds, budgetMs);
      // what did not fit in this dispatcher's time goes back to the outbox as its own command
      if (r.remainingAgencyIds.length) {
        const next = outboxWrite({ type: 'recomputeClocks', years: c.years, agencyIds: r.remainingAgencyIds }, nowIso(systemClock));
        await documentClient().send(new PutCommand(next.write.item.Put!));
      }
      return r;
    }
  }
};

const markDone = (outboxId: string) =>
  documentClient().send(new UpdateCommand({
    TableName: tableName(),
    Key: outboxKey(outboxId),
    UpdateExpression: 'SET #r.#s = :done, #ttl = :ttl REMOVE gsi1pk, gsi1sk',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#r': 'record', '#s': 'status', '#ttl': 'ttl' },
    ExpressionAttributeValues: { ':done': 'done', ':ttl': Math.floor(Date.now() / 1000) + DONE_TTL_SECONDS },
  }));

const CLAIM_MS = 60_000;
/** an HTTP request's share of a long command: API Gateway gives the integration 30 s at most */
const DEFAULT_BUDGET_MS = 5_000;

/**
 * Whoever dispatches first claims the command for a minute (the fast path, the stream consumer and
 * the reconciler may all see it): a delivery is not sent twice, and a claim that dies with its
 * dispatcher lapses so the reconciler retries it.
 */
const claim = async (outboxId: string): Promise<boolean> => {
  const now = Date.now();
  try {
    await documentClient().send(new UpdateCommand({
      TableName: tableName(),
      Key: outboxKey(outboxId),
      UpdateExpression: 'SET #claim = :until',
      ConditionExpression: '#r.#s = :pending AND (attribute_not_exists(#claim) OR #claim < :now)',
      ExpressionAttributeNames: { '#r': 'record', '#s': 'status', '#claim': 'claimedUntil' },
      ExpressionAttributeValues: { ':pending': 'pending', ':now': now, ':until': now + CLAIM_MS },
    }));
    return true;
  } catch (e) {
    if (isConditionalCheckFailed(e)) return false;
    throw e;
  }
};

/**
 * Dispatch commands in order (a stop before the start that replaces it). Failures stay pending.
 * `budgetMs` bounds the long commands (clock recomputation) to what the caller's own timeout allows:
 * an HTTP request does a first slice, the jobs function the rest.
 */
export const dispatch = async (items: readonly OutboxItem[], budgetMs = DEFAULT_BUDGET_MS): Promise<{ done: number; failed: number }> => {
  let done = 0;
  let failed = 0;
  for (const item of items) {
    try {
      if (!(await claim(item.outboxId))) continue;
      await run(item.command, budgetMs);
      await markDone(item.outboxId);
      done++;
    } catch (e) {
      failed++;
      logger.warn('outbox command left pending for the reconciler', { outboxId: item.outboxId, type: item.command.type, error: String(e) });
    }
  }
  return { done, failed };
};

/** Pending commands older than `olderThanMs` (the fast path may still be working on newer ones). */
export const pendingOutbox = async (now: Date, olderThanMs: number, limit = 100): Promise<OutboxItem[]> => {
  const before = outboxPendingSort(new Date(now.getTime() - olderThanMs).toISOString(), '~');
  const r = await documentClient().send(new QueryCommand({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p AND gsi1sk <= :before',
    ExpressionAttributeValues: { ':p': OUTBOX_PENDING_PARTITION, ':before': before },
    Limit: limit,
  }));
  return (r.Items ?? []).map((i) => i.record as OutboxItem);
};
