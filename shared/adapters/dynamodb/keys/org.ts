/**
 * Every key of the organisation (docs/data-model.md §3 "Organisation"): agencies and their
 * departments under `AGENCY#<agency>`, officers and their certificates under `OFFICER#<officer>`,
 * and their index keys. The one place these strings are built (test/unit/keys.test.ts keeps it so).
 */

export const agencyPartition = (agencyId: string) => `AGENCY#${agencyId}`;
export const agencyKey = (agencyId: string) => ({ pk: agencyPartition(agencyId), sk: 'META' });
/** the agency tree (gsi1): every agency, sorted by its path of ids from the root down */
export const AGENCY_TREE_PARTITION = 'AGENCIES';
export const agencyTreeIndex = (a: { agencyId: string; ancestors: readonly string[] }) => ({
  gsi1pk: AGENCY_TREE_PARTITION,
  gsi1sk: [...a.ancestors].reverse().concat(a.agencyId).join('/'),
});
/** the agency's responsibility record (E3), one per agency */
export const responsibilityKey = (agencyId: string) => ({ pk: agencyPartition(agencyId), sk: 'RESPONSIBILITY' });

export const UNIT_SK_PREFIX = 'UNIT#';
export const unitKey = (agencyId: string, unitId: string) => ({ pk: agencyPartition(agencyId), sk: `${UNIT_SK_PREFIX}${unitId}` });
/** a unit by its id alone (gsi2) */
export const unitIdPartition = (unitId: string) => `UNITID#${unitId}`;
export const unitIndex = (unitId: string) => ({ gsi2pk: unitIdPartition(unitId), gsi2sk: 'UNIT' });

export const officerPartition = (officerId: string) => `OFFICER#${officerId}`;
export const officerKey = (officerId: string) => ({ pk: officerPartition(officerId), sk: 'META' });
/** the staff of an agency (gsi1), by unit then name; `staffUnitPrefix` narrows it to one unit */
export const staffPartition = (agencyId: string) => `STAFF#${agencyId}`;
export const staffUnitPrefix = (unitId: string) => `${unitId}#`;
export const officerIndex = (o: { agencyId: string; unitId: string; name: string; officerId: string }) => ({
  gsi1pk: staffPartition(o.agencyId),
  gsi1sk: `${staffUnitPrefix(o.unitId)}${o.name}#${o.officerId}`,
});

export const QUALIFICATION_SK_PREFIX = 'QUAL#';
export const qualificationKey = (officerId: string, qualificationId: string) => ({ pk: officerPartition(officerId), sk: `${QUALIFICATION_SK_PREFIX}${qualificationId}` });
