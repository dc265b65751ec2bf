import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, shippedCalendar } from '#shared/calendar/calendar.ts';
import { CASE_KINDS } from '#shared/cases/model.ts';
import {
  type CaseLink,
  type EvidenceHold,
  extendOnly,
  type RetentionDecision,
  retentionEnd,
  retentionFor,
  type RetentionInput,
  type RetentionPeriod,
  type RetentionRules,
  STORAGE_TIER_SCHEDULE,
  storageDueAt,
  storedLate,
  tierFor,
} from '#shared/evidence/retention.ts';
import { CASE_FILE_KINDS, DEFAULT_RULES, HOLD_REASONS, RECORDING_KINDS, ruleParameterSchemas, type RuleParameters } from '#shared/rules/catalog.ts';

/** Evidence retention (shared/evidence/retention.ts): D2, D3, D4 (docs/rules.md). */
const RULES: RetentionRules = { D3: DEFAULT_RULES.D3, D4: DEFAULT_RULES.D4 };
const T = (date: string, time = '10:00') => `${date}T${time}:00.000+08:00`;
const hold = (reason: EvidenceHold['reason'], date: string, releasedAt?: string): EvidenceHold => ({ reason, placedAt: T(date), placedBy: 'u-leader', releasedAt });
const input = (over: Partial<RetentionInput> = {}): RetentionInput => ({ kind: 'patrol', capturedOn: '2026-03-01', holds: [], ...over });
const winner = (d: RetentionDecision) => d.basis.filter((b) => b.won);

describe('rule catalogue: D2, D3, D4, D6, D8', () => {
  it('the shipped versions parse and cite 003 全过程记录', () => {
    for (const id of ['D2', 'D3', 'D4', 'D6', 'D8'] as const) {
      expect(ruleParameterSchemas()[id].safeParse(DEFAULT_RULES[id].parameters).success, id).toBe(true);
      expect(DEFAULT_RULES[id].source).toMatchObject({ seed: '003', ref: `docs/rules.md ${id}` });
      expect(DEFAULT_RULES[id].source.article).toMatch(/^全过程记录 §/);
    }
  });
  it('D3 covers every case kind the case register uses, and rejects a missing kind or a bad period', () => {
    expect([...CASE_FILE_KINDS].sort()).toEqual([...CASE_KINDS].sort());
    const { patrol: _dropped, ...kinds } = DEFAULT_RULES.D3.parameters.kinds;
    expect(ruleParameterSchemas().D3.safeParse({ ...DEFAULT_RULES.D3.parameters, kinds }).success).toBe(false);
    expect(ruleParameterSchemas().D4.safeParse({ ...DEFAULT_RULES.D4.parameters, longTerm: { unit: 'years', value: 0 } }).success).toBe(false);
    expect(ruleParameterSchemas().D4.safeParse({ ...DEFAULT_RULES.D4.parameters, longTerm: { unit: 'permanent', value: 3 } }).success).toBe(false);
    expect(ruleParameterSchemas().D6.safeParse({ ...DEFAULT_RULES.D6.parameters, presignedUrlSeconds: 86_400 }).success).toBe(false);
  });
});

