import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, pad, queryAll, queryFromCursor, tableName } from '../adapters/dynamodb/client.ts';
import { putVersioned, type DomainWrite } from '../adapters/dynamodb/commit.ts';
import { conflict, notFound } from '../kernel/errors.ts';
import type { HistoryEvent, ProcessRecord } from './model.ts';

/**
 * Process records (`PROC#<id>` / `META`), their append-only history (`PROC#<id>` / `H#<seq>`), and
 * the work queues: open or closed processes of an agency (gsi1) and of a department (gsi2), ordered
 * by due date so overdue and near-due work comes first.
 */
const NO_DUE = '9999-12-31';
const openness = (p: ProcessRecord) => (p.open ? 'open' : 'closed');
const dueKey = (p: ProcessRecord) => `${p.clock?.due ?? NO_DUE}#${p.processId}`;

export const processItem = (p: ProcessRecord) => ({
  pk: `PROC#${p.processId}`,
  sk: 'META',
  gsi1pk: `PROCS#${p.agencyId}#${openness(p)}`,
  gsi1sk: dueKey(p),
  ...(p.unitId ? { gsi2pk: `PROCS#U#${p.unitId}#${openness(p)}`, gsi2sk: dueKey(p) } : {}),
  kind: 'process',
  record: p,
});

export const putProcess = (p: ProcessRecord, expectedVersion: number | undefined): DomainWrite =>
  putVersioned(processItem(p), expectedVersion, () => conflict('process.versionConflict', '流程已被他人处理，请刷新后重试（ETag 不匹配）'));

export const historyWrite = (h: HistoryEvent): DomainWrite => ({
  item: {
    Put: {
      TableName: tableName(),
      Item: { pk: `PROC#${h.processId}`, sk: `H#${pad(h.seq, 6)}`, kind: 'processHistory', record: JSON.parse(JSON.stringify(h)) as HistoryEvent },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
});

export const findProcess = async (processId: string, consistent = false): Promise<ProcessRecord | undefined> =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: { pk: `PROC#${processId}`, sk: 'META' }, ConsistentRead: consistent }))).Item?.record as ProcessRecord | undefined;

export const readProcess = async (processId: string, consistent = false) => {
  const p = await findProcess(processId, consistent);
  if (!p) throw notFound('process.notFound', '流程不存在或无权访问');
  return p;
};

export const readHistory = (processId: string): Promise<HistoryEvent[]> =>
  queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
    ExpressionAttributeValues: { ':pk': `PROC#${processId}`, ':h': 'H#' },
  }, (i) => i.record as HistoryEvent);

/** One page of an agency's (or a department's) open or closed processes, earliest due first. */
export const queryProcesses = (
  scope: { agencyId: string; unitId?: string | undefined },
  open: boolean,
  opts: { limit: number; startKey?: Record<string, unknown> | undefined },
) => {
  const byUnit = !!scope.unitId;
  const index = byUnit ? 'gsi2' : 'gsi1';
  const pk = byUnit ? `PROCS#U#${scope.unitId}#${open ? 'open' : 'closed'}` : `PROCS#${scope.agencyId}#${open ? 'open' : 'closed'}`;
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
  queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': `PROCS#${agencyId}#open` },
  }, (i) => i.record as ProcessRecord);

/** Every open process of an agency or of one department, earliest due first (the work list's totals). */
export const openProcessesIn = (scope: { agencyId: string; unitId?: string | undefined }): Promise<ProcessRecord[]> => {
  const index = scope.unitId ? 'gsi2' : 'gsi1';
  return queryAll({
    TableName: tableName(),
    IndexName: index,
    KeyConditionExpression: `${index}pk = :pk`,
    ExpressionAttributeValues: { ':pk': scope.unitId ? `PROCS#U#${scope.unitId}#open` : `PROCS#${scope.agencyId}#open` },
  }, (i) => i.record as ProcessRecord);
};
