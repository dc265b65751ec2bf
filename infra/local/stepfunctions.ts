import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { logger } from '../../shared/http/logger.ts';
import { type ClockInput, type ExecutionStatus, installWorkflowEngine, type WorkflowEngine } from '../../shared/process/engine.ts';
import type { ProcessKind } from '../../shared/process/model.ts';
import { type ClockScheduler, installScheduler, type ResumePayload } from '../../shared/process/scheduler.ts';
import { REPO_ROOT } from '../aws/archive-function.ts';
import type { PlatformClock } from './clock.ts';

/**
 * Step Functions on one machine: the ASL files of statemachines/ run by aws-local-stepfunctions,
 * every Task state bound to the same handler module Lambda runs (functions/clock/process-clock.ts).
 * Wait states are overridden to 0 and the engine sleeps on the platform clock before the task that
 * follows (Check), so demo time can run fast and tests can move a manual clock.
 *
 * Executions live in memory: on start the platform's reconciler starts one for every open process
 * (the record holds the clock; the execution only waits), which is how a restart resumes.
 */
export const LOCAL_CLOCK_FUNCTION_ARN = 'arn:aws-cn:lambda:cn-north-1:000000000000:function:process-clock';

type ClockHandler = (input: unknown) => Promise<unknown>;

interface LocalExecution {
  name: string;
  kind: ProcessKind;
  status: ExecutionStatus;
  /** inside the clock sleep (nothing to do until the clock moves) */
  sleeping: boolean;
  transitions: number;
  states: string[];
  controller: AbortController;
  abort: () => void;
  done: Promise<void>;
}

export interface LocalEngine extends WorkflowEngine, ClockScheduler {
  /** resolves once every running execution sleeps (or has ended) and no schedule is due */
  settle(timeoutMs?: number): Promise<void>;
  executions(): ReadonlyMap<string, Pick<LocalExecution, 'name' | 'kind' | 'status' | 'transitions' | 'states' | 'sleeping'>>;
  stopAll(): Promise<void>;
}

export const definitionOf = (kind: ProcessKind, substitutions: Record<string, string> = { ProcessClockFunctionArn: LOCAL_CLOCK_FUNCTION_ARN }) => {
  let text = readFileSync(join(REPO_ROOT, 'statemachines', `${kind}.asl.json`), 'utf8');
  for (const [k, v] of Object.entries(substitutions)) text = text.split('${' + k + '}').join(v);
  return JSON.parse(text) as { TimeoutSeconds?: number; States: Record<string, { TimeoutSeconds?: number }> };
};

/** The longest a Node timer can wait (2^31-1 ms ≈ 24.8 days); longer ones fire at once. */
const MAX_NODE_TIMER_S = Math.floor((2 ** 31 - 1) / 1000);
/** the engine's sleep inside Check wakes at least this often and, if early, asks Route to wait again */
const MAX_SLEEP_MS = 20 * 24 * 3600 * 1000;

/**
 * The one local adaptation of the ASL: aws-local-stepfunctions arms Node timers for TimeoutSeconds,
 * and a timer longer than ~24.8 days fires immediately. The top-level timeout (120–360 days) is left
 * to Step Functions in AWS, and Check — inside which the engine sleeps on the platform clock instead
 * of the Wait state — may take up to that timer limit.
 */
export const localDefinition = (kind: ProcessKind) => {
  const d = definitionOf(kind);
  delete d.TimeoutSeconds;
  const check = d.States.Check;
  if (check) check.TimeoutSeconds = MAX_NODE_TIMER_S;
  return d;
};

