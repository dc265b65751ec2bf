import type { DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { logger } from '#shared/http/logger.ts';
import { systemClock } from '#shared/kernel/clock.ts';
import { dispatch } from '#shared/outbox/dispatch.ts';
import { type OutboxItem, outboxItemOf, pendingOutbox, stuckOutbox } from '#shared/outbox/store.ts';
import { reconcileClocks, restartClock } from '#shared/process/timer.ts';
import { wire } from '#shared/wiring.ts';

// every area's consumer: the stream and the reconciler run whatever the fast path left (docs/architecture.md §6)
wire();

/**
 * The jobs of the processes, one function:
 * - the table stream (INSERTs of `OUTBOX#…` items): run every area's consumer of what the fast path
 *   may have missed (domain events and commands alike, shared/wiring.ts);
 * - `{"job":"reconcile"}` every 5 minutes (EventBridge Scheduler): pending outbox messages older
 *   than a minute (a failed consumer's retry), the list of stuck ones (logged at error level:
 *   `outbox.stuck`), and open processes without a live execution;
 * - `{"job":"resume","processId","clockVersion"}` (one-time schedules): restart a deferred clock.
 */
export const RECONCILE_AFTER_MS = 60_000;
/** the jobs function runs 2 minutes at most (infra/aws/process-jobs.ts): leave room to finish */
const JOB_BUDGET_MS = 90_000;

type JobEvent = { job: 'reconcile' } | { job: 'resume'; processId: string; clockVersion: number };

const isStream = (e: unknown): e is DynamoDBStreamEvent => Array.isArray((e as DynamoDBStreamEvent)?.Records);

export const reconcile = async (olderThanMs = RECONCILE_AFTER_MS) => {
  const pending = await pendingOutbox(systemClock.now(), olderThanMs);
  const outbox = await dispatch(pending, JOB_BUDGET_MS);
  const stuck = await stuckOutbox();
  if (stuck.length) {
    logger.error('outbox.stuck: messages that keep failing', {
      count: stuck.length,
      items: stuck.slice(0, 20).map((i) => ({ outboxId: i.outboxId, type: i.message.type, createdAt: i.createdAt, attempts: i.attempts, lastError: i.lastError })),
    });
  }
  const clocks = await reconcileClocks();
  return { outbox: { ...outbox, stuck: stuck.length }, clocks };
};

export const handler = async (event: DynamoDBStreamEvent | JobEvent) => {
  if (isStream(event)) {
    const items = event.Records.flatMap((r) => (r.eventName === 'INSERT' && r.dynamodb?.NewImage ? [outboxItemOf(unmarshall(r.dynamodb.NewImage as Record<string, AttributeValue>).record)] : []));
    const result = await dispatch(
      items.filter((i): i is OutboxItem => i?.status === 'pending'),
      JOB_BUDGET_MS,
    );
    // a failed message stays pending: the reconciler retries it; failing the batch would only repeat the others
    logger.info('outbox stream', { ...result });
    return result;
  }
  if (event.job === 'reconcile') {
    const result = await reconcile();
    logger.info('reconcile', result);
    return result;
  }
  if (event.job === 'resume') {
    const r = await restartClock(event.processId, event.clockVersion, 'deferred clock resumed by the scheduler');
    return { resumed: !!r };
  }
  throw new Error(`unknown job ${JSON.stringify(event)}`);
};
