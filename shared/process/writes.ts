import type { DomainWrite } from '../adapters/dynamodb/commit.ts';
import { tableName } from '../adapters/dynamodb/client.ts';
import { agencyFileEntryKey } from '../adapters/dynamodb/keys/process.ts';
import { newId } from '../kernel/ids.ts';
import { notificationWrites } from '../notify/store.ts';
import { outboxWrite } from '../outbox/store.ts';
import type { ProcessCommand } from './events.ts';
import { executionName, type ProcessRecord } from './model.ts';
import { routeNotice } from './recipients.ts';

/**
 * Write builders both sides of the processes use — the user's use cases (service.ts) and the timer
 * side (timer.ts): the audit object of a process, the outbox commands that follow a clock version,
 * the agency file's records, and notices routed by recipients.ts.
 */

export const auditObject = (r: Pick<ProcessRecord, 'processId' | 'agencyId'>) => ({ objectType: 'process' as const, objectId: r.processId, objectAgencyId: r.agencyId });

/** Stop the execution of a clock version that ends, start the one of the version that replaces it. */
export const clockCommands = (before: ProcessRecord, after: ProcessRecord, at: string, cause: string) => {
  const out: ReturnType<typeof outboxWrite<ProcessCommand>>[] = [];
  const old = before.clock;
  const next = after.open ? after.clock : undefined;
  if (old && before.open && old.version !== next?.version) {
    out.push(outboxWrite<ProcessCommand>({ type: 'stopExecution', kind: before.kind, name: executionName(before.processId, old.version), cause }, at));
  }
  if (next && (next.version !== old?.version || !before.open)) {
    out.push(
      outboxWrite<ProcessCommand>(
        { type: 'startExecution', kind: after.kind, name: executionName(after.processId, next.version), input: { processId: after.processId, clockVersion: next.version, kind: after.kind } },
        at,
      ),
    );
  }
  return out;
};

/** A4 机关执法档案: immutable records of the agency's own file (通报批评 of overdue supervised cases …). */
export const agencyFileWrite = (agencyId: string, e: { entryType: string; title: string; detail: Record<string, unknown>; processId: string; at: string }): DomainWrite => {
  const id = newId();
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: { ...agencyFileEntryKey(agencyId, e.at, id), kind: 'agencyFileEntry', record: { ...e, entryId: id, agencyId } },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  };
};

/** A notice about a process to whoever it reaches (recipients.ts, E3). */
export const noticeWrites = async (r: ProcessRecord, kind: 'dueDateMoved' | 'backdatePending', title: string, body: string, at: string) =>
  notificationWrites({ kind: kind === 'dueDateMoved' ? kind : 'opened', agencyId: r.agencyId, processId: r.processId, unitId: r.unitId, title, body, ...(await routeNotice(r, kind)) }, at).writes;
