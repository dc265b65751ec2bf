/**
 * Every key of the cases (docs/data-model.md §3 "Cases"): the 一案一表 form under `CASE#<case>` and
 * the case lists of an agency and of a department. The one place these strings are built
 * (test/unit/keys.test.ts keeps it so).
 */

export const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'META' });
/** the cases of an agency (gsi1) or of one department (gsi2), newest first by `<createdAt>#<case>` */
export const caseListPartition = (scope: { agencyId: string; unitId?: string | undefined }) => (scope.unitId ? `CASES#U#${scope.unitId}` : `CASES#${scope.agencyId}`);
export const caseIndexes = (c: { caseId: string; agencyId: string; unitId: string; createdAt: string }) => ({
  gsi1pk: caseListPartition({ agencyId: c.agencyId }),
  gsi1sk: `${c.createdAt}#${c.caseId}`,
  gsi2pk: caseListPartition({ agencyId: c.agencyId, unitId: c.unitId }),
  gsi2sk: `${c.createdAt}#${c.caseId}`,
});
