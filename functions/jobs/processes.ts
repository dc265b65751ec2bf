import type { DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '#shared/http/logger.ts';
import { systemClock } from '#shared/kernel/clock.ts';
import { notifyConsumer } from '#shared/notify/consumers.ts';
import { dispatchStream, isStreamEvent, RECONCILE_AFTER_MS, reconcileOutbox } from '#shared/outbox/jobs.ts';
import { stuckOutbox } from '#shared/outbox/store.ts';
import { processConsumer } from '#shared/process/consumers.ts';
import { reconcileClocks, restartClock } from '#shared/process/timer.ts';
import { wire } from '#shared/wiring.ts';

// the process and notify areas' consumers: the stream and the reconciler run what the fast path left
// for them; the evidence area's messages are functions/jobs/evidence-outbox.ts's (docs/architecture.md §6)
wire([processConsumer, notifyConsumer]);

/**
 * The jobs of the processes, one function:
 * - the table stream (INSERTs of `OUTBOX#…` items): run the process and notify consumers of what the
 *   fast path may have missed (domain events and commands alike, shared/outbox/subscribers.ts);
 * - `{"job":"reconcile"}` every 5 minutes (EventBridge Scheduler): pending outbox messages older
 *   than a minute still waiting for the process or notify area (a failed consumer's retry), the list of stuck ones (logged at error level:
 *   `outbox.stuck`), and open processes without a live execution;
 * - `{"job":"resume","processId","clockVersion"}` (one-time schedules): restart a deferred clock.
 */
/** the jobs function runs 2 minutes at most (infra/aws/process-jobs.ts): leave room to finish */
const JOB_BUDGET_MS = 90_000;

type JobEvent = { job: 'reconcile' } | { job: 'resume'; processId: string; clockVersion: number };

export const reconcile = async (olderThanMs = RECONCILE_AFTER_MS) => {
  const outbox = await reconcileOutbox(systemClock.now(), olderThanMs, JOB_BUDGET_MS);
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
  if (isStreamEvent(event)) return dispatchStream(event, JOB_BUDGET_MS);
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
