import { pad } from './sortable.ts';

/**
 * Every key of the officer file's partition (docs/data-model.md §3 "Officer file"): the chain head,
 * its archived links, drafts, attachments and access grants, all under `FILE#<officer>`, and their
 * index keys. The one place these strings are built (test/unit/keys.test.ts keeps it so).
 */

/** the partition of one officer's file (also the timeline index partition, gsi1) */
export const filePartition = (officerId: string) => `FILE#${officerId}`;

/** sort-key prefixes inside the file partition, for `begins_with` */
export const FILE_SK = { entry: 'E#', draft: 'D#', grant: 'G#', attachment: 'A#' } as const;

export const fileMetaKey = (officerId: string) => ({ pk: filePartition(officerId), sk: 'META' });
/** an archived link of the chain: 10-digit sequence, so the links sort in chain order */
export const fileEntryKey = (officerId: string, seq: number) => ({ pk: filePartition(officerId), sk: `${FILE_SK.entry}${pad(seq)}` });
export const draftKey = (officerId: string, entryId: string) => ({ pk: filePartition(officerId), sk: `${FILE_SK.draft}${entryId}` });
export const grantKey = (officerId: string, grantId: string) => ({ pk: filePartition(officerId), sk: `${FILE_SK.grant}${grantId}` });
export const attachmentRecordKey = (officerId: string, attachmentId: string) => ({ pk: filePartition(officerId), sk: `${FILE_SK.attachment}${attachmentId}` });

/** the timeline of one category (gsi2) */
export const categoryPartition = (officerId: string, category: string) => `${filePartition(officerId)}#C#${category}`;
/** timeline sort key: the day the recorded event happened, then the sequence */
export const timelineSort = (occurredOn: string, seq: number) => `T#${occurredOn}#${pad(seq)}`;
/** the bounds of a timeline period, inclusive (`to` sorts after every entry of its day) */
export const timelineRange = (from: string | undefined, to: string | undefined) => ({ from: `T#${from ?? '0000-00-00'}`, to: `T#${to ?? '9999-99-99'}#~` });

export const fileEntryIndexes = (e: { officerId: string; occurredOn: string; seq: number; category: string }) => ({
  gsi1pk: filePartition(e.officerId),
  gsi1sk: timelineSort(e.occurredOn, e.seq),
  gsi2pk: categoryPartition(e.officerId, e.category),
  gsi2sk: timelineSort(e.occurredOn, e.seq),
});

/** a department's (or personnel's) review or entry queue of drafts in one state (gsi1) */
export const draftQueuePartition = (agencyId: string, unitIdOrPersonnel: string, state: string) => `QUEUE#${agencyId}#${unitIdOrPersonnel}#${state}`;
export const draftQueueIndex = (d: { agencyId: string; unitId?: string | undefined; state: string; updatedAt: string; entryId: string }) => ({
  gsi1pk: draftQueuePartition(d.agencyId, d.unitId ?? 'personnel', d.state),
  gsi1sk: `${d.updatedAt}#${d.entryId}`,
});

/** a user's grants (gsi1) */
export const granteePartition = (userId: string) => `GRANTEE#${userId}`;
/** pending grant requests of the custody agency (gsi2, while requested) */
export const grantRequestPartition = (custodyAgencyId: string) => `GRANTQ#${custodyAgencyId}`;
export const grantIndexes = (g: { granteeUserId: string; createdAt: string; grantId: string; status: string }, custodyAgencyId: string) => ({
  gsi1pk: granteePartition(g.granteeUserId),
  gsi1sk: `${g.createdAt}#${g.grantId}`,
  ...(g.status === 'requested' ? { gsi2pk: grantRequestPartition(custodyAgencyId), gsi2sk: `${g.createdAt}#${g.grantId}` } : {}),
});