describe('retentionFor: hand-checked', () => {
  it('patrol: 6 months from capture, to the month end when the date does not exist (D3, §11 ¶2)', () => {
    const a = retentionFor(input({ capturedOn: '2026-01-31' }), RULES);
    expect(a).toMatchObject({
      retentionClass: 'routine',
      retainUntil: '2026-07-31',
      atLeastUntil: '2026-07-31',
      legalHold: false,
      pendingCaseClose: false,
      pendingCaseLink: false,
      rules: { D3: 'D3-default-1', D4: 'D4-default-1' },
    });
    expect(winner(a)).toEqual([expect.objectContaining({ source: 'kindFloor', ruleId: 'D3', versionId: 'D3-default-1', from: '2026-01-31', until: '2026-07-31' })]);
    expect(retentionFor(input({ capturedOn: '2026-08-31' }), RULES).retainUntil).toBe('2027-02-28');
    expect(retentionFor(input({ capturedOn: '2027-08-31' }), RULES).retainUntil).toBe('2028-02-29');
  });

  it('evidence in a closed penalty case: the case file, 30 years from 1 January after the close; every period listed', () => {
    const caseLink: CaseLink = { caseId: 'CASE-1', caseKind: 'penalty', caseClosedOn: '2026-05-20' };
    const d = retentionFor(input({ kind: 'evidence-general-procedure', capturedOn: '2026-03-10', caseLink }), RULES);
    expect(d).toMatchObject({ retentionClass: 'case', retainUntil: '2056-12-31', legalHold: false, pendingCaseClose: false });
    expect(d.basis.map((b) => [b.source, b.until, b.won])).toEqual([
      ['kindFloor', '2026-09-10', false],
      ['caseFile', '2056-12-31', true],
    ]);
    expect(d.basis[1]).toMatchObject({ from: '2026-12-31', period: { unit: 'years', value: 30 } });
    // an agency counting from the close date itself
    const byClose: RetentionRules = { ...RULES, D3: { versionId: 'D3-city-1', parameters: { ...RULES.D3.parameters, caseFileCountFrom: 'caseClose' } } };
    expect(retentionFor(input({ kind: 'evidence-general-procedure', capturedOn: '2026-03-10', caseLink }), byClose)).toMatchObject({ retainUntil: '2056-05-20', rules: { D3: 'D3-city-1' } });
    // the case file's own classification replaces the kind's default; a 重大行政处罚 file is permanent
    expect(retentionFor(input({ kind: 'evidence-general-procedure', caseLink: { ...caseLink, caseFileRetention: { unit: 'years', value: 10 } } }), RULES).retainUntil).toBe('2036-12-31');
    expect(retentionFor(input({ kind: 'evidence-general-procedure', caseLink: { ...caseLink, major: true } }), RULES)).toMatchObject({
      retentionClass: 'permanent',
      retainUntil: null,
      atLeastUntil: null,
    });
  });

  it('open case: kept until it closes (retainUntil null, pendingCaseClose); a case-bound kind without a link waits for it', () => {
    const open = retentionFor(input({ kind: 'licensing', capturedOn: '2026-03-10', caseLink: { caseId: 'C', caseKind: 'licence' } }), RULES);
    expect(open).toMatchObject({ retentionClass: 'case', retainUntil: null, atLeastUntil: '2026-09-10', pendingCaseClose: true, pendingCaseLink: false });
    const unlinked = retentionFor(input({ kind: 'hearing', capturedOn: '2026-03-10' }), RULES);
    expect(unlinked).toMatchObject({ retentionClass: 'case', retainUntil: null, atLeastUntil: '2026-09-10', pendingCaseLink: true });
    // an open major penalty case is permanent already, whenever it closes
    expect(retentionFor(input({ caseLink: { caseId: 'C', caseKind: 'penalty', major: true } }), RULES)).toMatchObject({
      retentionClass: 'permanent',
      retainUntil: null,
      atLeastUntil: null,
      pendingCaseClose: true,
    });
  });

  it('a complaint hold: long-term (30 years from the hold), legal hold on; released, it no longer counts (D4, §12)', () => {
    const held = retentionFor(input({ capturedOn: '2026-03-01', holds: [hold('complaint', '2026-03-05')] }), RULES);
    expect(held).toMatchObject({ retentionClass: 'longTerm', retainUntil: '2056-03-05', legalHold: true, activeHoldReasons: ['complaint'] });
    expect(winner(held)[0]).toMatchObject({ source: 'hold', ruleId: 'D4', versionId: 'D4-default-1', from: '2026-03-05' });
    const released = retentionFor(input({ capturedOn: '2026-03-01', holds: [hold('complaint', '2026-03-05', T('2026-04-01'))] }), RULES);
    expect(released).toEqual(retentionFor(input({ capturedOn: '2026-03-01' }), RULES));
    // counted from the Shanghai date of the hold: 17:00Z is 01:00 the next day in Shanghai
    const lateNight = retentionFor(input({ holds: [{ reason: 'assault', placedAt: '2026-03-04T17:00:00Z', placedBy: 'u' }] }), RULES);
    expect(lateNight.retainUntil).toBe('2056-03-05');
  });

  it('D4 versions: permanent long-term; a reason the version does not list freezes deletion but sets no period', () => {
    const permanent: RetentionRules = { ...RULES, D4: { versionId: 'D4-p', parameters: { ...RULES.D4.parameters, longTerm: { unit: 'permanent' } } } };
    expect(retentionFor(input({ holds: [hold('massIncident', '2026-03-02')] }), permanent)).toMatchObject({ retentionClass: 'permanent', retainUntil: null, legalHold: true });
    const narrow: RetentionRules = { ...RULES, D4: { versionId: 'D4-n', parameters: { ...RULES.D4.parameters, holdReasons: ['complaint'] } } };
    const d = retentionFor(input({ holds: [hold('important', '2026-03-02')] }), narrow);
    expect(d).toMatchObject({ retentionClass: 'routine', retainUntil: '2026-09-01', legalHold: true, activeHoldReasons: ['important'] });
    expect(d.basis.find((b) => b.source === 'hold')).toMatchObject({ period: undefined, won: false });
  });

  it('rejects malformed dates and timestamps', () => {
    expect(() => retentionFor(input({ capturedOn: '2026-02-30' }), RULES)).toThrow(RangeError);
    expect(() => retentionFor(input({ caseLink: { caseId: 'C', caseKind: 'penalty', caseClosedOn: '20260501' } }), RULES)).toThrow(RangeError);
    expect(() => retentionFor(input({ holds: [{ reason: 'complaint', placedAt: 'yesterday', placedBy: 'u' }] }), RULES)).toThrow(RangeError);
  });
});

