import * as z from 'zod';
import { logger } from '#shared/http/logger.ts';
import { type ClockTask, runClockTask } from '#shared/process/service.ts';
import { RUNGS } from '#shared/process/clock.ts';

/**
 * The Task state of every process state machine (statemachines/*.asl.json): plan the next
 * checkpoint, re-check the record after a wait, escalate (提醒 / 催办 / 通报), or defer a clock
 * longer than an execution may run. The record is read afresh each time: the execution holds no truth.
 */
const taskSchema = z.object({
  action: z.enum(['plan', 'check', 'escalate', 'defer']),
  processId: z.string().min(1).max(64),
  clockVersion: z.number().int().positive(),
  startedAt: z.string().min(1),
  horizonSeconds: z.number().int().positive(),
  rung: z.enum(RUNGS).optional(),
  checkpoint: z.string().optional(),
});

export const handler = async (input: unknown) => {
  const task = taskSchema.parse(input) as ClockTask;
  const plan = await runClockTask(task);
  logger.info('process clock', { task: task.action, processId: task.processId, clockVersion: task.clockVersion, plan: plan.action });
  return plan;
};
