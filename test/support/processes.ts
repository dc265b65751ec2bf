import { installClock } from '#shared/kernel/clock.ts';
import { manualClock, type ManualClock } from '../../infra/local/clock.ts';
import { installLocalEngine, type LocalEngine, uninstallLocalEngine } from '../../infra/local/stepfunctions.ts';

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


export const processHarness = (start: string): ProcessHarness => {
  const clock = manualClock(start);
  installClock(clock);
  const h: ProcessHarness = {
    clock,
    engine: installLocalEngine(clock),
    settle: () => h.engine.settle(),
    advanceTo: async (at) => {
      await h.engine.settle();
      clock.set(at);
      await h.engine.settle();
    },
    reconcile: async () => (await import('#functions/jobs/processes.ts')).reconcile(0),
    restart: async () => {
      await h.engine.stopAll();
      h.engine = installLocalEngine(clock);
      await h.reconcile();
      await h.engine.settle();
    },
    stop: async () => {
      await uninstallLocalEngine(h.engine);
      installClock(undefined);
    },
  };
  return h;
};
