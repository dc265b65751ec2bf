import { pad } from './sortable.ts';

/**
 * Every key of the deadline processes (docs/data-model.md §3 "Deadline processes"): a process and
 * its history under `PROC#<process>`, the work queues of an agency and of a department, and the
 * agency-file records. The one place these strings are built (test/unit/keys.test.ts keeps it so).
 */

const processPartition = (processId: string) => `PROC#${processId}`;
export const processKey = (processId: string) => ({ pk: processPartition(processId), sk: 'META' });

/** the open or closed processes of an agency (gsi1) or of one department (gsi2) */
export const processListPartition = (scope: { agencyId: string; unitId?: string | undefined }, open: boolean) =>
  scope.unitId ? `PROCS#U#${scope.unitId}#${open ? 'open' : 'closed'}` : `PROCS#${scope.agencyId}#${open ? 'open' : 'closed'}`;
/** earliest due first; a process without a due date sorts last */
const NO_DUE = '9999-12-31';
export const processIndexes = (p: { processId: string; agencyId: string; unitId?: string | undefined; open: boolean; due?: string | undefined }) => {
  const gsisk = `${p.due ?? NO_DUE}#${p.processId}`;
  return {
    gsi1pk: processListPartition({ agencyId: p.agencyId }, p.open),
    gsi1sk: gsisk,
    ...(p.unitId ? { gsi2pk: processListPartition({ agencyId: p.agencyId, unitId: p.unitId }, p.open), gsi2sk: gsisk } : {}),
  };
};

export const HISTORY_SK_PREFIX = 'H#';
/** one history event: 6-digit sequence (the record version it produced) */
export const historyKey = (processId: string, seq: number) => ({ pk: processPartition(processId), sk: `${HISTORY_SK_PREFIX}${pad(seq, 6)}` });
/** the history of one process, for a Query with `begins_with(sk, HISTORY_SK_PREFIX)` */
export const historyPartition = processPartition;

/** the agency's file (A4): its records, newest last */
export const agencyFilePartition = (agencyId: string) => `AFILE#${agencyId}`;
export const agencyFileEntryKey = (agencyId: string, at: string, entryId: string) => ({ pk: agencyFilePartition(agencyId), sk: `${at}#${entryId}` });