describe('extendOnly: hand-checked', () => {
  const patrol = retentionFor(input({ capturedOn: '2026-03-01' }), RULES);
  const held = retentionFor(input({ capturedOn: '2026-03-01', holds: [hold('complaint', '2026-03-05')] }), RULES);
  it('a hold released later keeps the date it extended to, and the legal hold is lifted', () => {
    const r = extendOnly(held, patrol);
    expect(r.changed).toBe(false);
    expect(r.decision).toMatchObject({ retainUntil: '2056-03-05', retentionClass: 'longTerm', legalHold: false });
    expect(winner(r.decision)[0]).toMatchObject({ source: 'previousDecision', ruleId: 'D4', until: '2056-03-05' });
    expect(extendOnly(patrol, held)).toEqual({ decision: held, changed: true });
  });
  it('a pending case resolves to its date once closed, never below what was already fixed', () => {
    const open = retentionFor(input({ caseLink: { caseId: 'C', caseKind: 'penalty' }, holds: [hold('complaint', '2026-03-05')] }), RULES);
    const closed = retentionFor(input({ caseLink: { caseId: 'C', caseKind: 'penalty', caseClosedOn: '2026-06-01' } }), RULES);
    expect(open).toMatchObject({ retainUntil: null, atLeastUntil: '2056-03-05' });
    expect(extendOnly(open, closed)).toMatchObject({ changed: true, decision: { retainUntil: '2056-12-31', retentionClass: 'case' } });
    const short = retentionFor(input({ caseLink: { caseId: 'C', caseKind: 'penalty', caseClosedOn: '2026-06-01', caseFileRetention: { unit: 'years', value: 10 } } }), RULES);
    expect(extendOnly(open, short)).toMatchObject({ changed: true, decision: { retainUntil: '2056-03-05', retentionClass: 'longTerm' } });
  });
  it('permanent stays permanent', () => {
    const major = retentionFor(input({ caseLink: { caseId: 'C', caseKind: 'penalty', major: true } }), RULES);
    expect(extendOnly(major, patrol)).toMatchObject({ changed: false, decision: { retentionClass: 'permanent', retainUntil: null } });
  });
});

