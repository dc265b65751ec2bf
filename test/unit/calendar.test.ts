import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addMonths,
  classifyDay,
  computeDue,
  shippedCalendar,
  validateYearCalendar,
  yearsSpanned,
  type Calendar,
  type LocalClosure,
  type Period,
  type YearCalendar,
} from '#shared/calendar/calendar.ts';

/**
 * The official calendar (shared/calendar/years/*.ts) is checked against two independent sources:
 * the notices' own wording, re-typed below as ranges with the weekday the notice prints, and the
 * `chinese-days` package, consulted here only (the product never reads it). Deadline arithmetic
 * (docs/rules.md §3 counting conventions) is checked against a deliberately naive day-by-day reference.
 */

/**
 * chinese-days builds and reads its date tables in the process's local time zone and is off by one
 * day west of UTC. The product reckons in Shanghai local dates anyway, so this file loads and uses
 * it in Asia/Shanghai, and restores the zone afterwards.
 */
const previousTz = process.env.TZ;
process.env.TZ = 'Asia/Shanghai';
const { default: chineseDays } = await import('chinese-days');
const { getDayDetail, isWorkday } = chineseDays;
afterAll(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

const cal = shippedCalendar();

/** Every date of [from, to], by UTC Date arithmetic (independent of the module's own helpers). */
const datesBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
};
const WEEKDAY_CN = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const weekdayCn = (date: string) => WEEKDAY_CN[new Date(`${date}T00:00:00Z`).getUTCDay()];

// ---------------------------------------------------------------------------------------------
// The notices as printed: [heading, first day, last day, 共N天, [make-up day, weekday printed]].
// ("与周末连休"/"放假1天" periods are one day; the 2024 notice prints 星期日/星期六, written 周日/周六 here.)
type NoticeLine = [string, string, string, number, [string, string][]];
const NOTICES: Record<number, { number: string; publishedOn: string; lines: NoticeLine[] }> = {
  2024: {
    number: '国办发明电〔2023〕7号',
    publishedOn: '2023-10-25',
    lines: [
      ['元旦', '2024-01-01', '2024-01-01', 1, []],
      [
        '春节',
        '2024-02-10',
        '2024-02-17',
        8,
        [
          ['2024-02-04', '周日'],
          ['2024-02-18', '周日'],
        ],
      ],
      ['清明节', '2024-04-04', '2024-04-06', 3, [['2024-04-07', '周日']]],
      [
        '劳动节',
        '2024-05-01',
        '2024-05-05',
        5,
        [
          ['2024-04-28', '周日'],
          ['2024-05-11', '周六'],
        ],
      ],
      ['端午节', '2024-06-10', '2024-06-10', 1, []],
      ['中秋节', '2024-09-15', '2024-09-17', 3, [['2024-09-14', '周六']]],
      [
        '国庆节',
        '2024-10-01',
        '2024-10-07',
        7,
        [
          ['2024-09-29', '周日'],
          ['2024-10-12', '周六'],
        ],
      ],
    ],
  },
  2025: {
    number: '国办发明电〔2024〕12号',
    publishedOn: '2024-11-12',
    lines: [
      ['元旦', '2025-01-01', '2025-01-01', 1, []],
      [
        '春节',
        '2025-01-28',
        '2025-02-04',
        8,
        [
          ['2025-01-26', '周日'],
          ['2025-02-08', '周六'],
        ],
      ],
      ['清明节', '2025-04-04', '2025-04-06', 3, []],
      ['劳动节', '2025-05-01', '2025-05-05', 5, [['2025-04-27', '周日']]],
      ['端午节', '2025-05-31', '2025-06-02', 3, []],
      [
        '国庆节、中秋节',
        '2025-10-01',
        '2025-10-08',
        8,
        [
          ['2025-09-28', '周日'],
          ['2025-10-11', '周六'],
        ],
      ],
    ],
  },
  2026: {
    number: '国办发明电〔2025〕7号',
    publishedOn: '2025-11-04',
    lines: [
      ['元旦', '2026-01-01', '2026-01-03', 3, [['2026-01-04', '周日']]],
      [
        '春节',
        '2026-02-15',
        '2026-02-23',
        9,
        [
          ['2026-02-14', '周六'],
          ['2026-02-28', '周六'],
        ],
      ],
      ['清明节', '2026-04-04', '2026-04-06', 3, []],
      ['劳动节', '2026-05-01', '2026-05-05', 5, [['2026-05-09', '周六']]],
      ['端午节', '2026-06-19', '2026-06-21', 3, []],
      ['中秋节', '2026-09-25', '2026-09-27', 3, []],
      [
        '国庆节',
        '2026-10-01',
        '2026-10-07',
        7,
        [
          ['2026-09-20', '周日'],
          ['2026-10-10', '周六'],
        ],
      ],
    ],
  },
};
// Weekdays the 2025 and 2026 notices print for the first and last holiday day (a check on the re-typing itself).
const PRINTED_WEEKDAYS: [string, string][] = [
  ['2025-01-01', '周三'],
  ['2025-01-28', '周二'],
  ['2025-02-04', '周二'],
  ['2025-04-04', '周五'],
  ['2025-04-06', '周日'],
  ['2025-05-01', '周四'],
  ['2025-05-05', '周一'],
  ['2025-05-31', '周六'],
  ['2025-06-02', '周一'],
  ['2025-10-01', '周三'],
  ['2025-10-08', '周三'],
  ['2026-01-01', '周四'],
  ['2026-01-03', '周六'],
  ['2026-02-15', '周日'],
  ['2026-02-23', '周一'],
  ['2026-04-04', '周六'],
  ['2026-04-06', '周一'],
  ['2026-05-01', '周五'],
  ['2026-05-05', '周二'],
  ['2026-06-19', '周五'],
  ['2026-06-21', '周日'],
  ['2026-09-25', '周五'],
  ['2026-09-27', '周日'],
  ['2026-10-01', '周四'],
  ['2026-10-07', '周三'],
];

