import * as z from 'zod/mini';
import { logger } from '#shared/http/logger.ts';
import { type ClockTask, runClockTask } from '#shared/process/timer.ts';
import { RUNGS } from '#shared/process/clock.ts';
import { notifyConsumer } from '#shared/notify/consumers.ts';
import { wire } from '#shared/wiring.ts';

// the fast path after each commit runs the notify area's consumer: the reminders' deliveries (its role may
// send them); anything else stays pending for the jobs functions (docs/architecture.md §6)
wire([notifyConsumer]);

/**
 * The Task state of every process state machine (statemachines/*.asl.json): plan the next
 * checkpoint, re-check the record after a wait, escalate (提醒 / 催办 / 通报), or defer a clock
 * longer than an execution may run. The record is read afresh each time: the execution holds no truth.
 */
const taskSchema = z.object({
  action: z.enum(['plan', 'check', 'escalate', 'defer']),
  processId: z.string().check(z.minLength(1), z.maxLength(64)),
  clockVersion: z.number().check(z.int(), z.positive()),
  startedAt: z.string().check(z.minLength(1)),
  horizonSeconds: z.number().check(z.int(), z.positive()),
  rung: z.optional(z.enum(RUNGS)),
  checkpoint: z.optional(z.string()),
});

export const handler = async (input: unknown) => {
  const task = taskSchema.parse(input) as ClockTask;
  const plan = await runClockTask(task);
  logger.info('process clock', { task: task.action, processId: task.processId, clockVersion: task.clockVersion, plan: plan.action });
  return plan;
};
