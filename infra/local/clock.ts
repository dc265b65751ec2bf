import type { Clock } from '../../shared/kernel/clock.ts';

/**
 * Clocks of the embedded platform. The state machines' Wait states are overridden locally (they
 * would sleep in real time); the local engine sleeps on the platform clock instead, so that:
 * - `real` is the wall clock (the default of `npm start`);
 * - `scaled(n)` runs demo time n× faster from the moment the platform starts (DEMO_TIME_SCALE,
 *   e.g. 1440 = a day per minute), so reminders, 催办 and 通报 can be watched on a laptop;
 * - `manual` stands still until a test moves it: every path of every process runs in milliseconds.
 */
export interface PlatformClock extends Clock {
  /** resolves when the clock reaches `at`; rejects with the signal's reason when aborted */
  sleepUntil(at: Date, signal: AbortSignal): Promise<void>;
  describe(): string;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

const timerSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    );
    t.unref?.();
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** `virtualStart`: where demo time resumes (the time it had reached when the platform last stopped). */
export const scaledClock = (scale: number, virtualStart = Date.now()): PlatformClock => {
  const realStart = Date.now();
  const now = () => new Date(virtualStart + (Date.now() - realStart) * scale);
  return {
    now,
    describe: () => (scale === 1 ? '实时' : `演示时间 ${scale} 倍速（当前演示时间 ${now().toISOString()}）`),
    sleepUntil: async (at, signal) => {
      // re-check after each timer: long waits exceed one timer, and the clock is not the timer
      while (now().getTime() < at.getTime()) await timerSleep((at.getTime() - now().getTime()) / scale, signal);
    },
  };
};

export const realClock = (): PlatformClock => scaledClock(1);

export interface ManualClock extends PlatformClock {
  set(at: Date | string): void;
  advance(ms: number): void;
  /** how many sleepers wait on this clock */
  sleepers(): number;
}

export const manualClock = (start: Date | string): ManualClock => {
  let current = new Date(start).getTime();
  const sleepers = new Set<{ at: number; wake: () => void }>();
  const wakeDue = () => {
    for (const s of [...sleepers]) if (s.at <= current) s.wake();
  };
  return {
    now: () => new Date(current),
    describe: () => `手动时钟（${new Date(current).toISOString()}）`,
    sleepUntil: (at, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        if (at.getTime() <= current) return resolve();
        const s = {
          at: at.getTime(),
          wake: () => {
            sleepers.delete(s);
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          sleepers.delete(s);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        sleepers.add(s);
      }),
    set: (at) => {
      current = new Date(at).getTime();
      wakeDue();
    },
    advance: (ms) => {
      current += ms;
      wakeDue();
    },
    sleepers: () => sleepers.size,
  };
};
