/**
 * Every key of the transactional outbox (docs/data-model.md §3): one item per message under
 * `OUTBOX#<id>`, in the pending index until it is done. The one place these strings are built
 * (test/unit/keys.test.ts keeps it so).
 */

/** Every outbox item's partition starts so (the table stream's filter, infra/aws/process-jobs.ts). */
export const OUTBOX_PARTITION_PREFIX = 'OUTBOX#';
export const outboxKey = (outboxId: string) => ({ pk: `${OUTBOX_PARTITION_PREFIX}${outboxId}`, sk: 'META' });
/** pending messages (gsi1), oldest first by their UTC creation time; removed once done */
export const OUTBOX_PENDING_PARTITION = `${OUTBOX_PARTITION_PREFIX}pending`;
/** `outboxPendingSort(<time>, '~')` bounds every message of that instant (ids are ULIDs) */
export const outboxPendingSort = (createdAtUtc: string, outboxId: string) => `${createdAtUtc}#${outboxId}`;
