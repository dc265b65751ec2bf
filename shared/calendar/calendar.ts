/**
 * The official working-day calendar of China and the deadline arithmetic built on it. Pure domain
 * code: no I/O, no clock, no time zone. Every date is a Shanghai local date written `YYYY-MM-DD`
 * and is handled as a day number (days since 1970-01-01), never as a `Date`.
 *
 * Counting conventions (docs/rules.md §3, used by C1, C4, C5 …):
 *  - the start day (the event) is not counted; counting starts the next day;
 *  - 工作日: weekends, statutory holidays and the agency's local closures are skipped, 调休 make-up
 *    weekend days are counted;
 *  - 日: every day is counted, but a period whose last day is a non-working day ends on the next
 *    working day (`rolledFrom` keeps the last day, `skipped` the days rolled over);
 *  - 月: the same date N months later, or that month's last day (01-31 + 1 month = 02-28/29), then
 *    rolled forward the same way;
 *  - "半个月" is 15 calendar days: callers pass `{ unit: 'calendarDays', amount: 15 }`.
 *
 * Choices this module makes where the conventions are silent:
 *  - amount 0: due = start for every unit, with no roll-forward: a period of no day has no last day
 *    that could fall on a non-working day; nothing is consulted, so the result is never provisional;
 *  - a year with no published notice in `cal.years` is classified by weekday (and local closures)
 *    only, and every result that consulted one of its days is `provisional`;
 *  - precedence on one date: statutory holiday > local closure > 调休 make-up day > weekend >
 *    workday (a closure on a make-up Saturday closes the office; a closure on a holiday keeps the
 *    holiday's name);
 *  - a notice may reach back into the previous December (the 2012 and 2019 notices did, e.g.
 *    2018-12-29 上班 in the 2019 notice): such dates are applied to the year they fall in, and
 *    `yearsSpanned` names the next year for any span reaching December.
 *
 * Performance: each (calendar, year) gets one day table built lazily on first use (day info,
 * prefix counts of working days, the offsets of working days, the non-working days in order). A day
 * lookup is O(1); a working-day period is O(years crossed) plus the copy of `skipped`.
 */
import { CALENDAR_2024 } from './years/2024.ts';
import { CALENDAR_2025 } from './years/2025.ts';
import { CALENDAR_2026 } from './years/2026.ts';

export interface YearCalendar {
  year: number;
  notice: { title: string; number: string; publishedOn: string /* YYYY-MM-DD */ };
  holidays: { name: string; dates: string[] }[];
  makeupWorkdays: { date: string; name: string }[];
  version: number;
}
export interface LocalClosure {
  date: string;
  reason: string;
}
/** closures: an agency's own extra non-working days. Treated as immutable: build a new Calendar to change it. */
export interface Calendar {
  years: ReadonlyMap<number, YearCalendar>;
  closures: readonly LocalClosure[];
}
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeupWorkday' | 'localClosure';
/** provisional: the year has no published notice → classified by weekday only. */
export interface DayInfo {
  date: string;
  working: boolean;
  kind: DayKind;
  name?: string;
  provisional: boolean;
}
export type Period = { unit: 'workingDays' | 'calendarDays' | 'months'; amount: number };
export interface SkippedDay {
  date: string;
  kind: Exclude<DayKind, 'workday' | 'makeupWorkday'>;
  name?: string;
}
export interface DueDate {
  start: string;
  period: Period;
  due: string;
  provisional: boolean;
  skipped: SkippedDay[];
  /** calendar-day/month period whose last day was non-working: that last day. */
  rolledFrom?: string;
  /** year → version of that year's notice used. */
  calendarVersions: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Pure date helpers on YYYY-MM-DD (proleptic Gregorian, years 0001–9999, no time zone).

const MIN_YEAR = 1;
const MAX_YEAR = 9999;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

interface Ymd {
  y: number;
  m: number;
  d: number;
}

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number): number => (m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1]!);
const daysInYear = (y: number): number => (isLeapYear(y) ? 366 : 365);

