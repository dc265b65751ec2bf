import { monotonicFactory } from 'ulid';

/** IDs are ULIDs (DESIGN.md §5): sortable by creation time, not secrets. */
const next = monotonicFactory();
export const newId = (): string => next();
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
