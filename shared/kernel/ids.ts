import { monotonicFactory } from 'ulid';

/** IDs are ULIDs (docs/architecture.md §12): sortable by creation time, not secrets. */
const next = monotonicFactory();
export const newId = (): string => next();
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
