import { queryAll, tableName } from '../adapters/dynamodb/client.ts';
import { auditDayPartition, auditObjectPartition } from '../adapters/dynamodb/keys/audit.ts';
import type { AuditDraft, AuditRecord } from './record.ts';

/**
 * Reads of the audit indexes for the product's own jobs (the nightly evidence jobs find the day's
 * ingests and closed cases, and a package carries the trail of its case and items); the auditors'
 * paged queries are query.ts.
 */

/** The allowed audit records of one agency's day with one of `actions` (gsi1, docs/data-model.md §3). */
export const auditDay = (agencyId: string, date: string, actions: readonly string[]) =>
  queryAll(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      FilterExpression: `#r.#a IN (${actions.map((_, i) => `:a${i}`).join(', ')}) AND #r.#o = :ok`,
      ExpressionAttributeNames: { '#r': 'record', '#a': 'action', '#o': 'outcome' },
      ExpressionAttributeValues: { ':p': auditDayPartition(agencyId, date), ':ok': 'allowed', ...Object.fromEntries(actions.map((a, i) => [`:a${i}`, a])) },
    },
    (i) => i.record as AuditRecord,
  );

/** An object's audit trail (gsi2), oldest first. */
export const auditTrail = (objectType: AuditDraft['objectType'], objectId: string) =>
  queryAll(
    { TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': auditObjectPartition(objectType, objectId) } },
    (i) => i.record as AuditRecord,
  );
