import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../kernel/logger.ts';
import { carriedAreas, dispatch, waitsFor } from './dispatch.ts';
import { type OutboxItem, outboxItemOf, pendingOutbox } from './store.ts';

/**
 * What the outbox's jobs functions share (docs/architecture.md §6): each runs, from the table stream
 * and from its reconciler, the consumers of the areas it carries (functions/jobs/processes.ts: process
 * and notify; functions/jobs/evidence-outbox.ts: evidence).
 */

/** pending messages older than this are a failed or missed dispatch: the reconciler runs them */
export const RECONCILE_AFTER_MS = 60_000;

export const isStreamEvent = (e: unknown): e is DynamoDBStreamEvent => Array.isArray((e as DynamoDBStreamEvent)?.Records);

/** The pending messages a stream batch inserted (the mapping delivers `OUTBOX#` inserts only). */
export const outboxOfStream = (event: DynamoDBStreamEvent): OutboxItem[] =>
  event.Records.flatMap((r) => {
    if (r.eventName !== 'INSERT' || !r.dynamodb?.NewImage) return [];
    const item = outboxItemOf(unmarshall(r.dynamodb.NewImage as Record<string, AttributeValue>).record);
    return item?.status === 'pending' ? [item] : [];
  });

/** A stream batch: run what it inserted. A failed message stays pending for the reconciler; failing the batch would only repeat the others. */
export const dispatchStream = async (event: DynamoDBStreamEvent, budgetMs: number) => {
  const result = await dispatch(outboxOfStream(event), budgetMs);
  logger.info('outbox stream', { areas: carriedAreas(), ...result });
  return result;
};

/** The reconciler's outbox pass: the pending messages older than `olderThanMs` that still wait for an area this function carries. */
export const reconcileOutbox = async (now: Date, olderThanMs: number, budgetMs: number) => {
  const areas = carriedAreas();
  const pending = await pendingOutbox(now, olderThanMs, 100, (item) => waitsFor(item, areas));
  return dispatch(pending, budgetMs);
};
