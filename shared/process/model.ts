import type { Role } from '../access/principal.ts';
import type { Address, Reached } from '../notify/address.ts';
import type { ProcessClock, Rung } from './clock.ts';

/** addressing of notifications is the notification area's (notify/address.ts); kept here for the process code that names it */
export type { Address, Reached };

/** The deadline-bound processes (C1–C10, docs/rules.md); each has `statemachines/<kind>.asl.json`. */
export const PROCESS_KINDS = ['legal-review', 'complaint', 'fault-investigation', 'supervised-case', 'filing'] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];
export const KIND_LABELS: Record<ProcessKind, string> = {
  'legal-review': '重大执法决定法制审核',
  complaint: '投诉举报',
  'fault-investigation': '执法过错责任追究',
  'supervised-case': '督办交办案件',
  filing: '备案与报告',
};

export const FILING_KINDS = ['majorPenalty', 'certificateWithdrawal', 'annualReport'] as const;
export type FilingKind = (typeof FILING_KINDS)[number];

export interface Actor {
  userId: string;
  agencyId: string;
  unitId?: string | undefined;
  name?: string | undefined;
  roles: Role[];
  officerId?: string | undefined;
}

export interface ProcessRecord {
  processId: string;
  kind: ProcessKind;
  title: string;
  agencyId: string;
  /** the agency and its ancestors, nearest first: who may see the process (superiors supervise) */
  agencyPath: string[];
  /** the handling department */
  unitId?: string | undefined;
  state: string;
  open: boolean;
  assignee?: { officerId: string; name?: string | undefined } | undefined;
  openedBy: Actor;
  /** the clock of the current phase (absent while nothing is due, e.g. material returned) */
  clock?: ProcessClock | undefined;
  /** the highest clock version so far: every new clock (phase, extension, recomputation) takes the next */
  clockSeq: number;
  /** kind-specific facts (parties, decisions, liabilities, filing references …) */
  data: Record<string, unknown>;
  /** complaint only: who complained — shown only to those handling it (C4 no retaliation) */
  complainant?: Record<string, unknown> | undefined;
  links: { processId: string; relation: string }[];
  /** rungs fired over the whole life of the process, for assessment (C7) */
  escalations: { rung: Rung; clockVersion: number; phase: string; at: string; notificationId: string }[];
  version: number;
  createdAt: string;
  updatedAt: string;
  closedAt?: string | undefined;
}

export interface HistoryEvent {
  processId: string;
  seq: number;
  at: string;
  by: Actor | { userId: 'system'; roles: []; name: string };
  event: string;
  /** state after the event */
  state: string;
  detail?: Record<string, unknown> | undefined;
  /** the clock after the event, with its explanation, when the event changed it */
  clock?: ProcessClock | undefined;
}

/** The execution that keeps a clock: deterministic from the process id and the clock version. */
export const executionName = (processId: string, clockVersion: number) => `${processId}-c${clockVersion}`;
