import type { paths } from './schema';

/**
 * What the console reads from API responses. The route contracts (shared/api/*-routes.ts) describe
 * requests but not yet responses, so the generated schema types every response as `unknown`; the
 * fields below are the ones the console relies on. When a contract gains a `response` schema, its
 * view here becomes the generated type (`ResponseOf<'/path', 'get'>`) and this file shrinks.
 */

type JsonBody<T> = T extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON request body of an operation, from the generated schema. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: infer R } ? JsonBody<NonNullable<R>> : never;
/** The query parameters of an operation, from the generated schema. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type EntryCategory = NonNullable<QueryOf<'/officers/{officerId}/file/entries', 'get'>['category']>;
export type DraftBody = RequestBody<'/officers/{officerId}/file/drafts', 'post'>;
export type EntryType = DraftBody['type'];
export type EntryState = NonNullable<QueryOf<'/officers/{officerId}/file/drafts', 'get'>['state']>;
export type ProcessKind = NonNullable<QueryOf<'/agencies/{agencyId}/processes', 'get'>['kind']>;
export type ReviewBody = RequestBody<'/officers/{officerId}/file/drafts/{entryId}/review', 'post'>;
export type ProcessActionBody = RequestBody<'/processes/{processId}/actions', 'post'>;

/** A page of a cursor-paged list: pass `cursor` back for the next page; absent on the last. */
export interface Page<T> {
  items: T[];
  cursor?: string | undefined;
}

export interface Me {
  userId: string;
  name?: string;
  agencyId: string;
  unitId?: string;
  officerId?: string;
  roles: string[];
  roleLabels: string[];
}

export interface DemoUser {
  userId: string;
  name: string;
  roles: string[];
  roleLabels: string[];
  agencyId: string;
  agencyName?: string;
  unitId?: string;
  unitName?: string;
  officerId?: string;
  post?: string;
}

export interface Custody {
  agencyId: string;
  unitId?: string;
  holder: string;
}

export interface Officer {
  officerId: string;
  name: string;
  staffNumber: string;
  agencyId: string;
  unitId: string;
  post: string;
  status: string;
}

export interface FileSummary {
  officer: Officer;
  custody: Custody;
  opened: boolean;
  headSeq: number;
  headHash?: string;
  openedAt?: string;
  accessBasis: string;
}

export interface WorkflowEvent {
  at: string;
  event: string;
  by: string;
  roles?: string[];
  /** the approver's comment, or the reason of a rejection */
  comment?: string;
}

/** An archived entry of the officer file: immutable, hash-chained. */
export interface ChainEntry {
  seq: number;
  entryId: string;
  officerId: string;
  type: EntryType | 'fileOpened' | string;
  category: EntryCategory;
  title: string;
  summary?: string;
  occurredOn: string;
  content: Record<string, unknown>;
  archivedAt: string;
  archivedBy: string;
  custody: Custody;
  prevHash: string;
  hash: string;
  attachments: unknown[];
  workflow: { system?: boolean; conclusive?: boolean; ruleVersions?: Record<string, string>; history?: WorkflowEvent[] };
}

/** An entry still in the A6 recording workflow. */
export interface DraftEntry {
  entryId: string;
  officerId: string;
  agencyId: string;
  unitId?: string;
  type: EntryType;
  category: EntryCategory;
  title: string;
  summary?: string;
  occurredOn: string;
  content: Record<string, unknown>;
  state: EntryState;
  conclusive: boolean;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  archivedSeq?: number;
  history: WorkflowEvent[];
}

export interface ChainVerification {
  ok: boolean;
  count: number;
  headSeq?: number;
  headHash?: string;
  problems: { seq?: number; problem?: string; message?: string; [k: string]: unknown }[];
}

export interface Unit {
  unitId: string;
  agencyId: string;
  name: string;
  function: string;
}

export interface SkippedDay {
  date: string;
  kind: 'weekend' | 'holiday' | 'localClosure' | string;
  name?: string;
}

export interface DueExplanation {
  start: string;
  period: { unit: string; amount: number };
  due: string;
  provisional: boolean;
  skipped: SkippedDay[];
  rolledFrom?: string;
  calendarVersions: Record<string, number>;
}

export interface ProcessClock {
  phase: string;
  label: string;
  rule: { ruleId: string; versionId: string };
  start: string;
  period?: { value: number; unit: string };
  base?: DueExplanation;
  setDue?: { due: string; setBy: string };
  extensions: { period: { value: number; unit: string }; reason: string; requestedBy: string; approvedBy: string; approvedAt: string; explanation: DueExplanation }[];
  due: string;
  provisional: boolean;
  checkpoints: Record<'remind' | 'chase' | 'report', string>;
  fired: string[];
}

export interface ClockStatus {
  color: 'green' | 'yellow' | 'red';
  label: string;
}

export interface ProcessSummary {
  processId: string;
  kind: ProcessKind;
  title: string;
  state: string;
  open: boolean;
  unitId?: string;
  assignee?: { officerId: string; name?: string };
  due?: string;
  phase?: string;
  provisional?: boolean;
  status?: ClockStatus;
  version: number;
}

export interface WorkPage extends Page<ProcessSummary> {
  counts: { red: number; yellow: number };
}

export interface Actor {
  userId: string;
  name?: string;
  roles: string[];
}

export interface ProcessDetail extends ProcessSummary {
  agencyId: string;
  clock?: ProcessClock;
  data: Record<string, unknown>;
  complainant?: Record<string, unknown>;
  openedBy: Actor;
  links: { processId: string; relation: string }[];
  escalations: { rung: string; phase: string; at: string }[];
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
}

export interface ProcessEvent {
  seq: number;
  at: string;
  by: Actor;
  event: string;
  state: string;
  detail?: Record<string, unknown>;
  clock?: ProcessClock;
}

export interface InboxItem {
  notificationId: string;
  kind: string;
  title: string;
  processId?: string;
  createdAt: string;
  read: boolean;
}

export interface Notification {
  notificationId: string;
  kind: string;
  title: string;
  body: string;
  processId?: string;
  createdAt: string;
}

export interface AuditRecord {
  id: string;
  at: string;
  actor: { userId: string; agencyId: string; roles: string[] };
  action: string;
  objectType: string;
  objectId: string;
  outcome: 'allowed' | 'denied' | 'notFound' | 'failed';
  basis?: string;
  purpose?: string;
  reason?: string;
  source?: { ip?: string; userAgent?: string; requestId?: string };
  chainId: string;
  seq: number;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  chains: { chainId: string; ok: boolean; count: number; problems: unknown[]; headHash: string }[];
}
