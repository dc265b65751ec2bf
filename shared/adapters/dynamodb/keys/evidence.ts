import { pad } from './sortable.ts';

/**
 * Every key of the audiovisual evidence and its preservation (docs/data-model.md §3 "Audiovisual
 * evidence and preservation"): the item and what hangs off it under `EVID#<evidence>` (viewing
 * requests, copies, disposition), the registers, the fixity rota and checks, D2 storage records,
 * case packages, the D8 spot-check ledger, the nightly jobs' cursors, and their index keys. The one
 * place these strings are built (test/unit/keys.test.ts keeps it so).
 */

const evidencePartition = (evidenceId: string) => `EVID#${evidenceId}`;
export const evidenceKey = (evidenceId: string) => ({ pk: evidencePartition(evidenceId), sk: 'META' });

/** the recordings linked to a case (gsi1) */
export const caseEvidencePartition = (caseId: string) => `EVIDS#CASE#${caseId}`;
/** a capturing officer's recordings not linked to a case yet (gsi1) */
export const officerEvidencePartition = (officerId: string) => `EVIDS#OFFICER#${officerId}`;
/** the items whose retention ends in a month `YYYY-MM` (gsi2), sorted by their last day to keep */
export const expiryPartition = (month: string) => `EXPIRY#${month}`;
export const evidenceIndexes = (e: { evidenceId: string; caseId?: string | undefined; officerId: string; capturedAt: string; retainUntil?: string | undefined }) => ({
  gsi1pk: e.caseId ? caseEvidencePartition(e.caseId) : officerEvidencePartition(e.officerId),
  gsi1sk: `${e.capturedAt}#${e.evidenceId}`,
  ...(e.retainUntil ? { gsi2pk: expiryPartition(e.retainUntil.slice(0, 7)), gsi2sk: `${e.retainUntil}#${e.evidenceId}` } : {}),
});

/** a viewing request of an item (D6) */
export const viewRequestKey = (evidenceId: string, requestId: string) => ({ pk: evidencePartition(evidenceId), sk: `VR#${requestId}` });

/** the copy register of an item (D5), and of an agency (gsi1) */
export const COPY_SK_PREFIX = 'COPY#';
export const copyPartition = evidencePartition;
export const copyKey = (evidenceId: string, copyId: string) => ({ pk: evidencePartition(evidenceId), sk: `${COPY_SK_PREFIX}${copyId}` });
export const copyIndex = (agencyId: string, producedAt: string, copyId: string) => ({ gsi1pk: `COPIES#${agencyId}`, gsi1sk: `${producedAt}#${copyId}` });

/** the disposition of an item; approved ones wait in gsi2 for the nightly job */
export const dispositionKey = (evidenceId: string) => ({ pk: evidencePartition(evidenceId), sk: 'DISPOSITION' });
export const APPROVED_DISPOSITIONS_PARTITION = 'DISPOSE#approved';
export const approvedDispositionIndex = (proposedAt: string, evidenceId: string) => ({ gsi2pk: APPROVED_DISPOSITIONS_PARTITION, gsi2sk: `${proposedAt}#${evidenceId}` });

/** the destruction register of an agency */
export const destructionPartition = (agencyId: string) => `DESTRUCTION#${agencyId}`;
export const destructionKey = (agencyId: string, at: string, evidenceId: string) => ({ pk: destructionPartition(agencyId), sk: `${at}#${evidenceId}` });

/** the fixity rota: one of the daily buckets `000`–`364`, each item's id as the sort key */
export const fixityRotaPartition = (bucket: number) => `FIXITYQ#${pad(bucket, 3)}`;
export const fixityRotaKey = (bucket: number, evidenceId: string) => ({ pk: fixityRotaPartition(bucket), sk: evidenceId });
/** the fixity checks of an item, by time */
export const fixityCheckPartition = (evidenceId: string) => `FIXITY#${evidenceId}`;
export const fixityCheckKey = (evidenceId: string, at: string) => ({ pk: fixityCheckPartition(evidenceId), sk: at });

/** D2 storage records of a capturing officer, by capture year */
export const recordKeepingPartition = (officerId: string) => `RECORDKEEPING#${officerId}`;
export const storageYearPrefix = (year: string | number) => `D2#${year}#`;
export const storageRecordKey = (officerId: string, year: string, evidenceId: string) => ({ pk: recordKeepingPartition(officerId), sk: `${storageYearPrefix(year)}${evidenceId}` });

/** the preservation package of a closed case, and an agency's packages (gsi1, once packaged) */
export const packageKey = (caseId: string) => ({ pk: `PACKAGE#${caseId}`, sk: 'META' });
export const packageIndex = (agencyId: string, packagedAt: string, caseId: string) => ({ gsi1pk: `PACKAGES#${agencyId}`, gsi1sk: `${packagedAt}#${caseId}` });

/** the D8 spot-check ledger of an agency's day, an officer's picks (gsi1, by date), and the run marking a day drawn */
export const spotCheckLedgerPartition = (agencyId: string, date: string) => `SPOTCHECK#${agencyId}#${date}`;
export const spotCheckKey = (agencyId: string, date: string, evidenceId: string) => ({ pk: spotCheckLedgerPartition(agencyId, date), sk: evidenceId });
export const officerSpotCheckPartition = (officerId: string) => `SPOTCHECKS#OFFICER#${officerId}`;
export const officerSpotCheckIndex = (officerId: string, date: string, evidenceId: string) => ({ gsi1pk: officerSpotCheckPartition(officerId), gsi1sk: `${date}#${evidenceId}` });
export const spotCheckRunKey = (agencyId: string, date: string) => ({ pk: `SPOTCHECKRUN#${agencyId}`, sk: date });

/** where the nightly retention sweep and each agency's packaging resume */
export const sweepCursorKey = () => ({ pk: 'SWEEP#cursor', sk: 'retention' });
export const preservationCursorKey = (agencyId: string) => ({ pk: 'PRESERVE#cursor', sk: agencyId });

/** one report per write of an object nobody declared (an S3 version id, else the event's sequencer or time) */
export const strayObjectKey = (objectKey: string, writeId: string) => ({ pk: `STRAYOBJ#${objectKey}`, sk: writeId });