describe('the shipped calendar is the notices as published', () => {
  it('every year 2024–2026 carries its notice and matches the notice text period by period', () => {
    for (const [yearText, notice] of Object.entries(NOTICES)) {
      const year = Number(yearText);
      const yc = cal.years.get(year)!;
      expect(yc.year).toBe(year);
      expect(yc.notice).toEqual({ title: `国务院办公厅关于${year}年部分节假日安排的通知`, number: notice.number, publishedOn: notice.publishedOn });
      expect(yc.holidays).toEqual(notice.lines.map(([name, from, to]) => ({ name, dates: datesBetween(from, to) })));
      for (const [name, from, to, days] of notice.lines) expect(datesBetween(from, to).length, `${year} ${name} 共${days}天`).toBe(days);
      expect(yc.makeupWorkdays).toEqual(notice.lines.flatMap(([name, , , , makeups]) => makeups.map(([date]) => ({ date, name }))));
      for (const [, , , , makeups] of notice.lines) for (const [date, printed] of makeups) expect(weekdayCn(date), date).toBe(printed);
      expect(() => validateYearCalendar(yc)).not.toThrow();
    }
    for (const [date, printed] of PRINTED_WEEKDAYS) expect(weekdayCn(date), date).toBe(printed);
  });

  it('2025 adds a day to 春节 (from 除夕) and to 劳动节 (one make-up day instead of two), per the revised 放假办法', () => {
    expect(classifyDay(cal, '2024-02-09')).toMatchObject({ working: true, kind: 'workday' }); // 2024 除夕: only "encouraged" off
    expect(classifyDay(cal, '2025-01-28')).toMatchObject({ working: false, kind: 'holiday', name: '春节' }); // 2025 除夕
    expect(cal.years.get(2024)!.makeupWorkdays.filter((m) => m.name === '劳动节')).toHaveLength(2);
    expect(cal.years.get(2025)!.makeupWorkdays.filter((m) => m.name === '劳动节')).toHaveLength(1);
  });

  it('all 1096 days of 2024–2026 agree with chinese-days (working status, holiday vs make-up vs weekend, holiday name)', () => {
    // chinese-days names: "Spring Festival,春节,3" for a marked day, the weekday name otherwise; it
    // shortens 清明节/端午节/中秋节 and files 2025-10-06 under 中秋 inside the notice's merged
    // "国庆节、中秋节" period: a name agrees when theirs is one of the notice's names for the period.
    const FULL: Record<string, string> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };
    const days = datesBetween('2024-01-01', '2026-12-31');
    expect(days).toHaveLength(1096);
    const disagreements: string[] = [];
    for (const date of days) {
      const ours = classifyDay(cal, date);
      const theirs = getDayDetail(date);
      const marked = theirs.name.includes(',');
      const theirName = marked ? theirs.name.split(',')[1]! : undefined;
      const theirKind = marked ? (theirs.work ? 'makeupWorkday' : 'holiday') : theirs.work ? 'workday' : 'weekend';
      const namesAgree = theirName === undefined ? ours.name === undefined : (ours.name ?? '').split('、').includes(FULL[theirName] ?? theirName);
      if (theirs.date !== date || ours.date !== date || ours.provisional || ours.working !== theirs.work || ours.working !== isWorkday(date) || ours.kind !== theirKind || !namesAgree) {
        disagreements.push(`${date}: ours ${ours.kind}/${ours.name ?? ''} theirs ${theirKind}/${theirs.name}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('counts per year: working days and non-working days', () => {
    const count = (year: number) => datesBetween(`${year}-01-01`, `${year}-12-31`).filter((d) => classifyDay(cal, d).working).length;
    // weekdays − holidays falling on weekdays + make-up days: 2024 262 − 19 + 8; 2025 261 − 18 + 5; 2026 261 − 19 + 6
    expect([count(2024), count(2025), count(2026)]).toEqual([251, 248, 248]);
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-checked deadlines.

describe('computeDue: hand-checked examples', () => {
  const wd = (amount: number): Period => ({ unit: 'workingDays', amount });
  const cd = (amount: number): Period => ({ unit: 'calendarDays', amount });
  const mo = (amount: number): Period => ({ unit: 'months', amount });

  it('7 working days from Fri 2024-09-27 across 国庆: the make-up Sunday 09-29 and Saturday 10-12 count (C1)', () => {
    const d = computeDue(cal, '2024-09-27', wd(7));
    expect(d).toEqual({
      start: '2024-09-27',
      period: wd(7),
      due: '2024-10-12',
      provisional: false,
      skipped: [{ date: '2024-09-28', kind: 'weekend' }, ...datesBetween('2024-10-01', '2024-10-07').map((date) => ({ date, kind: 'holiday', name: '国庆节' }))],
      calendarVersions: { '2024': 1 },
    });
    expect(yearsSpanned(d)).toEqual([2024]);
  });

  it('15 working days from Mon 2025-01-20 across 春节 2025 (C4): make-up Sunday 01-26 and Saturday 02-08 count', () => {
    const d = computeDue(cal, '2025-01-20', wd(15));
    expect(d.due).toBe('2025-02-14');
    expect(d.skipped.map((s) => s.date)).toEqual(['2025-01-25', ...datesBetween('2025-01-28', '2025-02-04'), '2025-02-09']);
    expect(d.skipped.filter((s) => s.kind === 'holiday').every((s) => s.name === '春节')).toBe(true);
    expect(d.skipped.some((s) => s.date === '2025-01-26' || s.date === '2025-02-08')).toBe(false);
  });

  it('2 months from 2025-12-31 ends on 2026-02-28, a Saturday worked for 春节: no roll', () => {
    const d = computeDue(cal, '2025-12-31', mo(2));
    expect(d).toMatchObject({ due: '2026-02-28', skipped: [], provisional: false, calendarVersions: { '2026': 1 } });
    expect(d.rolledFrom).toBeUndefined();
    expect(classifyDay(cal, '2026-02-28')).toMatchObject({ kind: 'makeupWorkday', name: '春节', working: true });
  });

  it('months end on the same date or the month-end, then roll (C5: 2 months, 1-month extension)', () => {
    expect(computeDue(cal, '2024-01-31', mo(1)).due).toBe('2024-02-29'); // Thursday
    expect(computeDue(cal, '2025-01-31', mo(1)).due).toBe('2025-02-28'); // Friday
    const d = computeDue(cal, '2024-08-31', mo(1)); // 2024-09-30 Monday, working
    expect(d.due).toBe('2024-09-30');
    const r = computeDue(cal, '2024-07-01', mo(3)); // 2024-10-01 国庆 → 10-08
    expect(r).toMatchObject({ due: '2024-10-08', rolledFrom: '2024-10-01' });
    expect(r.skipped).toHaveLength(7);
  });

  it('a calendar-day period ending on a Saturday rolls to Monday ("半个月" = 15 days, C4 extension)', () => {
    expect(computeDue(cal, '2024-03-01', cd(15))).toEqual({
      start: '2024-03-01',
      period: cd(15),
      due: '2024-03-18',
      provisional: false,
      rolledFrom: '2024-03-16',
      skipped: [
        { date: '2024-03-16', kind: 'weekend' },
        { date: '2024-03-17', kind: 'weekend' },
      ],
      calendarVersions: { '2024': 1 },
    });
  });

  it('a calendar-day period ending on a make-up Sunday ends there; one ending in a holiday rolls past it', () => {
    expect(computeDue(cal, '2024-09-19', cd(10))).toMatchObject({ due: '2024-09-29', skipped: [] });
    const d = computeDue(cal, '2025-09-21', cd(10));
    expect(d).toMatchObject({ due: '2025-10-09', rolledFrom: '2025-10-01' });
    expect(d.skipped.map((s) => s.name)).toEqual(Array(8).fill('国庆节、中秋节'));
  });

  it('working days across a year boundary record both notices', () => {
    const d = computeDue(cal, '2025-12-25', wd(5)); // 12-26, 29, 30, 31; 2026-01-01..03 元旦; 01-04 make-up Sunday
    expect(d).toMatchObject({ due: '2026-01-04', calendarVersions: { '2025': 1, '2026': 1 }, provisional: false });
    expect(d.skipped.map((s) => s.date)).toEqual(['2025-12-27', '2025-12-28', '2026-01-01', '2026-01-02', '2026-01-03']);
    expect(yearsSpanned(d)).toEqual([2025, 2026]);
  });

  it('the start day is never counted; amount 0 is the start day itself, not rolled', () => {
    expect(computeDue(cal, '2024-06-07', wd(1)).due).toBe('2024-06-11'); // Fri; Sat, Sun, 端午 Mon skipped
    expect(computeDue(cal, '2024-06-08', cd(1)).due).toBe('2024-06-11'); // Sun 06-09 → 端午 → Tue
    for (const unit of ['workingDays', 'calendarDays', 'months'] as const) {
      const d = computeDue(cal, '2024-10-05', { unit, amount: 0 });
      expect(d).toEqual({ start: '2024-10-05', period: { unit, amount: 0 }, due: '2024-10-05', provisional: false, skipped: [], calendarVersions: {} });
      expect(yearsSpanned(d)).toEqual([]);
    }
  });

  it('rejects malformed input with RangeError', () => {
    for (const bad of ['2024-02-30', '2024-2-03', '2024-13-01', '20240203', '', '0000-01-01', '2024-02-03T00:00']) {
      expect(() => computeDue(cal, bad, wd(1)), bad).toThrow(RangeError);
      expect(() => classifyDay(cal, bad), bad).toThrow(RangeError);
    }
    for (const amount of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 36_501]) expect(() => computeDue(cal, '2024-01-02', wd(amount))).toThrow(RangeError);
    expect(() => computeDue(cal, '2024-01-02', { unit: 'weeks', amount: 1 } as unknown as Period)).toThrow(RangeError);
    expect(() => computeDue(cal, '9999-12-01', cd(100))).toThrow(RangeError);
    expect(() => addCalendarDays('2024-01-01', 0.5)).toThrow(RangeError);
  });

  it('date helpers', () => {
    expect(addCalendarDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addCalendarDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2025-12-31', 2)).toBe('2026-02-28');
    expect(addMonths('2024-05-15', 24)).toBe('2026-05-15');
  });

  it('the shipped calendar is shared and read-only', () => {
    expect(shippedCalendar()).toBe(cal);
    expect(() => (cal.years as Map<number, YearCalendar>).set(2027, cal.years.get(2026)!)).toThrow(TypeError);
    expect(() => (cal.years.get(2026)!.holidays as unknown[]).push({})).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Years not yet published.

/** A made-up 2027 notice, for tests only (not real data): 元旦 Fri 01-01 to Sun 01-03, one make-up day back in December 2026. */
const FAKE_2027: YearCalendar = {
  year: 2027,
  notice: { title: '国务院办公厅关于2027年部分节假日安排的通知', number: 'TEST', publishedOn: '2026-11-01' },
  holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }],
  makeupWorkdays: [],
  version: 1,
};
const withYears = (base: Calendar, ...extra: YearCalendar[]): Calendar => ({
  years: new Map([...base.years, ...extra.map((y) => [y.year, y] as const)]),
  closures: base.closures,
});

describe('provisional years', () => {
  it('a span reaching 2027 is provisional and counted on weekends only; publishing 2027 changes it and clears provisional', () => {
    const before = computeDue(cal, '2026-12-20', { unit: 'workingDays', amount: 10 });
    expect(before).toMatchObject({ due: '2027-01-01', provisional: true, calendarVersions: { '2026': 1 } });
    expect(yearsSpanned(before)).toEqual([2026, 2027]);
    expect(classifyDay(cal, '2027-01-01')).toEqual({ date: '2027-01-01', working: true, kind: 'workday', provisional: true });

    const after = computeDue(withYears(cal, FAKE_2027), '2026-12-20', { unit: 'workingDays', amount: 10 });
    expect(after).toMatchObject({ due: '2027-01-04', provisional: false, calendarVersions: { '2026': 1, '2027': 1 } });
    expect(after.skipped.slice(-3).map((s) => s.name)).toEqual(['元旦', '元旦', '元旦']);
  });

  it('a calendar-day period in an unpublished year is provisional; one entirely in published years is not', () => {
    const d = computeDue(cal, '2026-12-01', { unit: 'calendarDays', amount: 45 }); // 2027-01-15 Friday
    expect(d).toMatchObject({ due: '2027-01-15', provisional: true, calendarVersions: {} });
    expect(yearsSpanned(d)).toEqual([2027]);
    expect(computeDue(cal, '2026-12-01', { unit: 'calendarDays', amount: 10 })).toMatchObject({ provisional: false });
  });

  it('a notice that reaches back into December applies there, and the next year counts as a dependency', () => {
    const reachBack: YearCalendar = { ...FAKE_2027, makeupWorkdays: [{ date: '2026-12-26', name: '元旦' }], version: 2 };
    const cal2 = withYears(cal, reachBack);
    expect(classifyDay(cal, '2026-12-26')).toMatchObject({ working: false, kind: 'weekend' });
    expect(classifyDay(cal2, '2026-12-26')).toMatchObject({ working: true, kind: 'makeupWorkday', name: '元旦', provisional: false });
    const d = computeDue(cal2, '2026-12-24', { unit: 'workingDays', amount: 2 });
    expect(d).toMatchObject({ due: '2026-12-26', calendarVersions: { '2026': 1, '2027': 2 } });
    expect(yearsSpanned(computeDue(cal, '2026-12-24', { unit: 'workingDays', amount: 2 }))).toEqual([2026, 2027]);
  });

  it('a corrected notice (new version) changes results and the recorded version', () => {
    const v1 = cal.years.get(2026)!;
    const v2: YearCalendar = { ...v1, holidays: v1.holidays.filter((h) => h.name !== '中秋节'), version: 2 };
    const d = computeDue(withYears(cal, v2), '2026-09-24', { unit: 'workingDays', amount: 1 });
    expect(d).toMatchObject({ due: '2026-09-25', calendarVersions: { '2026': 2 } });
    expect(computeDue(cal, '2026-09-24', { unit: 'workingDays', amount: 1 }).due).toBe('2026-09-28');
  });

  it('malformed notices are refused', () => {
    const base = cal.years.get(2026)!;
    expect(() => validateYearCalendar({ ...base, makeupWorkdays: [{ date: '2026-03-04', name: '春节' }] })).toThrow(/not a weekend/);
    expect(() => validateYearCalendar({ ...base, holidays: [{ name: '春节', dates: ['2027-02-06'] }] })).toThrow(RangeError);
    expect(() => validateYearCalendar({ ...base, holidays: [{ name: '春节', dates: ['2026-02-15', '2026-02-15'] }] })).toThrow(/twice/);
    expect(() => classifyDay(withYears(cal, { ...FAKE_2027, year: 2028 }), '2028-01-03')).toThrow(RangeError); // map key ≠ year
  });
});

// ---------------------------------------------------------------------------------------------
// Local closures.

describe('local closures', () => {
  const closures: LocalClosure[] = [
    { date: '2024-03-05', reason: '办公楼停电' },
    { date: '2024-05-11', reason: '单位搬迁' }, // a make-up Saturday
    { date: '2024-10-03', reason: '不该覆盖国庆' }, // on a holiday: the holiday's name wins
  ];
  const local: Calendar = { years: cal.years, closures };

  it('are skipped when counting working days, with their reason', () => {
    expect(computeDue(cal, '2024-03-01', { unit: 'workingDays', amount: 5 }).due).toBe('2024-03-08');
    const d = computeDue(local, '2024-03-01', { unit: 'workingDays', amount: 5 });
    expect(d.due).toBe('2024-03-11');
    expect(d.skipped).toEqual([
      { date: '2024-03-02', kind: 'weekend' },
      { date: '2024-03-03', kind: 'weekend' },
      { date: '2024-03-05', kind: 'localClosure', name: '办公楼停电' },
      { date: '2024-03-09', kind: 'weekend' },
      { date: '2024-03-10', kind: 'weekend' },
    ]);
  });

  it('close a make-up Saturday, do not rename a holiday, and roll calendar-day periods', () => {
    expect(classifyDay(local, '2024-05-11')).toMatchObject({ working: false, kind: 'localClosure', name: '单位搬迁' });
    expect(classifyDay(local, '2024-10-03')).toMatchObject({ kind: 'holiday', name: '国庆节' });
    expect(computeDue(local, '2024-02-24', { unit: 'calendarDays', amount: 10 })).toMatchObject({ due: '2024-03-06', rolledFrom: '2024-03-05' });
  });

  it('a malformed closure date is refused', () => {
    expect(() => classifyDay({ years: cal.years, closures: [{ date: '2024-3-5', reason: 'x' }] }, '2024-03-04')).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Property-based: the module against a naive reference using chinese-days and Date arithmetic.

interface RefDue {
  due: string;
  rolledFrom?: string;
  skipped: string[];
}
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Day-by-day reference: chinese-days for working status (minus closures), Date for months. */
const reference = (start: string, period: Period, closed: ReadonlySet<string>): RefDue => {
  const working = (date: string) => isWorkday(date) && !closed.has(date);
  const d = new Date(`${start}T00:00:00Z`);
  if (period.amount === 0) return { due: start, skipped: [] };
  const skipped: string[] = [];
  if (period.unit === 'workingDays') {
    for (let left = period.amount; left > 0; ) {
      d.setUTCDate(d.getUTCDate() + 1);
      if (working(iso(d))) left--;
      else skipped.push(iso(d));
    }
    return { due: iso(d), skipped };
  }
  let last: Date;
  if (period.unit === 'calendarDays') {
    last = new Date(d.getTime() + period.amount * 86_400_000);
  } else {
    const monthEnd = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + period.amount + 1, 0)).getUTCDate();
    last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + period.amount, Math.min(d.getUTCDate(), monthEnd)));
  }
  if (working(iso(last))) return { due: iso(last), skipped };
  const rolledFrom = iso(last);
  while (!working(iso(last))) {
    skipped.push(iso(last));
    last.setUTCDate(last.getUTCDate() + 1);
  }
  return { due: iso(last), rolledFrom, skipped };
};

const START_DAYS = datesBetween('2024-01-01', '2026-10-31');
const ALL_DAYS = datesBetween('2024-01-01', '2026-12-31');
const arbStart = fc.integer({ min: 0, max: START_DAYS.length - 1 }).map((i) => START_DAYS[i]!);
const arbPeriod = fc.oneof(
  fc.integer({ min: 0, max: 60 }).map((amount): Period => ({ unit: 'workingDays', amount })),
  fc.integer({ min: 0, max: 120 }).map((amount): Period => ({ unit: 'calendarDays', amount })),
  fc.integer({ min: 0, max: 24 }).map((amount): Period => ({ unit: 'months', amount })),
);
const arbClosures = fc.uniqueArray(
  fc.integer({ min: 0, max: ALL_DAYS.length - 1 }).map((i) => ALL_DAYS[i]!),
  { maxLength: 6 },
);

describe('computeDue against a naive reference (fast-check)', () => {
  it('due, roll-forward and skipped days agree for working days 0–60, calendar days 0–120, months 0–24', () => {
    fc.assert(
      fc.property(arbStart, arbPeriod, arbClosures, (start, period, closureDates) => {
        const closed = new Set(closureDates);
        const ref = reference(start, period, closed);
        fc.pre(ref.due <= '2026-12-31'); // the whole span stays inside the published years
        const local: Calendar = { years: cal.years, closures: closureDates.map((date) => ({ date, reason: `closure ${date}` })) };
        const got = computeDue(local, start, period);
        expect(got.due).toBe(ref.due);
        expect(got.rolledFrom).toBe(ref.rolledFrom);
        expect(got.skipped.map((s) => s.date)).toEqual(ref.skipped);
        for (const s of got.skipped) {
          const detail = getDayDetail(s.date);
          const expectedKind = detail.name.includes(',') && !detail.work ? 'holiday' : closed.has(s.date) ? 'localClosure' : 'weekend';
          expect(s.kind, s.date).toBe(expectedKind);
        }
        expect(got.provisional).toBe(false);
        for (const y of Object.keys(got.calendarVersions)) expect(['2024', '2025', '2026']).toContain(y);
        for (const y of yearsSpanned(got)) expect(y >= Number(start.slice(0, 4)) && y <= Number(got.due.slice(0, 4)) + 1).toBe(true);
      }),
      { numRuns: 2000, seed: 20240101 },
    );
  });

  it('working days: due is a working day, and exactly `amount` working days lie in (start, due]', () => {
    fc.assert(
      fc.property(arbStart, fc.integer({ min: 1, max: 60 }), (start, amount) => {
        const got = computeDue(cal, start, { unit: 'workingDays', amount });
        fc.pre(got.due <= '2026-12-31');
        const span = datesBetween(addCalendarDays(start, 1), got.due);
        expect(span.filter((d) => isWorkday(d)).length).toBe(amount);
        expect(span.length).toBe(amount + got.skipped.length);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
