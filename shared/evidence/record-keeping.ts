import type { DomainWrite } from '../adapters/dynamodb/commit.ts';
import { queryAll, tableName as tableNameOf } from '../adapters/dynamodb/client.ts';
import { recordKeepingPartition, storageRecordKey, storageYearPrefix } from '../adapters/dynamodb/keys/evidence.ts';
import { shanghaiDate } from '../kernel/clock.ts';
import type { EvidenceItem } from './model.ts';

/**
 * D2 record-keeping of each officer: one immutable item per stored recording, late or on time,
 * under the capturing officer (`RECORDKEEPING#<officer>` / `D2#<year>#<evidence>`), counted for the
 * year's assessment (B1) — the "late uploads counted against the officer's record-keeping".
 */
export const storageRecordWrite = (e: EvidenceItem, storedAt: string): DomainWrite => ({
  item: {
    Put: {
      TableName: tableNameOf(),
      Item: {
        ...storageRecordKey(e.capture.officerId, shanghaiDate(new Date(e.capture.startedAt)).slice(0, 4), e.evidenceId),
        kind: 'storageRecord',
        record: { evidenceId: e.evidenceId, officerId: e.capture.officerId, capturedAt: e.capture.startedAt, endedAt: e.capture.endedAt, storedAt, late: !!e.late, title: e.title },
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
});

export interface StorageRecord {
  evidenceId: string;
  officerId: string;
  capturedAt: string;
  endedAt: string;
  storedAt: string;
  late: boolean;
  title: string;
}

/** An officer's D2 record-keeping for a year: recordings stored, how many late, and which. */
export const recordKeepingOf = async (officerId: string, year: number) => {
  const items = await queryAll(
    {
      TableName: tableNameOf(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :y)',
      ExpressionAttributeValues: { ':pk': recordKeepingPartition(officerId), ':y': storageYearPrefix(year) },
    },
    (i) => i.record as StorageRecord,
  );
  const late = items.filter((i) => i.late);
  return { officerId, year, stored: items.length, late: late.length, onTime: items.length - late.length, lateItems: late };
};
