/**
 * The key of an idempotency record (docs/data-model.md §3 "Audit"): one per user and
 * `Idempotency-Key`, written by the one writer (shared/adapters/dynamodb/commit.ts). The one place
 * this string is built (test/unit/keys.test.ts keeps it so).
 */
export const idempotencyKey = (userId: string, key: string) => ({ pk: `IDEM#${userId}#${key}`, sk: 'META' });