/** Day number (days since 1970-01-01) of a civil date (H. Hinnant's days_from_civil). */
const toDayNumber = (y: number, m: number, d: number): number => {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
};

/** Civil date of a day number (civil_from_days). */
const fromDayNumber = (n: number): Ymd => {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
};

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
const weekday = (n: number): number => (((n + 4) % 7) + 7) % 7;
const isWeekend = (n: number): boolean => {
  const w = weekday(n);
  return w === 0 || w === 6;
};

const pad = (v: number, width: number): string => String(v).padStart(width, '0');
const formatYmd = ({ y, m, d }: Ymd): string => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;

const checkYear = (y: number, what: string): void => {
  if (y < MIN_YEAR || y > MAX_YEAR) throw new RangeError(`${what}: year ${y} outside ${MIN_YEAR}–${MAX_YEAR}`);
};

/** Strict parse: exactly YYYY-MM-DD, a real calendar date. Throws RangeError otherwise. */
const parseDate = (date: string): Ymd => {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const ymd = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (ymd.y < MIN_YEAR || ymd.m < 1 || ymd.m > 12 || ymd.d < 1 || ymd.d > daysInMonth(ymd.y, ymd.m)) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return ymd;
};

const checkInteger = (n: number, what: string): void => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
};

/** `date` + n days (n may be negative). */
export const addCalendarDays = (date: string, n: number): string => {
  checkInteger(n, 'day count');
  const p = parseDate(date);
  const r = fromDayNumber(toDayNumber(p.y, p.m, p.d) + n);
  checkYear(r.y, 'addCalendarDays');
  return formatYmd(r);
};

/** Same date n months later (n may be negative), or that month's last day: 2024-01-31 + 1 → 2024-02-29. */
const addMonthsYmd = (p: Ymd, n: number): Ymd => {
  const total = p.y * 12 + (p.m - 1) + n;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  checkYear(y, 'addMonths');
  return { y, m, d: Math.min(p.d, daysInMonth(y, m)) };
};

export const addMonths = (date: string, n: number): string => {
  checkInteger(n, 'month count');
  return formatYmd(addMonthsYmd(parseDate(date), n));
};

// ---------------------------------------------------------------------------------------------
// Notices and closures: validation.

/**
 * Checks a notice before it is used (a typo in a published calendar would silently move deadlines):
 * every date is a real date in the notice's year, or in the previous December (元旦 periods of the
 * 2012/2019 notices); no date is listed twice; a make-up working day is a Saturday or Sunday.
 */
export const validateYearCalendar = (yc: YearCalendar): void => {
  checkInteger(yc.year, 'YearCalendar.year');
  checkYear(yc.year, 'YearCalendar');
  checkInteger(yc.version, 'YearCalendar.version');
  parseDate(yc.notice.publishedOn);
  const seen = new Set<string>();
  const check = (date: string, what: string) => {
    const p = parseDate(date);
    if (!(p.y === yc.year || (p.y === yc.year - 1 && p.m === 12))) {
      throw new RangeError(`${yc.year} notice: ${what} ${date} is outside ${yc.year} (and the previous December)`);
    }
    if (seen.has(date)) throw new RangeError(`${yc.year} notice: ${date} listed twice`);
    seen.add(date);
    return p;
  };
  for (const h of yc.holidays) {
    if (!h.name) throw new RangeError(`${yc.year} notice: a holiday period has no name`);
    for (const date of h.dates) check(date, `holiday ${h.name}`);
  }
  for (const w of yc.makeupWorkdays) {
    if (!w.name) throw new RangeError(`${yc.year} notice: make-up day ${w.date} has no holiday name`);
    const p = check(w.date, `make-up day of ${w.name}`);
    if (!isWeekend(toDayNumber(p.y, p.m, p.d))) throw new RangeError(`${yc.year} notice: make-up day ${w.date} is not a weekend day`);
  }
};

// ---------------------------------------------------------------------------------------------
// Per-year day tables.

