import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, documentClient, encodeCursor, queryFromCursor, tableName } from '../adapters/dynamodb/client.ts';
import { config } from '../config.ts';
import { verifyAuditChain, type AuditRecord } from './record.ts';

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

export const queryAuditRecords = async (q: AuditQuery) => {
  const byObject = q.objectType !== undefined && q.objectId !== undefined;
  const filters: string[] = [];
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  if (q.actor) { filters.push('#r.#a.#u = :actor'); values[':actor'] = q.actor; Object.assign(names, { '#r': 'record', '#a': 'actor', '#u': 'userId' }); }
  if (q.outcome) { filters.push('#r.#o = :outcome'); values[':outcome'] = q.outcome; Object.assign(names, { '#r': 'record', '#o': 'outcome' }); }
  if (byObject) {
    // an object's trail is only shown to auditors of the agency that holds it
    filters.push('#r.#oa = :agency'); values[':agency'] = q.agencyId; Object.assign(names, { '#r': 'record', '#oa': 'objectAgencyId' });
  } else if (q.objectType) {
    filters.push('#r.#ot = :ot'); values[':ot'] = q.objectType; Object.assign(names, { '#r': 'record', '#ot': 'objectType' });
  }
  const pk = byObject ? `AUDITOBJ#${q.objectType}#${q.objectId}` : `AUDITDAY#${q.agencyId}#${q.date}`;
  const [pkName, skName] = byObject ? ['gsi2pk', 'gsi2sk'] : ['gsi1pk', 'gsi1sk'];
  const r = await queryFromCursor({
    TableName: tableName(),
    IndexName: byObject ? 'gsi2' : 'gsi1',
    KeyConditionExpression: byObject ? 'gsi2pk = :pk' : 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': pk, ...values },
    ...(filters.length ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
    ScanIndexForward: false,
    Limit: q.limit,
    ExclusiveStartKey: decodeCursor(q.cursor, { partition: [pkName, pk], keys: ['pk', 'sk', pkName, skName] }),
  });
  return { items: (r.Items ?? []).map((i) => i.record as AuditRecord), cursor: encodeCursor(r.LastEvaluatedKey) };
};

const CSV_COLUMNS = ['at', 'actor', 'roles', 'actorAgency', 'action', 'objectType', 'objectId', 'objectAgency', 'outcome', 'basis', 'purpose', 'reason', 'ip', 'requestId', 'chainId', 'seq', 'hash'] as const;

const cell = (v: unknown) => {
  let s = v === undefined || v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`; // CSV injection guard for spreadsheet users
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const toCsv = (records: AuditRecord[]) =>
  '\uFEFF' + // BOM so that spreadsheet software opens the Chinese text as UTF-8
  [CSV_COLUMNS.join(','), ...records.map((r) => [r.at, r.actor.userId, r.actor.roles.join('|'), r.actor.agencyId, r.action, r.objectType, r.objectId, r.objectAgencyId, r.outcome, r.basis, r.purpose, r.reason, r.source.ip, r.source.requestId, r.chainId, r.seq, r.hash].map(cell).join(','))].join('\r\n') + '\r\n';

export const readAuditChain = async (chainId: string): Promise<AuditRecord[]> => {
  const out: AuditRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(new QueryCommand({
      TableName: tableName(), KeyConditionExpression: 'pk = :p AND sk < :h', ExpressionAttributeValues: { ':p': `AUDIT#${chainId}`, ':h': 'HEAD' }, ConsistentRead: true, ExclusiveStartKey: start,
    }));
    for (const i of r.Items ?? []) out.push(i.record as AuditRecord);
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

export const verifyAgencyAudit = async (agencyId: string) => {
  const shards = Math.max(1, config().auditShards);
  const chains = await Promise.all(
    Array.from({ length: shards }, async (_, i) => {
      const chainId = `${agencyId}#${i}`;
      return { chainId, ...verifyAuditChain(await readAuditChain(chainId)) };
    }),
  );
  return { ok: chains.every((c) => c.ok), chains };
};
