import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, type Calendar, shippedCalendar } from '#shared/calendar/calendar.ts';
import { clockStatus, extendClock, nextStep, recomputeClock, recountClock, startClock, type Escalation, type RulePeriod } from '#shared/process/clock.ts';

/** The process clock (shared/process/clock.ts): ladder, status, next step, extension, recomputation. */
const cal = shippedCalendar();
const ESC: Escalation = { warnWithin: { value: 2, unit: 'workingDays' }, reportAfter: { value: 3, unit: 'workingDays' } };
const T = (date: string, time = '10:00') => `${date}T${time}:00.000+08:00`;
const clockOf = (start: string, period: RulePeriod, c: Calendar = cal, startedAt = T(start)) =>
  startClock(c, { phase: 'p', label: '期限', rule: { ruleId: 'C4', versionId: 'C4-default-1' }, start, startedAt, escalation: ESC, period });

describe('process clock', () => {
  it('ladder: remind 09:00 two working days ahead, chase the day after the due date, report 3 working days later', () => {
    const c = clockOf('2026-09-25', { value: 7, unit: 'workingDays' }); // across 国庆 2026 (10-01..10-07, 09-20 & 10-10 worked)
    expect(c.due).toBe('2026-10-12');
    expect(c.checkpoints).toEqual({ remind: T('2026-10-09', '09:00'), chase: T('2026-10-13', '00:00'), report: T('2026-10-16', '00:00') });
    expect(c.base!.skipped.some((d) => d.kind === 'holiday' && d.name?.includes('国庆'))).toBe(true);
  });

  it('a clock that starts inside its warning window reminds at once', () => {
    const c = startClock(cal, {
      phase: 'report',
      label: '督办',
      rule: { ruleId: 'C7', versionId: 'v' },
      start: '2026-06-08',
      startedAt: T('2026-06-08'),
      escalation: ESC,
      setDue: { due: '2026-06-09', setBy: 'u' },
    });
    expect(c.checkpoints.remind).toBe(T('2026-06-08'));
    expect(nextStep(c, new Date(T('2026-06-08')), new Date(T('2027-01-01')))).toMatchObject({ action: 'escalate', rung: 'remind' });
  });

  it('status: green → yellow at the reminder → red once overdue', () => {
    const c = clockOf('2026-03-02', { value: 15, unit: 'workingDays' });
    expect(clockStatus(c, new Date(T('2026-03-18')))).toBe('green');
    expect(clockStatus(c, new Date(T('2026-03-19')))).toBe('yellow');
    expect(clockStatus(c, new Date(T('2026-03-23', '23:59')))).toBe('yellow');
    expect(clockStatus(c, new Date(T('2026-03-24', '00:00')))).toBe('red');
  });

  it('next step: wait for the earliest rung not fired, escalate when it is due, defer beyond the horizon, end when all fired', () => {
    const c = clockOf('2026-03-02', { value: 15, unit: 'workingDays' });
    const far = new Date(T('2027-01-01'));
    expect(nextStep(c, new Date(T('2026-03-02')), far)).toMatchObject({ action: 'wait', rung: 'remind', checkpoint: c.checkpoints.remind });
    expect(nextStep(c, new Date(T('2026-03-25')), far)).toMatchObject({ action: 'escalate', rung: 'remind' });
    expect(nextStep({ ...c, fired: ['remind'] }, new Date(T('2026-03-20')), far)).toMatchObject({ action: 'wait', rung: 'chase' });
    expect(nextStep(c, new Date(T('2026-03-02')), new Date(T('2026-03-10')))).toMatchObject({ action: 'defer', rung: 'remind' });
    expect(nextStep({ ...c, fired: ['remind', 'chase', 'report'] }, new Date(T('2026-04-30')), far)).toEqual({ action: 'end', reason: 'ladderComplete' });
  });

  it('extension: counted from the due date, a new clock version, passed rungs stay fired and future ones fire again', () => {
    const c = { ...clockOf('2026-03-02', { value: 15, unit: 'workingDays' }), fired: ['remind' as const] };
    const e = extendClock(cal, c, { period: { value: 15, unit: 'calendarDays' }, reason: 'r', requestedBy: 'a', approvedBy: 'b', approvedAt: T('2026-03-20') }, new Date(T('2026-03-20')));
    expect(e.due).toBe('2026-04-07');
    expect(e.version).toBe(c.version + 1);
    expect(e.fired).toEqual([]); // the new reminder is in the future: it fires again before the new due date
    expect(e.extensions[0]!.explanation.start).toBe('2026-03-23');
  });

  it('recompute on an unchanged calendar returns the same clock; a published year moves provisional due dates and clears the flag', () => {
    const c = clockOf('2026-12-28', { value: 7, unit: 'workingDays' });
    expect(c.provisional).toBe(true);
    expect(recomputeClock(cal, c, new Date(T('2026-12-28')))).toBe(c);
    const years = new Map(cal.years);
    years.set(2027, {
      year: 2027,
      notice: { title: 'fixture', number: 'fixture', publishedOn: '2026-11-10' },
      holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }],
      makeupWorkdays: [],
      version: 1,
    });
    const r = recomputeClock({ years, closures: [] }, c, new Date(T('2026-12-29')));
    expect(r.due).toBe('2027-01-07');
    expect(r.provisional).toBe(false);
    expect(r.version).toBe(c.version + 1);
  });

  it('recompute moves a checkpoint that falls into a newly published year even when the due date stays', () => {
    const c = clockOf('2026-12-10', { value: 21, unit: 'calendarDays' }); // due 2026-12-31, 通报 counted into 2027
    expect(c.due).toBe('2026-12-31');
    expect(c.checkpoints.report).toBe(T('2027-01-06', '00:00'));
    const years = new Map(cal.years);
    years.set(2027, {
      year: 2027,
      notice: { title: 'fixture', number: 'fixture', publishedOn: '2026-11-10' },
      holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }],
      makeupWorkdays: [],
      version: 1,
    });
    const r = recomputeClock({ years, closures: [] }, c, new Date(T('2026-12-20')));
    expect(r.due).toBe('2026-12-31');
    expect(r.checkpoints.report).toBe(T('2027-01-07', '00:00'));
    expect(r.version).toBe(c.version + 1);
  });

  it('recount from an earlier event date (a late entry approved): a new version with its extensions; past rungs are due at once', () => {
    const c = clockOf('2026-10-14', { value: 2, unit: 'months' }, cal, T('2026-10-14'));
    const e = extendClock(cal, c, { period: { value: 1, unit: 'months' }, reason: 'r', requestedBy: 'a', approvedBy: 'b', approvedAt: T('2026-10-15') }, new Date(T('2026-10-15')));
    const r = recountClock(cal, e, '2026-08-03', new Date(T('2026-10-16')));
    expect(r).toMatchObject({ start: '2026-08-03', version: e.version + 1, due: '2026-11-09' }); // 10-08 + 1 month → 11-08 (Sunday) → 11-09
    expect(r.extensions).toHaveLength(1);
    expect(nextStep(r, new Date(T('2026-11-05')), new Date(T('2027-01-01')))).toMatchObject({ action: 'escalate', rung: 'remind' });
    expect(recountClock(cal, r, '2026-08-03', new Date(T('2026-10-16')))).toBe(r);
  });

  it('property: checkpoints are ordered, the due date never precedes the start, and an extension never shortens a clock', () => {
    const date = fc.integer({ min: 0, max: 1000 }).map((n) => addCalendarDays('2024-01-01', n));
    const period = fc.oneof(
      fc.integer({ min: 1, max: 60 }).map((value) => ({ value, unit: 'workingDays' as const })),
      fc.integer({ min: 1, max: 120 }).map((value) => ({ value, unit: 'calendarDays' as const })),
      fc.integer({ min: 1, max: 12 }).map((value) => ({ value, unit: 'months' as const })),
    );
    fc.assert(
      fc.property(date, period, period, (start, p, ext) => {
        const c = clockOf(start, p);
        expect(c.due > start).toBe(true);
        const t = (r: 'remind' | 'chase' | 'report') => Date.parse(c.checkpoints[r]);
        expect(t('remind')).toBeLessThan(t('chase'));
        expect(t('chase')).toBeLessThan(t('report'));
        const e = extendClock(cal, c, { period: ext, reason: 'r', requestedBy: 'a', approvedBy: 'b', approvedAt: T(start) }, new Date(T(start)));
        expect(e.due > c.due).toBe(true);
        expect(Date.parse(e.checkpoints.chase)).toBeGreaterThan(t('chase'));
      }),
      { numRuns: 500 },
    );
  });
});