interface YearTable {
  readonly year: number;
  /** day number of 1 January */
  readonly first: number;
  readonly length: number;
  /** one frozen DayInfo per day of the year */
  readonly info: readonly DayInfo[];
  /** cumWork[i] = working days among offsets 0..i-1 (length + 1 entries) */
  readonly cumWork: Int32Array;
  /** offsets of the working days, in order */
  readonly workOff: Int32Array;
  /** the non-working days, in order: skip[i - cumWork[i]] is the first one at or after offset i */
  readonly skip: readonly SkippedDay[];
  readonly published: boolean;
  /** notices whose entries this table uses: [year, version] (its own year, and the next year's if it reached back) */
  readonly deps: readonly (readonly [number, number])[];
  /** the notices it was built from, to notice a Calendar whose map was changed in place */
  readonly own: YearCalendar | undefined;
  readonly next: YearCalendar | undefined;
}

interface CalendarIndex {
  readonly closures: readonly LocalClosure[];
  /** date → reason; the first closure listed for a date wins */
  readonly closureByDate: ReadonlyMap<string, string>;
  readonly tables: Map<number, YearTable>;
}

const INDEXES = new WeakMap<Calendar, CalendarIndex>();

const buildClosureMap = (closures: readonly LocalClosure[]): Map<string, string> => {
  const map = new Map<string, string>();
  for (const c of closures) {
    parseDate(c.date);
    if (!map.has(c.date)) map.set(c.date, String(c.reason));
  }
  return map;
};

const indexFor = (cal: Calendar): CalendarIndex => {
  const existing = INDEXES.get(cal);
  if (existing && existing.closures === cal.closures) return existing;
  const idx: CalendarIndex = { closures: cal.closures, closureByDate: buildClosureMap(cal.closures), tables: new Map() };
  INDEXES.set(cal, idx);
  return idx;
};

type Mark = { kind: 'holiday' | 'makeupWorkday'; name: string };

/** The statutory marks a notice puts on dates of `year` (a notice may reach back one December). */
const marksOf = (yc: YearCalendar | undefined, year: number, into: Map<string, Mark>): boolean => {
  if (!yc) return false;
  validateYearCalendar(yc);
  const prefix = `${pad(year, 4)}-`;
  let used = false;
  for (const h of yc.holidays) {
    for (const date of h.dates) {
      if (date.startsWith(prefix)) {
        into.set(date, { kind: 'holiday', name: h.name });
        used = true;
      }
    }
  }
  for (const w of yc.makeupWorkdays) {
    if (w.date.startsWith(prefix)) {
      into.set(w.date, { kind: 'makeupWorkday', name: w.name });
      used = true;
    }
  }
  return used;
};

const classify = (n: number, mark: Mark | undefined, closure: string | undefined): { kind: DayKind; name?: string } => {
  if (mark?.kind === 'holiday') return { kind: 'holiday', name: mark.name };
  if (closure !== undefined) return { kind: 'localClosure', name: closure };
  if (mark?.kind === 'makeupWorkday') return { kind: 'makeupWorkday', name: mark.name };
  return { kind: isWeekend(n) ? 'weekend' : 'workday' };
};

const buildYearTable = (year: number, own: YearCalendar | undefined, next: YearCalendar | undefined, closures: ReadonlyMap<string, string>): YearTable => {
  if (own && own.year !== year) throw new RangeError(`calendar for ${year} holds the notice of ${own.year}`);
  if (next && next.year !== year + 1) throw new RangeError(`calendar for ${year + 1} holds the notice of ${next.year}`);
  const marks = new Map<string, Mark>();
  // The later notice wins for a date both name (it was published last).
  marksOf(own, year, marks);
  const nextUsed = marksOf(next, year, marks);
  const first = toDayNumber(year, 1, 1);
  const length = daysInYear(year);
  const provisional = own === undefined;
  const info: DayInfo[] = new Array(length);
  const cumWork = new Int32Array(length + 1);
  const work: number[] = [];
  const skip: SkippedDay[] = [];
  for (let i = 0; i < length; i++) {
    const n = first + i;
    const date = formatYmd(fromDayNumber(n));
    const { kind, name } = classify(n, marks.get(date), closures.get(date));
    const working = kind === 'workday' || kind === 'makeupWorkday';
    info[i] = Object.freeze(name === undefined ? { date, working, kind, provisional } : { date, working, kind, name, provisional });
    if (working) work.push(i);
    else skip.push(Object.freeze(name === undefined ? { date, kind: kind as SkippedDay['kind'] } : { date, kind: kind as SkippedDay['kind'], name }));
    cumWork[i + 1] = work.length;
  }
  const deps: (readonly [number, number])[] = [];
  if (own) deps.push([own.year, own.version]);
  if (next && nextUsed) deps.push([next.year, next.version]);
  return { year, first, length, info, cumWork, workOff: Int32Array.from(work), skip, published: !provisional, deps, own, next };
};

