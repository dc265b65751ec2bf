import { pad } from './sortable.ts';

/**
 * Every key of the working-day calendar (docs/data-model.md §3 "Rules and calendar"): the published
 * years and every version of them under `CALENDAR`, and each agency's local closures. The one place
 * these strings are built (test/unit/keys.test.ts keeps it so).
 */

export const CALENDAR_PARTITION = 'CALENDAR';
export const CALENDAR_YEAR_SK_PREFIX = 'Y#';
/** the year as published now (versioned) */
export const calendarYearKey = (year: number) => ({ pk: CALENDAR_PARTITION, sk: `${CALENDAR_YEAR_SK_PREFIX}${year}` });
/** an immutable copy of each published version: 4-digit version */
export const calendarYearVersionKey = (year: number, version: number) => ({ pk: CALENDAR_PARTITION, sk: `V#${year}#${pad(version, 4)}` });

/** an agency's local closures (inherited by the agencies below) */
export const closurePartition = (agencyId: string) => `${CALENDAR_PARTITION}#${agencyId}`;
export const closureKey = (agencyId: string, date: string) => ({ pk: closurePartition(agencyId), sk: `C#${date}` });
