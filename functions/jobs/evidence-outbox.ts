import type { DynamoDBStreamEvent } from 'aws-lambda';
import { evidenceConsumer } from '#shared/evidence/consumers.ts';
import { logger } from '#shared/http/logger.ts';
import { systemClock } from '#shared/kernel/clock.ts';
import { dispatchStream, isStreamEvent, RECONCILE_AFTER_MS, reconcileOutbox } from '#shared/outbox/jobs.ts';
import { wire } from '#shared/wiring.ts';

// the evidence area's consumer only (docs/architecture.md §6): the other areas' functions leave its messages pending for it
wire([evidenceConsumer]);

/**
 * The evidence area's consumer of the outbox, one function (infra/aws/evidence-jobs.ts), apart from
 * the nightly evidence jobs so that the role that disposes of originals never also places or lifts a
 * legal hold (infra/aws/access.ts):
 * - the table stream (INSERTs of `OUTBOX#…` items): run the evidence consumer of the messages that
 *   name the evidence area (shared/outbox/subscribers.ts: case closed, obstruction, review or lawsuit,
 *   complaint) — the other messages are not even claimed;
 * - `{"job":"reconcile"}` every 5 minutes (EventBridge Scheduler): pending messages older than a
 *   minute that still wait for the evidence area (a failed consumer's retry, a missed delivery).
 */
/** the function runs 2 minutes at most (infra/aws/evidence-jobs.ts): leave room to finish */
const JOB_BUDGET_MS = 90_000;

export type EvidenceOutboxEvent = DynamoDBStreamEvent | { job: 'reconcile' };

export const reconcile = (olderThanMs = RECONCILE_AFTER_MS) => reconcileOutbox(systemClock.now(), olderThanMs, JOB_BUDGET_MS);

export const handler = async (event: EvidenceOutboxEvent) => {
  if (isStreamEvent(event)) return dispatchStream(event, JOB_BUDGET_MS);
  if (event?.job === 'reconcile') {
    const result = await reconcile();
    logger.info('evidence outbox reconcile', result);
    return result;
  }
  throw new Error(`unknown job ${JSON.stringify(event)}`);
};