export const createLocalEngine = (opts: { clock: PlatformClock; loadClockHandler: () => Promise<ClockHandler>; onResume: (p: ResumePayload) => Promise<unknown> }): LocalEngine => {
  const machines = new Map<ProcessKind, StateMachine>();
  const executions = new Map<string, LocalExecution>();
  const schedules = new Map<string, { controller: AbortController; done: Promise<void>; firing: boolean }>();
  const machine = (kind: ProcessKind) => {
    let m = machines.get(kind);
    if (!m) {
      m = new StateMachine(localDefinition(kind) as never, { validationOptions: { checkArn: false } });
      machines.set(kind, m);
    }
    return m;
  };

  const start = async (kind: ProcessKind, name: string, input: ClockInput): Promise<'started' | 'exists'> => {
    if (executions.has(name)) return 'exists';
    const handler = await opts.loadClockHandler();
    const controller = new AbortController();
    const exec: LocalExecution = {
      name,
      kind,
      status: 'RUNNING',
      sleeping: false,
      transitions: 0,
      states: [],
      controller,
      abort: () => undefined,
      done: Promise.resolve(),
    };
    executions.set(name, exec);
    // aws-local-stepfunctions stamps $$.Execution.StartTime with the wall clock whatever the context
    // says; the tasks get the execution's start on the platform clock instead (demo and test time)
    const startedAt = opts.clock.now().toISOString();
    const task = async (i: unknown) => handler({ ...(i as object), startedAt }) as never;
    const check = async (i: unknown) => {
      const { checkpoint, rung } = i as { checkpoint?: string; rung?: string };
      if (checkpoint) {
        const at = new Date(checkpoint);
        const latest = new Date(opts.clock.now().getTime() + MAX_SLEEP_MS);
        exec.sleeping = true;
        try {
          await opts.clock.sleepUntil(at < latest ? at : latest, controller.signal);
        } finally {
          exec.sleeping = false;
        }
        if (opts.clock.now() < at) return { action: 'wait', rung, checkpoint, wakeAt: checkpoint } as never;
      }
      return task(i);
    };
    const run = machine(kind).run(input as never, {
      overrides: { taskResourceLocalHandlers: { Plan: task, Check: check, Escalate: task, Defer: task }, waitTimeOverrides: { Sleep: 0 } },
      noThrowOnAbort: true,
      context: { Execution: { Id: name, Name: name } } as never,
    });
    exec.abort = run.abort;
    const count = (async () => {
      for await (const ev of run.eventLogs) {
        if (ev.type === 'StateEntered') {
          exec.transitions++;
          exec.states.push((ev as { state: { name: string } }).state.name);
        }
      }
    })().catch(() => undefined);
    exec.done = run.result
      .then(
        (r) => {
          if (exec.status === 'RUNNING') exec.status = r === null ? 'ABORTED' : 'SUCCEEDED';
        },
        (e: unknown) => {
          if (exec.status === 'RUNNING') exec.status = controller.signal.aborted ? 'ABORTED' : 'FAILED';
          if (!controller.signal.aborted) logger.error('local execution failed', { name, error: String(e) });
        },
      )
      .then(() => count);
    return 'started';
  };

  const stop = async (_kind: ProcessKind, name: string) => {
    const exec = executions.get(name);
    if (!exec || exec.status !== 'RUNNING') return;
    if (exec.sleeping && exec.states.at(-1) === 'Check') {
      // in AWS the execution is stopped in the Wait state and never enters Check; locally the wait
      // happens inside Check, whose entry is therefore not counted as a transition
      exec.states.pop();
      exec.transitions--;
    }
    exec.status = 'ABORTED';
    exec.controller.abort(new Error('stopped'));
    exec.abort();
    await exec.done;
  };

  const scheduleResume = async (name: string, at: string, payload: ResumePayload) => {
    if (schedules.has(name)) return;
    const controller = new AbortController();
    const entry = { controller, firing: false, done: Promise.resolve() };
    entry.done = opts.clock
      .sleepUntil(new Date(Date.parse(at) - 60_000), controller.signal)
      .then(
        async () => {
          entry.firing = true;
          await opts.onResume(payload);
          schedules.delete(name);
        },
        () => undefined,
      )
      .catch((e: unknown) => logger.error('local schedule failed', { name, error: String(e) }));
    schedules.set(name, entry);
  };

  const busy = () => [...executions.values()].some((e) => e.status === 'RUNNING' && !e.sleeping) || [...schedules.values()].some((s) => s.firing);

  return {
    start,
    stop,
    describe: async (_kind, name) => executions.get(name)?.status ?? 'NOT_FOUND',
    scheduleResume,
    settle: async (timeoutMs = 10_000) => {
      const until = Date.now() + timeoutMs;
      // two quiet looks in a row: a task that just returned may be about to start the next one
      let quiet = 0;
      while (quiet < 2) {
        if (Date.now() > until) throw new Error('local executions did not settle');
        await new Promise((r) => setTimeout(r, 15));
        quiet = busy() ? 0 : quiet + 1;
      }
    },
    executions: () => executions,
    stopAll: async () => {
      for (const s of schedules.values()) s.controller.abort(new Error('platform stopping'));
      await Promise.all([...executions.values()].map((e) => stop(e.kind, e.name)));
    },
  };
};

/**
 * The engine as the platform (and tests) run it: Tasks bound to functions/clock/process-clock.ts,
 * resumes through functions/jobs/processes.ts, installed as the product's workflow engine and
 * clock scheduler (shared/process/engine.ts, scheduler.ts).
 */
export const installLocalEngine = (clock: PlatformClock): LocalEngine => {
  const jobs = () => import('../../functions/jobs/processes.ts');
  const engine = createLocalEngine({
    clock,
    loadClockHandler: async () => (await import('../../functions/clock/process-clock.ts')).handler,
    onResume: async (p) => (await jobs()).handler({ job: 'resume', ...p }),
  });
  installWorkflowEngine(engine);
  installScheduler(engine);
  return engine;
};

export const uninstallLocalEngine = async (engine: LocalEngine) => {
  await engine.stopAll();
  installWorkflowEngine(undefined);
  installScheduler(undefined);
};
