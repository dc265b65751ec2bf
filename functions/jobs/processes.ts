import type { DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { logger } from '#shared/http/logger.ts';
import { systemClock } from '#shared/kernel/clock.ts';
import { dispatch, pendingOutbox, type OutboxItem } from '#shared/process/outbox.ts';
import { reconcileClocks, restartClock } from '#shared/process/service.ts';

/**
 * The jobs of the processes, one function:
 * - the table stream (INSERTs of `OUTBOX#…` items): dispatch what the fast path may have missed;
 * - `{"job":"reconcile"}` every 5 minutes (EventBridge Scheduler): pending outbox commands older
 *   than a minute, and open processes without a live execution;
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
  const clocks = await reconcileClocks();
  return { outbox, clocks };
};

export const handler = async (event: DynamoDBStreamEvent | JobEvent) => {
  if (isStream(event)) {
    const items = event.Records.flatMap((r) =>
      r.eventName === 'INSERT' && r.dynamodb?.NewImage ? [unmarshall(r.dynamodb.NewImage as Record<string, AttributeValue>).record as OutboxItem] : []);
    const result = await dispatch(items.filter((i) => i?.status === 'pending'), JOB_BUDGET_MS);
    // a failed command stays pending: the reconciler retries it; failing the batch would only repeat the others
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
