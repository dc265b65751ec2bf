import { requireWorkListReader } from '../access/permission.ts';
import { audit, type AuditContext } from '../adapters/dynamodb/commit.ts';
import { decodeCursor, encodeCursor } from '../adapters/dynamodb/client.ts';
import { processListPartition } from '../adapters/dynamodb/keys/process.ts';
import { systemClock } from '../kernel/clock.ts';
import { listUndelivered } from '../notify/store.ts';
import type { ProcessKind, ProcessRecord } from './model.ts';
import { type ProcessView, viewOf, visibility } from './service.ts';
import { openProcessesIn, processItem, queryProcesses } from './store.ts';

/**
 * 红黄牌 work list of an agency or one department: open processes ordered by due date, each with its
 * colour; `status` narrows the items to overdue (red) or near-due (yellow) work, `kind` to one kind.
 * `counts` are the totals of the list's scope — the agency or the department, as far as the caller
 * may see it — whatever the filters; `undelivered` lists the notices of the scope that reached
 * nobody (E3): errors to be put right, never silent. A page is filled up to `limit` after filtering.
 */
export interface WorkQuery {
  unitId?: string | undefined;
  status?: 'red' | 'yellow' | 'open' | 'closed' | undefined;
  kind?: ProcessKind | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** how many notices that reached nobody the list shows (newest first, of processes still open) */
const UNDELIVERED_SHOWN = 20;
const UNDELIVERED_READ = 200;

export const listWork = async (ctx: AuditContext, agencyId: string, q: WorkQuery) => {
  const p = ctx.principal;
  await requireWorkListReader(ctx, agencyId, q.unitId, { action: 'process.list', code: 'process.listForbidden', detail: '只有机关领导、执法监督、法制、纪检监察部门或本部门负责人可以查看工作清单' });
  const at = (ctx.clock ?? systemClock).now();
  const index = q.unitId ? 'gsi2' : 'gsi1';
  const scope = { agencyId, unitId: q.unitId };
  const partition = (open: boolean) => processListPartition(scope, open);
  const open = q.status !== 'closed';
  const start = decodeCursor(q.cursor, { partition: [`${index}pk`, partition(open)], keys: ['pk', 'sk', `${index}pk`, `${index}sk`] });
  const visible = (records: ProcessRecord[]) => records.map((r) => viewOf(p, r, at)).filter((v) => visibility(p, v) === 'read');
  const wanted = (v: ProcessView) => (!q.kind || v.kind === q.kind) && (q.status === 'red' || q.status === 'yellow' ? v.status?.color === q.status : true);

  const openViews = visible(await openProcessesIn(scope));
  const counts = { open: openViews.length, red: 0, yellow: 0, green: 0 };
  for (const v of openViews) counts[v.status?.color ?? 'green']++;

  let items: ProcessView[];
  let next: Record<string, unknown> | undefined;
  if (open) {
    const after = start?.[`${index}sk`] as string | undefined;
    const keyOf = (v: ProcessView) => processItem(v) as Record<string, unknown>;
    const matching = openViews.filter((v) => wanted(v) && (!after || String(keyOf(v)[`${index}sk`]) > after));
    items = matching.slice(0, q.limit);
    const last = items.at(-1);
    next = last && matching.length > q.limit ? Object.fromEntries(['pk', 'sk', `${index}pk`, `${index}sk`].map((k) => [k, keyOf(last)[k]])) : undefined;
  } else {
    // closed work is history: paged straight from the index
    const page = await queryProcesses(scope, false, { limit: q.limit, startKey: start });
    items = visible((page.Items ?? []).map((i) => i.record as ProcessRecord)).filter(wanted);
    next = page.LastEvaluatedKey;
  }
  const openIds = new Set(openViews.map((v) => v.processId));
  const undelivered = (await listUndelivered(agencyId, q.unitId, UNDELIVERED_READ)).filter((u) => !u.processId || openIds.has(u.processId)).slice(0, UNDELIVERED_SHOWN);
  await audit(ctx, [{ action: 'process.list', objectType: 'agency', objectId: agencyId, objectAgencyId: agencyId, outcome: 'allowed', reason: q.unitId ? `unit ${q.unitId}` : undefined }]);
  return { items: items.map(summary), counts, undelivered, cursor: encodeCursor(next) };
};

const summary = (v: ProcessView) => ({
  processId: v.processId,
  kind: v.kind,
  title: v.title,
  state: v.state,
  open: v.open,
  unitId: v.unitId,
  assignee: v.assignee,
  due: v.clock?.due,
  phase: v.clock?.label,
  provisional: v.clock?.provisional,
  status: v.status,
  version: v.version,
  ...((v.data.basis as { status?: string } | undefined)?.status === 'pending' ? { backdatePending: true } : {}),
});
