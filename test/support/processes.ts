import { installClock } from '#shared/kernel/clock.ts';
import { installWorkflowEngine } from '#shared/process/engine.ts';
import { installScheduler } from '#shared/process/scheduler.ts';
import { manualClock, type ManualClock } from '../../infra/local/clock.ts';
import { createLocalEngine, type LocalEngine } from '../../infra/local/stepfunctions.ts';

/**
 * The process clocks in a test worker: the local Step Functions engine (the same ASL files and the
 * same clock handler as `npm start`) on a manual clock that the test moves. `advanceTo` moves the
 * clock and waits until every execution has done what the new time asks for.
 */
export interface ProcessHarness {
  clock: ManualClock;
  engine: LocalEngine;
  advanceTo(at: string): Promise<void>;
  settle(): Promise<void>;
  /** what `npm start` does after a restart: a new engine, and the reconciler resumes open clocks */
  restart(): Promise<void>;
  reconcile(): Promise<unknown>;
  stop(): Promise<void>;
}

const newEngine = (clock: ManualClock) => {
  const jobs = () => import('#functions/jobs/processes.ts');
  const engine = createLocalEngine({
    clock,
    loadClockHandler: async () => (await import('#functions/clock/process-clock.ts')).handler,
    onResume: async (p) => (await jobs()).handler({ job: 'resume', ...p }),
  });
  installWorkflowEngine(engine);
  installScheduler(engine);
  return engine;
};

export const processHarness = (start: string): ProcessHarness => {
  const clock = manualClock(start);
  installClock(clock);
  const h: ProcessHarness = {
    clock,
    engine: newEngine(clock),
    settle: () => h.engine.settle(),
    advanceTo: async (at) => {
      await h.engine.settle();
      clock.set(at);
      await h.engine.settle();
    },
    reconcile: async () => (await import('#functions/jobs/processes.ts')).reconcile(0),
    restart: async () => {
      await h.engine.stopAll();
      h.engine = newEngine(clock);
      await h.reconcile();
      await h.engine.settle();
    },
    stop: async () => {
      await h.engine.stopAll();
      installWorkflowEngine(undefined);
      installScheduler(undefined);
      installClock(undefined);
    },
  };
  return h;
};
