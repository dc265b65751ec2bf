/**
 * Deadline arithmetic benchmark (figures only, never asserted): 100,000 due dates with mixed units
 * (working days 1–60, calendar days 1–120, months 1–24) from random starts in 2024–2026 (fixed
 * seed), computed by shared/calendar/calendar.ts and, in the same run, by two day-by-day baselines:
 *  - naive: Date arithmetic and Set lookups of the notices' dates, one day at a time (what a
 *    straightforward implementation does);
 *  - stepwise: one day at a time, but through the module's O(1) classifyDay.
 * Both baselines' results are compared with computeDue's, so the figures are for the same answers.
 */
import { pathToFileURL } from 'node:url';
import { classifyDay, computeDue, shippedCalendar, type Calendar, type Period } from '../../shared/calendar/calendar.ts';

const N = 100_000;
const SEED = 20240101;
const RUNS = 5;

/** mulberry32: small seeded PRNG, so every run benchmarks the same inputs. */
export const prng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const iso = (d: Date) => d.toISOString().slice(0, 10);

const inputs = (): { start: string; period: Period }[] => {
  const rnd = prng(SEED);
  const first = Date.UTC(2024, 0, 1);
  const days = (Date.UTC(2026, 11, 31) - first) / 86_400_000 + 1;
  const out: { start: string; period: Period }[] = [];
  for (let i = 0; i < N; i++) {
    const start = iso(new Date(first + Math.floor(rnd() * days) * 86_400_000));
    const u = Math.floor(rnd() * 3);
    const period: Period =
      u === 0
        ? { unit: 'workingDays', amount: 1 + Math.floor(rnd() * 60) }
        : u === 1
          ? { unit: 'calendarDays', amount: 1 + Math.floor(rnd() * 120) }
          : { unit: 'months', amount: 1 + Math.floor(rnd() * 24) };
    out.push({ start, period });
  }
  return out;
};

/** Naive baseline: Date + Sets, day by day. Same conventions (start not counted, roll forward). */
const naiveFor = (cal: Calendar) => {
  const holidays = new Set<string>();
  const makeups = new Set<string>();
  for (const yc of cal.years.values()) {
    for (const h of yc.holidays) for (const d of h.dates) holidays.add(d);
    for (const m of yc.makeupWorkdays) makeups.add(m.date);
  }
  const closed = new Set(cal.closures.map((c) => c.date));
  const working = (d: Date) => {
    const s = iso(d);
    if (holidays.has(s) || closed.has(s)) return false;
    if (makeups.has(s)) return true;
    const w = d.getUTCDay();
    return w !== 0 && w !== 6;
  };
  return (start: string, period: Period): { due: string; skipped: string[] } => {
    const d = new Date(`${start}T00:00:00Z`);
    const skipped: string[] = [];
    if (period.unit === 'workingDays') {
      for (let left = period.amount; left > 0; ) {
        d.setUTCDate(d.getUTCDate() + 1);
        if (working(d)) left--;
        else skipped.push(iso(d));
      }
      return { due: iso(d), skipped };
    }
    if (period.unit === 'calendarDays') d.setUTCDate(d.getUTCDate() + period.amount);
    else {
      const day = d.getUTCDate();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() + period.amount);
      const monthEnd = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      d.setUTCDate(Math.min(day, monthEnd));
    }
    while (!working(d)) {
      skipped.push(iso(d));
      d.setUTCDate(d.getUTCDate() + 1);
    }
    return { due: iso(d), skipped };
  };
};

const addDay = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return iso(d);
};

/** Stepwise baseline: the module's classifyDay, one day at a time. */
const stepwiseFor =
  (cal: Calendar) =>
  (start: string, period: Period): { due: string; skipped: string[] } => {
    const skipped: string[] = [];
    let day = start;
    if (period.unit === 'workingDays') {
      for (let left = period.amount; left > 0; ) {
        day = addDay(day);
        if (classifyDay(cal, day).working) left--;
        else skipped.push(day);
      }
      return { due: day, skipped };
    }
    const d = new Date(`${start}T00:00:00Z`);
    if (period.unit === 'calendarDays') d.setUTCDate(d.getUTCDate() + period.amount);
    else {
      const dom = d.getUTCDate();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() + period.amount);
      d.setUTCDate(Math.min(dom, new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()));
    }
    day = iso(d);
    while (!classifyDay(cal, day).working) {
      skipped.push(day);
      day = addDay(day);
    }
    return { due: day, skipped };
  };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const time = (label: string, fn: () => void): number => {
  const samples: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  const ms = median(samples);
  process.stdout.write(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms   ${((ms * 1000) / N).toFixed(2).padStart(6)} µs/due date  (median of ${RUNS})\n`);
  return ms;
};

export async function benchCalendar(): Promise<void> {
  const cal = shippedCalendar();
  const work = inputs();
  const byUnit = { workingDays: 0, calendarDays: 0, months: 0 };
  for (const w of work) byUnit[w.period.unit]++;
  process.stdout.write(`calendar: ${N} due dates, seed ${SEED} (workingDays ${byUnit.workingDays}, calendarDays ${byUnit.calendarDays}, months ${byUnit.months})\n`);

  // Cold: the first pass builds the per-year day tables lazily (on a fresh Calendar value).
  const fresh: Calendar = { years: new Map(cal.years), closures: [] };
  const t0 = performance.now();
  for (const w of work) computeDue(fresh, w.start, w.period);
  process.stdout.write(`${'computeDue, first pass (builds day tables)'.padEnd(44)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms\n`);

  const results = work.map((w) => computeDue(cal, w.start, w.period));
  const naive = naiveFor(cal);
  const stepwise = stepwiseFor(cal);
  let mismatches = 0;
  for (let i = 0; i < N; i++) {
    const w = work[i]!;
    const r = results[i]!;
    const a = naive(w.start, w.period);
    const b = stepwise(w.start, w.period);
    const skipped = r.skipped.map((s) => s.date).join();
    if (a.due !== r.due || b.due !== r.due || a.skipped.join() !== skipped || b.skipped.join() !== skipped) mismatches++;
  }
  process.stdout.write(`results identical across the three implementations: ${mismatches === 0 ? 'yes' : `NO (${mismatches} differ)`}\n`);

  const fast = time('computeDue (day tables, O(1) lookups)', () => {
    for (const w of work) computeDue(cal, w.start, w.period);
  });
  const slowNaive = time('naive baseline (Date + Set, day by day)', () => {
    for (const w of work) naive(w.start, w.period);
  });
  const slowStep = time('stepwise baseline (classifyDay, day by day)', () => {
    for (const w of work) stepwise(w.start, w.period);
  });
  process.stdout.write(`ratio naive / computeDue: ${(slowNaive / fast).toFixed(1)}×   stepwise / computeDue: ${(slowStep / fast).toFixed(1)}×\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchCalendar();
