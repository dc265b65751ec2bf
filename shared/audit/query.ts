import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, documentClient, encodeCursor, queryFromCursor, tableName } from '../adapters/dynamodb/client.ts';
import { AUDIT_HEAD_SK, auditChainPartition, auditDayPartition, auditObjectPartition } from '../adapters/dynamodb/keys/audit.ts';
import { config } from '../config.ts';
import { validationError } from '../kernel/errors.ts';
import { verifyAuditChain, type AuditRecord } from './record.ts';
import { auditChainIds } from './shard-store.ts';

/** Auditors' queries over the append-only audit store: by day, by object, CSV export, chain check. */
export interface AuditQuery {
  agencyId: string;
  date: string;
  objectType?: string | undefined;
  objectId?: string | undefined;
  actor?: string | undefined;
  outcome?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** records asked of DynamoDB per round trip while a filter applies (DynamoDB stops at 1 MB anyway) */
const FILTERED_READ = 1000;

/**
 * One page of an agency's audit records, newest first: a day (gsi1) or one object's trail (gsi2),
 * filtered by actor, outcome, type. `limit` counts matching records: DynamoDB applies its Limit
 * before the filter, so the query reads on until the page is full or the data ends — at most
 * `auditQueryBudget` records per request (config); a page cut short by it carries a cursor.
 */
export const queryAuditRecords = async (q: AuditQuery) => {
  if (q.objectId !== undefined && q.objectType === undefined) {
    // the trail is keyed by type and id, and one id names several objects (an officer's id is the
    // officer, the file, the certificates): an id without a type is refused, not silently ignored
    throw validationError('audit.objectTypeRequired', '按对象查询审计记录时须同时指定对象类型（objectType）', [{ path: 'query.objectType', message: '指定 objectId 时必须同时指定 objectType' }]);
  }
  const byObject = q.objectType !== undefined && q.objectId !== undefined;
  const filters: string[] = [];
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  if (q.actor) {
    filters.push('#r.#a.#u = :actor');
    values[':actor'] = q.actor;
    Object.assign(names, { '#r': 'record', '#a': 'actor', '#u': 'userId' });
  }
  if (q.outcome) {
    filters.push('#r.#o = :outcome');
    values[':outcome'] = q.outcome;
    Object.assign(names, { '#r': 'record', '#o': 'outcome' });
  }
  if (byObject) {
    // an object's trail is only shown to auditors of the agency that holds it (or of one above it)
    filters.push('#r.#oa = :agency');
    values[':agency'] = q.agencyId;
    Object.assign(names, { '#r': 'record', '#oa': 'objectAgencyId' });
  } else if (q.objectType) {
    filters.push('#r.#ot = :ot');
    values[':ot'] = q.objectType;
    Object.assign(names, { '#r': 'record', '#ot': 'objectType' });
  }
  const pk = byObject ? auditObjectPartition(q.objectType!, q.objectId!) : auditDayPartition(q.agencyId, q.date);
  const [pkName, skName] = byObject ? ['gsi2pk', 'gsi2sk'] : ['gsi1pk', 'gsi1sk'];
  const budget = config().auditQueryBudget;
  const rows: Record<string, unknown>[] = [];
  let start = decodeCursor(q.cursor, { partition: [pkName, pk], keys: ['pk', 'sk', pkName, skName] });
  let read = 0;
  // one row past the page tells whether there is a next page (no cursor to an empty page)
  while (rows.length <= q.limit && read < budget) {
    const r = await queryFromCursor({
      TableName: tableName(),
      IndexName: byObject ? 'gsi2' : 'gsi1',
      KeyConditionExpression: `${pkName} = :pk`,
      ExpressionAttributeValues: { ':pk': pk, ...values },
      ...(filters.length ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
      ScanIndexForward: false,
      Limit: Math.min(budget - read, filters.length ? FILTERED_READ : q.limit + 1 - rows.length),
      ExclusiveStartKey: start,
    });
    read += Math.max(1, r.ScannedCount ?? 0);
    rows.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
    if (!start) break;
  }
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const cursor = rows.length > q.limit && last ? encodeCursor({ pk: last.pk, sk: last.sk, [pkName]: last[pkName], [skName]: last[skName] }) : encodeCursor(start); // the data ended (none), or the budget did (where the reading stopped)
  return { items: page.map((i) => i.record as AuditRecord), cursor };
};

const CSV_COLUMNS = [
  'at',
  'actor',
  'roles',
  'actorAgency',
  'action',
  'objectType',
  'objectId',
  'objectAgency',
  'outcome',
  'basis',
  'purpose',
  'reason',
  'ip',
  'requestId',
  'chainId',
  'seq',
  'hash',
] as const;

const cell = (v: unknown) => {
  let s = v === undefined || v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`; // CSV injection guard for spreadsheet users
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const toCsv = (records: AuditRecord[]) =>
  '\uFEFF' + // BOM so that spreadsheet software opens the Chinese text as UTF-8
  [
    CSV_COLUMNS.join(','),
    ...records.map((r) =>
      [
        r.at,
        r.actor.userId,
        r.actor.roles.join('|'),
        r.actor.agencyId,
        r.action,
        r.objectType,
        r.objectId,
        r.objectAgencyId,
        r.outcome,
        r.basis,
        r.purpose,
        r.reason,
        r.source.ip,
        r.source.requestId,
        r.chainId,
        r.seq,
        r.hash,
      ]
        .map(cell)
        .join(','),
    ),
  ].join('\r\n') +
  '\r\n';

export const readAuditChain = async (chainId: string): Promise<AuditRecord[]> => {
  const out: AuditRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p AND sk < :h',
        ExpressionAttributeValues: { ':p': auditChainPartition(chainId), ':h': AUDIT_HEAD_SK },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) out.push(i.record as AuditRecord);
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

/**
 * Every chain the agency ever had: `0 … count-1` of its stored shard count, which only grows
 * (shard-setting.ts), so a chain that holds a record is never left out (docs/scale.md).
 */
export const verifyAgencyAudit = async (agencyId: string) => {
  const chainIds = await auditChainIds(agencyId);
  const chains = await Promise.all(chainIds.map(async (chainId) => ({ chainId, ...verifyAuditChain(await readAuditChain(chainId)) })));
  return { ok: chains.every((c) => c.ok), shards: chainIds.length, chains };
};
