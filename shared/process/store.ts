import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, queryAll, queryFromCursor, tableName } from '../adapters/dynamodb/client.ts';
import { putVersioned, type DomainWrite } from '../adapters/dynamodb/commit.ts';
import { HISTORY_SK_PREFIX, historyKey, historyPartition, processIndexes, processKey, processListPartition } from '../adapters/dynamodb/keys/process.ts';
import { conflict, notFound } from '../kernel/errors.ts';
import type { HistoryEvent, ProcessRecord } from './model.ts';

/**
 * Process records (`PROC#<id>` / `META`), their append-only history (`PROC#<id>` / `H#<seq>`), and
 * the work queues: open or closed processes of an agency (gsi1) and of a department (gsi2), ordered
 * by due date so overdue and near-due work comes first.
 */
export const processItem = (p: ProcessRecord) => ({
  ...processKey(p.processId),
  ...processIndexes({ processId: p.processId, agencyId: p.agencyId, unitId: p.unitId, open: p.open, due: p.clock?.due }),
  kind: 'process',
  record: p,
});

export const putProcess = (p: ProcessRecord, expectedVersion: number | undefined): DomainWrite =>
  putVersioned(processItem(p), expectedVersion, () => conflict('process.versionConflict', '流程已被他人处理，请刷新后重试（ETag 不匹配）'));

export const historyWrite = (h: HistoryEvent): DomainWrite => ({
  item: {
    Put: {
      TableName: tableName(),
      Item: { ...historyKey(h.processId, h.seq), kind: 'processHistory', record: JSON.parse(JSON.stringify(h)) as HistoryEvent },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
});

export const findProcess = async (processId: string, consistent = false): Promise<ProcessRecord | undefined> =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: processKey(processId), ConsistentRead: consistent }))).Item?.record as ProcessRecord | undefined;

export const readProcess = async (processId: string, consistent = false) => {
  const p = await findProcess(processId, consistent);
  if (!p) throw notFound('process.notFound', '流程不存在或无权访问');
  return p;
};

export const readHistory = (processId: string): Promise<HistoryEvent[]> =>
  queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
      ExpressionAttributeValues: { ':pk': historyPartition(processId), ':h': HISTORY_SK_PREFIX },
    },
    (i) => i.record as HistoryEvent,
  );

/** One page of an agency's (or a department's) open or closed processes, earliest due first. */
export const queryProcesses = (scope: { agencyId: string; unitId?: string | undefined }, open: boolean, opts: { limit: number; startKey?: Record<string, unknown> | undefined }) => {
  const byUnit = !!scope.unitId;
  const index = byUnit ? 'gsi2' : 'gsi1';
  const pk = processListPartition(scope, open);
  return queryFromCursor({
    TableName: tableName(),
    IndexName: index,
    KeyConditionExpression: `${index}pk = :pk`,
    ExpressionAttributeValues: { ':pk': pk },
    Limit: opts.limit,
    ExclusiveStartKey: opts.startKey,
  });
};

/** Every open process of an agency (the reconciler, calendar recomputation). */
export const allOpenProcesses = (agencyId: string): Promise<ProcessRecord[]> =>
  queryAll(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': processListPartition({ agencyId }, true) },
    },
    (i) => i.record as ProcessRecord,
  );

/** Every open process of an agency or of one department, earliest due first (the work list's totals). */
export const openProcessesIn = (scope: { agencyId: string; unitId?: string | undefined }): Promise<ProcessRecord[]> => {
  const index = scope.unitId ? 'gsi2' : 'gsi1';
  return queryAll(
    {
      TableName: tableName(),
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk`,
      ExpressionAttributeValues: { ':pk': processListPartition(scope, true) },
    },
    (i) => i.record as ProcessRecord,
  );
};
