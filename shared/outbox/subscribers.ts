/**
 * Who must consume each message of the outbox (docs/architecture.md §6), as pure data: the areas
 * whose consumer owns an effect of it, in the order they run. Every dispatcher reads this table,
 * whichever consumers its function carries, so a message is marked done only once ALL its areas
 * have finished — a function that carries some of them leaves it pending for the others.
 * shared/wiring.ts checks at compile time that this table and the areas' consumers agree exactly.
 */

/** The areas that own effects of messages: one consumer each (`<area>/consumers.ts`). */
export const AREAS = ['process', 'evidence', 'notify'] as const;
export type Area = (typeof AREAS)[number];

/** message type → the areas that consume it */
export const SUBSCRIBERS = {
  // D3: a case's linked recordings follow its retention from the close
  caseClosed: ['evidence'],
  // D4 (二): a hold on the case's recordings
  obstructionRecorded: ['evidence'],
  // D4/D5: a hold for the review or lawsuit
  caseOutcomeRecorded: ['evidence'],
  // D4 (一): a hold for the complaint
  complaintAboutCase: ['evidence'],
  // C8: the filing of a major penalty decision
  majorPenaltyDecided: ['process'],
  startExecution: ['process'],
  stopExecution: ['process'],
  recomputeClocks: ['process'],
  deliver: ['notify'],
} as const satisfies Record<string, readonly Area[]>;

export type SubscribedType = keyof typeof SUBSCRIBERS;

/** The areas a message type must be consumed by; undefined for a type this code does not know. */
export const subscribersOf = (type: string): readonly Area[] | undefined => (Object.hasOwn(SUBSCRIBERS, type) ? SUBSCRIBERS[type as SubscribedType] : undefined);