describe('tierFor and storageDueAt: hand-checked', () => {
  it('patrol: STANDARD for 30 days, then GLACIER_IR until disposal, never DEEP_ARCHIVE', () => {
    const d = retentionFor(input({ capturedOn: '2026-01-31' }), RULES);
    expect([0, 29, 30, 180, 900].map((a) => tierFor(d, a))).toEqual(['STANDARD', 'STANDARD', 'GLACIER_IR', 'GLACIER_IR', 'GLACIER_IR']);
  });
  it('a closed case archives deep after a year; a held item or an open case never does', () => {
    const closed = retentionFor(input({ caseLink: { caseId: 'C', caseKind: 'penalty', caseClosedOn: '2026-06-01' } }), RULES);
    expect([29, 30, 364, 365].map((a) => tierFor(closed, a))).toEqual(['STANDARD', 'GLACIER_IR', 'GLACIER_IR', 'DEEP_ARCHIVE']);
    const heldClosed = retentionFor(input({ caseLink: { caseId: 'C', caseKind: 'penalty', caseClosedOn: '2026-06-01' }, holds: [hold('petition', '2027-01-01')] }), RULES);
    expect(tierFor(heldClosed, 5000)).toBe('GLACIER_IR');
    expect(tierFor(retentionFor(input({ caseLink: { caseId: 'C', caseKind: 'penalty' } }), RULES), 5000)).toBe('GLACIER_IR');
    expect(() => tierFor(closed, -1)).toThrow(RangeError);
  });
  it('D2: stored by 18:00 of the working day of capture; after hours or on a rest day, the next working day', () => {
    const cal = shippedCalendar();
    const d2 = DEFAULT_RULES.D2.parameters;
    expect(storageDueAt(cal, T('2026-03-06', '10:00'), d2)).toEqual({ due: T('2026-03-06', '18:00'), workingDay: '2026-03-06', provisional: false });
    expect(storageDueAt(cal, T('2026-03-06', '19:30'), d2).due).toBe(T('2026-03-09', '18:00')); // a Friday evening → Monday
    expect(storageDueAt(cal, T('2026-10-03', '09:00'), d2).due).toBe(T('2026-10-08', '18:00')); // 国庆 2026 (10-01 … 10-07)
    expect(storageDueAt(cal, T('2026-10-10', '09:00'), d2).due).toBe(T('2026-10-10', '18:00')); // a 调休 Saturday is a working day
    expect(storageDueAt(cal, T('2026-03-07', '09:00'), { ...d2, countByWorkingDay: false }).due).toBe(T('2026-03-07', '18:00'));
    expect(storedLate(cal, T('2026-03-06', '10:00'), T('2026-03-06', '17:59'), d2)).toBe(false);
    expect(storedLate(cal, T('2026-03-06', '10:00'), T('2026-03-06', '18:01'), d2)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties.

const date = (min = 0, max = 32_000) => fc.integer({ min, max }).map((n) => addCalendarDays('2000-01-01', n));
const period: fc.Arbitrary<RetentionPeriod> = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 120 }).map((value) => ({ unit: 'months' as const, value })), weight: 4 },
  { arbitrary: fc.integer({ min: 1, max: 40 }).map((value) => ({ unit: 'years' as const, value })), weight: 4 },
  { arbitrary: fc.constant({ unit: 'permanent' as const }), weight: 1 },
);
const recordOf = <K extends string, V>(keys: readonly K[], v: fc.Arbitrary<V>) => fc.tuple(...keys.map(() => v)).map((vs) => Object.fromEntries(keys.map((k, i) => [k, vs[i]])) as Record<K, V>);
const d3Params: fc.Arbitrary<RuleParameters<'D3'>> = fc.record({
  kinds: recordOf(RECORDING_KINDS, fc.record({ floor: period, caseBound: fc.boolean() })),
  caseFiles: recordOf(CASE_FILE_KINDS, period),
  majorPenaltyCaseFile: period,
  caseFileCountFrom: fc.constantFrom('caseClose' as const, 'yearAfterClose' as const),
});
const d4Params: fc.Arbitrary<RuleParameters<'D4'>> = fc.record({
  holdReasons: fc.uniqueArray(fc.constantFrom(...HOLD_REASONS), { minLength: 1 }),
  longTerm: period,
  releaseApproverRoles: fc.constant(['leadership' as const]),
});
const rulesArb: fc.Arbitrary<RetentionRules> = fc.oneof(
  fc.constant(RULES),
  fc.record({ D3: d3Params.map((parameters) => ({ versionId: 'D3-x', parameters })), D4: d4Params.map((parameters) => ({ versionId: 'D4-x', parameters })) }),
);
const timestamp = (from: string) =>
  fc
    .tuple(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([n, h, m]) => T(addCalendarDays(from, n), `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`));
const holdArb = (from: string): fc.Arbitrary<EvidenceHold> =>
  fc.record({ reason: fc.constantFrom(...HOLD_REASONS), placedAt: timestamp(from), placedBy: fc.constant('u'), releasedAt: fc.option(timestamp(from), { nil: undefined }) });
const caseLinkArb = (from: string): fc.Arbitrary<CaseLink> =>
  fc.record({
    caseId: fc.constant('CASE'),
    caseKind: fc.constantFrom(...CASE_FILE_KINDS),
    major: fc.option(fc.boolean(), { nil: undefined }),
    caseClosedOn: fc.option(
      fc.integer({ min: 0, max: 3000 }).map((n) => addCalendarDays(from, n)),
      { nil: undefined },
    ),
    caseFileRetention: fc.option(period, { nil: undefined }),
  });
const inputArb: fc.Arbitrary<RetentionInput> = fc.tuple(fc.constantFrom(...RECORDING_KINDS), date()).chain(([kind, capturedOn]) =>
  fc.record({
    kind: fc.constant(kind),
    capturedOn: fc.constant(capturedOn),
    caseLink: fc.option(caseLinkArb(capturedOn), { nil: undefined }),
    holds: fc.array(holdArb(capturedOn), { maxLength: 4 }),
  }),
);

const isPermanent = (d: RetentionDecision) => d.retainUntil === null && d.atLeastUntil === null;
/** the date fixed so far: the end when finite, the lower bound while pending */
const horizon = (d: RetentionDecision) => d.retainUntil ?? d.atLeastUntil!;
/** `b` keeps the item at least as long as `a` */
const notShorter = (a: RetentionDecision, b: RetentionDecision) => isPermanent(b) || (!isPermanent(a) && horizon(b) >= horizon(a));
const lengthen = (p: RetentionPeriod, by: number, toPermanent: boolean): RetentionPeriod => (toPermanent || p.unit === 'permanent' ? { unit: 'permanent' } : { ...p, value: p.value + by });
const RUNS = { numRuns: 400 };

describe('retentionFor: properties', () => {
  it('never below the floor of the kind; one winner; versions recorded; a finite end never precedes capture', () => {
    fc.assert(
      fc.property(inputArb, rulesArb, (i, r) => {
        const d = retentionFor(i, r);
        const floor = retentionEnd(i.capturedOn, r.D3.parameters.kinds[i.kind].floor);
        if (floor === null) expect(isPermanent(d)).toBe(true);
        else expect(isPermanent(d) || horizon(d) >= floor).toBe(true);
        expect(winner(d)).toHaveLength(1);
        expect(d.rules).toEqual({ D3: r.D3.versionId, D4: r.D4.versionId });
        for (const b of d.basis) expect(b.versionId).toBe(b.ruleId === 'D3' ? r.D3.versionId : r.D4.versionId);
        if (d.retainUntil !== null) expect(d.retainUntil >= i.capturedOn).toBe(true);
      }),
      RUNS,
    );
  });

  it('monotonic: adding a case link or a hold, or publishing a longer rule version, never shortens', () => {
    fc.assert(
      fc.property(inputArb, rulesArb, fc.integer({ min: 0, max: 24 }), fc.boolean(), (i, r, by, toPermanent) => {
        const base = retentionFor({ ...i, caseLink: undefined, holds: [] }, r);
        const linked = retentionFor({ ...i, holds: [] }, r);
        const all = retentionFor(i, r);
        expect(notShorter(base, linked)).toBe(true);
        expect(notShorter(linked, all)).toBe(true);
        const p3 = r.D3.parameters;
        const longer: RetentionRules = {
          D3: {
            versionId: 'D3-longer',
            parameters: {
              kinds: Object.fromEntries(Object.entries(p3.kinds).map(([k, v]) => [k, { floor: lengthen(v.floor, by, false), caseBound: v.caseBound || toPermanent }])) as typeof p3.kinds,
              caseFiles: Object.fromEntries(Object.entries(p3.caseFiles).map(([k, v]) => [k, lengthen(v, by, false)])) as typeof p3.caseFiles,
              majorPenaltyCaseFile: lengthen(p3.majorPenaltyCaseFile, by, toPermanent),
              caseFileCountFrom: toPermanent ? 'yearAfterClose' : p3.caseFileCountFrom,
            },
          },
          D4: { versionId: 'D4-longer', parameters: { ...r.D4.parameters, longTerm: lengthen(r.D4.parameters.longTerm, by, toPermanent) } },
        };
        expect(notShorter(all, retentionFor(i, longer))).toBe(true);
      }),
      RUNS,
    );
  });

  it('case linkage: at least the case file retention from the close; an open case is pending', () => {
    fc.assert(
      fc.property(inputArb, rulesArb, (i, r) => {
        fc.pre(i.caseLink !== undefined);
        const link = i.caseLink!;
        const d = retentionFor(i, r);
        const p = link.caseFileRetention ?? (link.major && link.caseKind === 'penalty' ? r.D3.parameters.majorPenaltyCaseFile : r.D3.parameters.caseFiles[link.caseKind]);
        if (link.caseClosedOn === undefined) {
          expect(d.pendingCaseClose).toBe(true);
          expect(d.retainUntil).toBeNull();
        } else {
          const end = retentionEnd(link.caseClosedOn, p);
          if (end === null) expect(isPermanent(d)).toBe(true);
          else expect(isPermanent(d) || horizon(d) >= end).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('holds: any active hold sets legalHold and keeps the item at least its D4 period; released holds do not count', () => {
    fc.assert(
      fc.property(inputArb, rulesArb, (i, r) => {
        const d = retentionFor(i, r);
        const active = i.holds.filter((h) => !h.releasedAt);
        expect(d.legalHold).toBe(active.length > 0);
        for (const h of active) {
          if (!r.D4.parameters.holdReasons.includes(h.reason)) continue;
          const end = retentionEnd(h.placedAt.slice(0, 10), r.D4.parameters.longTerm); // placedAt is written in +08:00
          expect(end === null ? isPermanent(d) : isPermanent(d) || horizon(d) >= end).toBe(true);
        }
        expect(retentionFor({ ...i, holds: active }, r)).toEqual(d);
      }),
      RUNS,
    );
  });
});

describe('extendOnly and tierFor: properties', () => {
  it('extendOnly never shortens either decision, follows the current holds, and is idempotent', () => {
    const pair = date().chain((capturedOn) => {
      const same = inputArb.map((i) => ({
        ...i,
        capturedOn,
        caseLink: i.caseLink && { ...i.caseLink, caseClosedOn: i.caseLink.caseClosedOn && (i.caseLink.caseClosedOn < capturedOn ? capturedOn : i.caseLink.caseClosedOn) },
      }));
      return fc.tuple(same, same, rulesArb, rulesArb);
    });
    fc.assert(
      fc.property(pair, ([a, b, ra, rb]) => {
        const prev = retentionFor(a, ra);
        const next = retentionFor(b, rb);
        const { decision, changed } = extendOnly(prev, next);
        expect(notShorter(prev, decision)).toBe(true);
        expect(notShorter(next, decision)).toBe(true);
        expect(decision.legalHold).toBe(next.legalHold);
        expect(winner(decision)).toHaveLength(1);
        expect(extendOnly(decision, next).changed).toBe(false);
        expect(extendOnly(prev, prev)).toEqual({ decision: prev, changed: false });
        if (!changed) expect([decision.retainUntil, decision.atLeastUntil]).toEqual([prev.retainUntil, prev.atLeastUntil]);
      }),
      RUNS,
    );
  });

  it('tierFor only gets colder with age, never archives deep under a hold or a pending case, and respects the minimum stay', () => {
    const order = { STANDARD: 0, GLACIER_IR: 1, DEEP_ARCHIVE: 2 } as const;
    fc.assert(
      fc.property(inputArb, rulesArb, fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 20_000 }), (i, r, x, y) => {
        const d = retentionFor(i, r);
        const [young, old] = x <= y ? [x, y] : [y, x];
        const t = tierFor(d, old);
        expect(order[tierFor(d, young)]).toBeLessThanOrEqual(order[t]);
        if (d.legalHold || d.pendingCaseClose || d.pendingCaseLink) expect(t).not.toBe('DEEP_ARCHIVE');
        if (t !== 'STANDARD' && d.retainUntil !== null) {
          const s = STORAGE_TIER_SCHEDULE[d.retentionClass];
          const movedOn = addCalendarDays(d.capturedOn, t === 'DEEP_ARCHIVE' ? s.deepArchiveAfterDays : s.glacierIrAfterDays);
          expect(addCalendarDays(movedOn, t === 'DEEP_ARCHIVE' ? 180 : 90) <= d.retainUntil).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
