import { logger } from '../kernel/logger.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { claimOutbox, leavePending, markConsumed, markDone, type Message, type OutboxItem, recordFailure, STUCK_AFTER_ATTEMPTS } from './store.ts';
import { type Area, subscribersOf } from './subscribers.ts';

/**
 * Running the outbox's messages through their consumers (docs/architecture.md §6). One consumer per
 * area (`<area>/consumers.ts`) handles the messages that area owns the effect of; the composition
 * (shared/wiring.ts `wire`) registers them all, and this module, which no area's consumer list is
 * compiled into, only looks them up by message type — so no area imports another to reach it.
 *
 * Three paths run the same dispatch: the fast path (whoever committed, right after the commit), the
 * table stream (AWS: functions/jobs/processes.ts and functions/jobs/evidence-outbox.ts) and the
 * reconciler (both platforms). A function carries only the consumers of the areas it needs: the
 * areas a message must be consumed by come from the subscriber table (./subscribers.ts), so a
 * dispatcher runs the consumers it has, records their areas as done, and leaves the message pending
 * for the others. A message is claimed before it runs, each area's consumer runs at most once to
 * completion (the areas done are kept on the message), a failure leaves the message pending with its
 * attempt counted, and a message is marked done once every area of its subscribers has finished.
 */

/** What a consumer learns besides the message. */
export interface Delivery {
  outboxId: string;
  /** when the change that wrote the message committed */
  createdAt: string;
  /** how long the dispatcher may spend on a long command (clock recomputation) */
  budgetMs: number;
}

export type Handler<M extends Message> = (message: M, delivery: Delivery) => Promise<unknown>;
/** One area's handlers, by message type: typed against the messages the area consumes. */
export type Handlers<M extends Message> = { [T in M['type']]?: Handler<Extract<M, { type: T }>> };

/** An area's consumer: every handler must be idempotent (a message may run twice after a crash). */
export interface AreaConsumer<M extends Message = Message> {
  area: Area;
  handlers: Handlers<M>;
}

/** the consumers this process carries, by area (a function registers the ones it needs) */
const registry = new Map<Area, AreaConsumer>();

/**
 * The composition's call (shared/wiring.ts `wire`): add these areas' consumers, replacing an area's
 * earlier one (a test's variant). Functions that share a process (the embedded platform) add up.
 */
export const registerConsumers = (list: readonly AreaConsumer<never>[]) => {
  for (const c of list as unknown as readonly AreaConsumer[]) registry.set(c.area, c);
};

type Runner = { area: Area; handle: Handler<Message> };

/** The consumers of `areas` among `carried`, in the order of the subscriber table. */
const runnersOf = (type: string, areas: readonly Area[], carried: ReadonlyMap<Area, AreaConsumer>): Runner[] =>
  areas.flatMap((area) => {
    const h = (carried.get(area)?.handlers as Record<string, Handler<Message> | undefined> | undefined)?.[type];
    return h ? [{ area, handle: h }] : [];
  });

/** Whether a pending message still waits for one of `areas` (what a reconciler carrying them should pick up). */
export const waitsFor = (item: OutboxItem, areas: Iterable<Area>): boolean => {
  const subscribers = subscribersOf(item.message.type) ?? [];
  return [...areas].some((a) => subscribers.includes(a) && !(item.consumed ?? []).includes(a));
};

/** The areas whose consumer this process carries. */
export const carriedAreas = (): Area[] => [...registry.keys()];

/** an HTTP request's share of a long command: API Gateway gives the integration 30 s at most */
const DEFAULT_BUDGET_MS = 5_000;

/**
 * Dispatch messages in order (a stop before the start that replaces it). Failures stay pending, and
 * so does a message some of whose areas this process does not carry (`pending`): the dispatcher of
 * those areas completes it. `budgetMs` bounds the long commands to what the caller's own timeout
 * allows: an HTTP request does a first slice, the jobs function the rest. `consumers` replaces the
 * registered ones for this call (a dispatcher of given areas, as a function carrying only those).
 */
export const dispatch = async (items: readonly OutboxItem[], budgetMs = DEFAULT_BUDGET_MS, consumers?: readonly AreaConsumer<never>[]): Promise<{ done: number; failed: number; pending: number }> => {
  const carried = consumers ? new Map((consumers as unknown as readonly AreaConsumer[]).map((c) => [c.area, c])) : registry;
  let done = 0;
  let failed = 0;
  let pending = 0;
  for (const item of items) {
    const subscribers = subscribersOf(item.message.type);
    if (!subscribers) {
      // a type this code does not know (a newer deployment wrote it): whoever knows it will run it
      failed++;
      logger.warn('outbox message of an unknown type; left pending', { outboxId: item.outboxId, type: item.message.type });
      continue;
    }
    // nothing here for the areas this process carries: not even claimed, the other areas' dispatchers run it
    if (
      runnersOf(
        item.message.type,
        subscribers.filter((a) => !(item.consumed ?? []).includes(a)),
        carried,
      ).length === 0
    ) {
      pending++;
      continue;
    }
    const claimed = await claimOutbox(item.outboxId).catch((e: unknown) => {
      logger.warn('outbox claim failed; left pending', { outboxId: item.outboxId, error: String(e) });
      return undefined;
    });
    if (!claimed) continue;
    const consumed = [...(claimed.consumed ?? [])];
    let area = '';
    try {
      const remaining = runnersOf(claimed.message.type, subscribers, carried).filter((h) => !consumed.includes(h.area));
      for (const [i, h] of remaining.entries()) {
        area = h.area;
        await h.handle(claimed.message, { outboxId: claimed.outboxId, createdAt: claimed.createdAt, budgetMs });
        consumed.push(h.area);
        if (i < remaining.length - 1) await markConsumed(claimed.outboxId, consumed);
      }
      if (subscribers.every((a) => consumed.includes(a))) {
        await markDone(claimed.outboxId, consumed);
        done++;
      } else {
        // the other areas' dispatchers (their function's stream or reconciler) finish it
        await leavePending(claimed.outboxId, consumed);
        pending++;
      }
    } catch (e) {
      failed++;
      const attempts = await recordFailure(claimed.outboxId, consumed, area, String(e), nowIso(systemClock)).catch(() => (claimed.attempts ?? 0) + 1);
      const fields = { outboxId: claimed.outboxId, type: claimed.message.type, area, attempts, error: String(e) };
      if (attempts >= STUCK_AFTER_ATTEMPTS) logger.error('outbox.stuck: message keeps failing; see the reconciler’s stuck list', fields);
      else logger.warn('outbox message left pending for a retry', fields);
    }
  }
  return { done, failed, pending };
};
