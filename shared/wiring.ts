import { provideProcessReader } from './cases/processes.ts';
import { evidenceConsumer } from './evidence/consumers.ts';
import type { NotifyCommand } from './notify/events.ts';
import { notifyConsumer } from './notify/consumers.ts';
import { type AreaConsumer, registerConsumers } from './outbox/dispatch.ts';
import type { CaseEvent } from './cases/events.ts';
import type { ProcessMessage } from './process/events.ts';
import { processConsumer } from './process/consumers.ts';
import { findProcess } from './process/store.ts';

/**
 * The composition of the areas (docs/architecture.md §6): which area's consumer handles which
 * message of the outbox, and the readers one area lends another that sits below it. No area imports
 * this module — it imports them — so the areas stay free of cycles (test/unit/import-graph.test.ts);
 * the functions that commit messages or run them call `wire()` once when they load: the HTTP groups
 * whose use cases write messages (their fast path), the state machines' task, and the process jobs
 * function (the table stream in AWS and the reconciler).
 */

/** Every message that travels through the outbox. */
export type AnyMessage = CaseEvent | ProcessMessage | NotifyCommand;

/** One consumer per area, in the order a message's consumers run. */
export const CONSUMERS = [processConsumer, evidenceConsumer, notifyConsumer] as const;

// every message type has at least one consumer: a message nobody consumes would stay pending forever
type KeysOf<T> = T extends unknown ? keyof T : never;
type Handled = KeysOf<(typeof CONSUMERS)[number]['handlers']>;
type Unconsumed = Exclude<AnyMessage['type'], Handled>;
const everyMessageConsumed: [Unconsumed] extends [never] ? true : Unconsumed = true;
void everyMessageConsumed;

let wired = false;

/** Register the consumers and the readers (idempotent). `consumers` replaces the list in a test only. */
export const wire = (consumers: readonly AreaConsumer<never>[] = CONSUMERS as unknown as readonly AreaConsumer<never>[]) => {
  registerConsumers(consumers);
  if (wired) return;
  wired = true;
  // C1/C8: a case reads the legal review it links
  provideProcessReader(async (processId) => {
    const p = await findProcess(processId, true);
    return p && { processId: p.processId, kind: p.kind, agencyId: p.agencyId, open: p.open, state: p.state, caseNumber: p.data.caseNumber as string | undefined };
  });
};