const tableFor = (cal: Calendar, idx: CalendarIndex, year: number): YearTable => {
  checkYear(year, 'calendar');
  const own = cal.years.get(year);
  const next = cal.years.get(year + 1);
  const cached = idx.tables.get(year);
  if (cached && cached.own === own && cached.next === next) return cached;
  const built = buildYearTable(year, own, next, idx.closureByDate);
  idx.tables.set(year, built);
  return built;
};

// ---------------------------------------------------------------------------------------------
// Classification and due dates.

export const classifyDay = (cal: Calendar, date: string): DayInfo => {
  const p = parseDate(date);
  const t = tableFor(cal, indexFor(cal), p.y);
  return t.info[toDayNumber(p.y, p.m, p.d) - t.first]!;
};

const UNITS: readonly Period['unit'][] = ['workingDays', 'calendarDays', 'months'];
/** Sanity bound (≈ 100 years of days) so a wrong amount cannot make the day tables grow for millennia. */
export const MAX_PERIOD_AMOUNT = 36_500;

const validatePeriod = (period: Period): void => {
  if (!period || !UNITS.includes(period.unit)) throw new RangeError(`unknown period unit: ${String(period?.unit)}`);
  checkInteger(period.amount, 'period amount');
  if (period.amount < 0 || period.amount > MAX_PERIOD_AMOUNT) {
    throw new RangeError(`period amount must be within 0–${MAX_PERIOD_AMOUNT}, got ${period.amount}`);
  }
};

/** What one computation consulted: provisional years and the notice versions used. */
class Consulted {
  provisional = false;
  readonly versions: Record<string, number> = {};
  private last: YearTable | undefined;
  add(t: YearTable): void {
    if (t === this.last) return;
    this.last = t;
    if (!t.published) this.provisional = true;
    for (const [y, v] of t.deps) this.versions[String(y)] = v;
  }
}

const pushRange = (out: SkippedDay[], from: readonly SkippedDay[], start: number, end: number): void => {
  for (let k = start; k < end; k++) out.push(from[k]!);
};

/** Working days: the amount-th working day after `startDay`. O(years crossed) + |skipped|. */
const stepWorkingDays = (cal: Calendar, idx: CalendarIndex, start: Ymd, amount: number, seen: Consulted, skipped: SkippedDay[]): string => {
  let t = tableFor(cal, idx, start.y);
  let off = toDayNumber(start.y, start.m, start.d) - t.first + 1; // the start day is not counted (docs/rules.md §3)
  let n = amount;
  for (;;) {
    if (off >= t.length) {
      t = tableFor(cal, idx, t.year + 1);
      off = 0;
    }
    seen.add(t);
    const before = t.cumWork[off]!;
    const avail = t.workOff.length - before;
    if (n <= avail) {
      const k = before + n - 1; // index of the due day among the year's working days
      const dueOff = t.workOff[k]!;
      pushRange(skipped, t.skip, off - before, dueOff - k);
      return t.info[dueOff]!.date;
    }
    pushRange(skipped, t.skip, off - before, t.skip.length);
    n -= avail;
    off = t.length;
  }
};

