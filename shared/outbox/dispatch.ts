import { logger } from '../kernel/logger.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { claimOutbox, markConsumed, markDone, type Message, type OutboxItem, recordFailure, STUCK_AFTER_ATTEMPTS } from './store.ts';

/**
 * Running the outbox's messages through their consumers (docs/architecture.md §6). One consumer per
 * area (`<area>/consumers.ts`) handles the messages that area owns the effect of; the composition
 * (shared/wiring.ts `wire`) registers them all, and this module, which no area's consumer list is
 * compiled into, only looks them up by message type — so no area imports another to reach it.
 *
 * Three paths run the same dispatch: the fast path (whoever committed, right after the commit), the
 * table stream (AWS, functions/jobs/processes.ts) and the reconciler (both platforms). A message is
 * claimed before it runs, each area's consumer runs at most once to completion (the areas done are
 * kept on the message), a failure leaves the message pending with its attempt counted, and a message
 * whose every consumer finished is marked done.
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
  area: string;
  handlers: Handlers<M>;
}

let consumers: readonly AreaConsumer[] = [];

/** The composition's one call (shared/wiring.ts); a test may register a variant of the same list. */
export const registerConsumers = (list: readonly AreaConsumer<never>[]) => {
  consumers = list as unknown as readonly AreaConsumer[];
};

const handlersOf = (type: string) =>
  consumers.flatMap((c) => {
    const h = (c.handlers as Record<string, Handler<Message> | undefined>)[type];
    return h ? [{ area: c.area, handle: h }] : [];
  });

/** an HTTP request's share of a long command: API Gateway gives the integration 30 s at most */
const DEFAULT_BUDGET_MS = 5_000;

/**
 * Dispatch messages in order (a stop before the start that replaces it). Failures stay pending.
 * `budgetMs` bounds the long commands to what the caller's own timeout allows: an HTTP request does
 * a first slice, the jobs function the rest.
 */
export const dispatch = async (items: readonly OutboxItem[], budgetMs = DEFAULT_BUDGET_MS): Promise<{ done: number; failed: number }> => {
  let done = 0;
  let failed = 0;
  for (const item of items) {
    const handlers = handlersOf(item.message.type);
    if (handlers.length === 0) {
      // a process that was not wired (shared/wiring.ts): the stream and the reconciler, which are, will run it
      failed++;
      logger.warn('outbox message has no consumer in this process; left pending', { outboxId: item.outboxId, type: item.message.type });
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
      const remaining = handlers.filter((h) => !consumed.includes(h.area));
      for (const [i, h] of remaining.entries()) {
        area = h.area;
        await h.handle(claimed.message, { outboxId: claimed.outboxId, createdAt: claimed.createdAt, budgetMs });
        consumed.push(h.area);
        if (i < remaining.length - 1) await markConsumed(claimed.outboxId, consumed);
      }
      await markDone(claimed.outboxId, consumed);
      done++;
    } catch (e) {
      failed++;
      const attempts = await recordFailure(claimed.outboxId, consumed, area, String(e), nowIso(systemClock)).catch(() => (claimed.attempts ?? 0) + 1);
      const fields = { outboxId: claimed.outboxId, type: claimed.message.type, area, attempts, error: String(e) };
      if (attempts >= STUCK_AFTER_ATTEMPTS) logger.error('outbox.stuck: message keeps failing; see the reconciler’s stuck list', fields);
      else logger.warn('outbox message left pending for a retry', fields);
    }
  }
  return { done, failed };
};
