import { provideProcessReader } from './cases/processes.ts';
import type { evidenceConsumer } from './evidence/consumers.ts';
import type { NotifyCommand } from './notify/events.ts';
import type { notifyConsumer } from './notify/consumers.ts';
import { type AreaConsumer, registerConsumers } from './outbox/dispatch.ts';
import type { Area, SUBSCRIBERS } from './outbox/subscribers.ts';
import type { CaseEvent } from './cases/events.ts';
import type { ProcessMessage } from './process/events.ts';
import type { processConsumer } from './process/consumers.ts';
import { findProcess } from './process/store.ts';

/**
 * The composition of the areas (docs/architecture.md §6): which area's consumer handles which
 * message of the outbox, and the readers one area lends another that sits below it. No area imports
 * this module, and this module knows their consumers as TYPES only, so the areas stay free of cycles
 * (test/unit/import-graph.test.ts) and a function bundles only the consumers it passes to `wire`.
 * Each function that commits or runs messages calls `wire([...])` once when it loads, with the
 * consumers of the areas whose effects its role may perform: the `processes`, `cases` and `calendar`
 * route groups and the jobs function of the processes the process consumer (their fast path), the
 * clock task and that jobs function the notify consumer, functions/jobs/evidence-outbox.ts the
 * evidence consumer. Which areas must consume a message is the data of shared/outbox/subscribers.ts,
 * checked below against the consumers, so a function carrying some areas leaves the rest pending.
 */

/** Every message that travels through the outbox. */
export type AnyMessage = CaseEvent | ProcessMessage | NotifyCommand;

/** The consumer of each area (types only: importing one is up to the function that carries it). */
type ConsumerTable = { process: typeof processConsumer; evidence: typeof evidenceConsumer; notify: typeof notifyConsumer };

// the subscriber table and the consumers cannot drift: every area has its consumer under its own
// name, every message type is in the table, and an area's consumer handles exactly the types that
// name it there (a type it handles but is not subscribed to would never run; the reverse, never finish)
type KeysOf<T> = T extends unknown ? keyof T : never;
type Subscribers = typeof SUBSCRIBERS;
type SubscribedBy<A extends Area> = { [T in keyof Subscribers]: A extends Subscribers[T][number] ? T : never }[keyof Subscribers];
type Drift =
  | Exclude<Area, keyof ConsumerTable>
  | { [A in keyof ConsumerTable]: ConsumerTable[A]['area'] extends A ? never : `${A}: consumer of another area` }[keyof ConsumerTable]
  | Exclude<AnyMessage['type'], keyof Subscribers>
  | Exclude<keyof Subscribers, AnyMessage['type']>
  | { [A in Area]: Exclude<KeysOf<ConsumerTable[A]['handlers']>, SubscribedBy<A>> | Exclude<SubscribedBy<A>, KeysOf<ConsumerTable[A]['handlers']>> }[Area];
const subscribersMatchConsumers: [Drift] extends [never] ? true : Drift = true;
void subscribersMatchConsumers;

let wired = false;

/**
 * Register the consumers this function carries and the readers (idempotent). Functions sharing a
 * process (the embedded platform) add up; a consumer replaces its area's earlier one (a test's variant).
 */
export const wire = (consumers: readonly AreaConsumer<never>[] = []) => {
  registerConsumers(consumers);
  if (wired) return;
  wired = true;
  // C1/C8: a case reads the legal review it links
  provideProcessReader(async (processId) => {
    const p = await findProcess(processId, true);
    return p && { processId: p.processId, kind: p.kind, agencyId: p.agencyId, open: p.open, state: p.state, caseNumber: p.data.caseNumber as string | undefined };
  });
};