/** Calendar days and months: the period's last day, rolled to the next working day if it is not one. */
const rollForward = (cal: Calendar, idx: CalendarIndex, last: Ymd, seen: Consulted, skipped: SkippedDay[]): { due: string; rolledFrom?: string } => {
  let t = tableFor(cal, idx, last.y);
  let off = toDayNumber(last.y, last.m, last.d) - t.first;
  seen.add(t);
  const lastInfo = t.info[off]!;
  if (lastInfo.working) return { due: lastInfo.date };
  for (;;) {
    if (off >= t.length) {
      t = tableFor(cal, idx, t.year + 1);
      off = 0;
      seen.add(t);
    }
    const info = t.info[off]!;
    if (info.working) return { due: info.date, rolledFrom: lastInfo.date };
    skipped.push(t.skip[off - t.cumWork[off]!]!);
    off++;
  }
};

export const computeDue = (cal: Calendar, start: string, period: Period): DueDate => {
  validatePeriod(period);
  const s = parseDate(start);
  const p: Period = { unit: period.unit, amount: period.amount };
  if (p.amount === 0) return { start, period: p, due: start, provisional: false, skipped: [], calendarVersions: {} };
  const idx = indexFor(cal);
  const seen = new Consulted();
  const skipped: SkippedDay[] = [];
  if (p.unit === 'workingDays') {
    const due = stepWorkingDays(cal, idx, s, p.amount, seen, skipped);
    return { start, period: p, due, provisional: seen.provisional, skipped, calendarVersions: seen.versions };
  }
  const last = p.unit === 'calendarDays' ? fromDayNumber(toDayNumber(s.y, s.m, s.d) + p.amount) : addMonthsYmd(s, p.amount);
  checkYear(last.y, 'computeDue');
  const { due, rolledFrom } = rollForward(cal, idx, last, seen, skipped);
  const result: DueDate = { start, period: p, due, provisional: seen.provisional, skipped, calendarVersions: seen.versions };
  if (rolledFrom !== undefined) result.rolledFrom = rolledFrom;
  return result;
};

/**
 * The years whose notice a due date depended on, ascending: those of the days it consulted (every
 * day after the start for working days; the period's last day through the due date otherwise; none
 * for amount 0), plus the next year when the consulted span reaches December, because a notice may
 * reach back into the previous December. Recompute a clock when a year in this list is published
 * or corrected.
 */
export const yearsSpanned = (d: DueDate): number[] => {
  if (d.period.amount === 0) return [];
  const first = parseDate(d.period.unit === 'workingDays' ? addCalendarDays(d.start, 1) : (d.rolledFrom ?? d.due));
  const due = parseDate(d.due);
  const years: number[] = [];
  for (let y = first.y; y <= due.y; y++) years.push(y);
  if (due.m === 12) years.push(due.y + 1);
  return years;
};

// ---------------------------------------------------------------------------------------------
// The shipped calendar.

const deepFreeze = <T>(v: T): T => {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
};

/** A Map whose mutators throw: the shipped calendar is shared by every caller. */
const readonlyMap = <K, V>(entries: Iterable<readonly [K, V]>): ReadonlyMap<K, V> => {
  const map = new Map<K, V>(entries);
  const refuse = () => {
    throw new TypeError('the shipped calendar is read-only: build a new Calendar to add or correct a year');
  };
  Object.defineProperties(map, { set: { value: refuse }, delete: { value: refuse }, clear: { value: refuse } });
  return map;
};

let shipped: Calendar | undefined;

/** 2024–2026 as the State Council's General Office published them; no local closures. One shared, frozen value (its day tables are cached). */
export const shippedCalendar = (): Calendar => {
  if (!shipped) {
    const years = [CALENDAR_2024, CALENDAR_2025, CALENDAR_2026].map(deepFreeze);
    for (const yc of years) validateYearCalendar(yc);
    shipped = Object.freeze({ years: readonlyMap(years.map((yc) => [yc.year, yc] as const)), closures: Object.freeze([]) });
  }
  return shipped;
};
