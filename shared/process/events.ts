import type { ClockInput } from './engine.ts';
import type { ProcessKind } from './model.ts';

/**
 * The messages of the deadline processes that travel through the outbox (shared/outbox/store.ts,
 * docs/architecture.md §6).
 *
 * Commands the process area carries out itself (its consumer, consumers.ts): start or stop the
 * execution that keeps a clock version, recompute the open clocks a calendar change touches.
 */
export type ProcessCommand =
  | { type: 'startExecution'; kind: ProcessKind; name: string; input: ClockInput }
  | { type: 'stopExecution'; kind: ProcessKind; name: string; cause: string }
  /** a calendar year published or corrected, or a local closure: recompute the open clocks it touches */
  | { type: 'recomputeClocks'; years: number[]; agencyIds?: string[] | undefined };

/** Domain events of the processes, for the areas that react to them. */
export type ProcessEvent =
  /** D4 (一): a complaint opened about a case's enforcement act — its recordings are kept long-term (evidence) */
  { type: 'complaintAboutCase'; caseId: string; agencyId: string; processId: string };

export type ProcessMessage = ProcessCommand | ProcessEvent;
