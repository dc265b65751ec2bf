import { describe, expect, it } from 'vitest';
import { applyQualificationEvent, checkIssuance, isQualificationValidOn, type Qualification } from '#shared/org/qualification.ts';
import { DEFAULT_RULES, ruleParameterSchemas, type RuleVersionRecord } from '#shared/rules/catalog.ts';
import { resolveRuleVersion } from '#shared/rules/resolve.ts';

describe('rule catalogue', () => {
  it('every shipped default satisfies its own parameter schema and cites its source', () => {
    for (const [id, v] of Object.entries(DEFAULT_RULES)) {
      expect(ruleParameterSchemas()[id as keyof ReturnType<typeof ruleParameterSchemas>].safeParse(v.parameters).success, id).toBe(true);
      expect(v.source.ref).toBe(`docs/rules.md ${id}`);
      expect(v.source.seed).toMatch(/^00[0-4]$/);
    }
  });
  it('the nearest jurisdiction wins, then the latest effective version; periods are honoured', () => {
    const v = (j: string, from: string, to?: string, days = 10): RuleVersionRecord => ({
      ...DEFAULT_RULES.A8,
      versionId: `${j}-${from}`,
      jurisdiction: j,
      effectiveFrom: from,
      effectiveTo: to,
      parameters: { ...DEFAULT_RULES.A8.parameters, grantMaxDuration: { value: days, unit: 'calendarDays' } },
    });
    const published = [v('CITY', '2026-01-01'), v('DIST', '2026-06-01', '2026-12-01'), v('DIST', '2026-09-01', '2026-12-01')];
    expect(resolveRuleVersion('A8', published, ['DIST', 'CITY'], '2026-10-01').versionId).toBe('DIST-2026-09-01');
    expect(resolveRuleVersion('A8', published, ['DIST', 'CITY'], '2026-12-15').versionId).toBe('CITY-2026-01-01');
    expect(resolveRuleVersion('A8', published, ['DIST', 'CITY'], '2025-12-15').versionId).toBe('A8-default-1');
    expect(resolveRuleVersion('A8', published, ['OTHER'], '2026-10-01').versionId).toBe('A8-default-1');
  });
});

describe('enforcement certificates (E1, E2)', () => {
  const e1 = DEFAULT_RULES.E1.parameters;
  const e2 = DEFAULT_RULES.E2.parameters;
  it('E1: never to contract, temporary or seconded staff, nor without training and exam', () => {
    for (const employment of ['contract', 'temporary', 'seconded']) {
      expect(() => checkIssuance({ employment, trainingCompleted: true, examPassed: true }, e1)).toThrow(/不符合/);
    }
    expect(() => checkIssuance({ employment: 'civilServant', trainingCompleted: false, examPassed: true }, e1)).toThrow();
    expect(() => checkIssuance({ employment: 'civilServant', trainingCompleted: true, examPassed: true }, e1)).not.toThrow();
  });
  const q: Qualification = {
    qualificationId: 'Q',
    officerId: 'O',
    certificateNumber: 'N',
    certificateType: '行政执法证',
    issuedOn: '2025-01-10',
    issuedBy: '市政府',
    status: 'valid',
    withdrawalCount: 0,
    events: [],
    version: 1,
  };
  it('E2: revoked automatically at the third temporary withdrawal', () => {
    let cur = q;
    const results: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      const r = applyQualificationEvent(cur, { event: 'withdrawn', on: `2025-0${i + 2}-01`, reason: '违规' }, e2, 'u', 'E2-default-1');
      results.push(r.autoRevoked);
      cur = r.autoRevoked ? r.next : applyQualificationEvent(r.next, { event: 'restored', on: `2025-0${i + 2}-15` }, e2, 'u', 'E2-default-1').next;
    }
    expect(results).toEqual([false, false, true]);
    expect(cur.status).toBe('revoked');
    expect(() => applyQualificationEvent(cur, { event: 'restored', on: '2025-06-01' }, e2, 'u', 'v')).toThrow(/吊销/);
  });
  it('E2: valid only within the inspection interval; a failed inspection suspends', () => {
    expect(isQualificationValidOn(q, '2026-01-10', e2)).toBe(true);
    expect(isQualificationValidOn(q, '2026-01-11', e2)).toBe(false);
    const inspected = applyQualificationEvent(q, { event: 'inspected', on: '2026-01-05', passed: true }, e2, 'u', 'v').next;
    expect(isQualificationValidOn(inspected, '2026-06-01', e2)).toBe(true);
    const failed = applyQualificationEvent(q, { event: 'inspected', on: '2026-01-05', passed: false }, e2, 'u', 'v').next;
    expect(failed.status).toBe('suspended');
  });
});
