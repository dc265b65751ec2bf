import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRoute, freshTable } from '../support/platform.ts';
import { buildFixtureOrg, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { processCalls, processHarness, shanghai as T, type ProcessHarness } from '../support/processes.ts';

/**
 * Issue 8, item 8 — a process counts from its event, not from the day it is typed in (C1 receipt of
 * the material, C4 acceptance, C5 the start, C8 the decision, C9 the withdrawal). The event date is
 * given on opening (`receivedAt`, `startedAt`, `basisDate`), never in the future; one older than the
 * rule version's back-dating limit (30 days by default) counts only with a leader's approval,
 * recorded; the history shows both dates; a process opened late fires the rungs already due at once.
 * Through the HTTP API on the embedded platform, on a manual clock. 2026-10-09 is a Friday after 国庆.
 */
let org: FixtureOrg;
let h: ProcessHarness;
let p: ReturnType<typeof processCalls>;

const complaint = (extra: Record<string, unknown> = {}) => ({
  kind: 'complaint',
  title: '纸质来信投诉',
  channel: 'letter',
  content: '9 月 28 日来信反映执法人员态度粗暴',
  complainant: { anonymous: true },
  ...extra,
});
const approve = async (id: string, claims = org.claims.leadership, approve = true) => p.act(claims, id, { action: 'decideBackdate', approve, note: '经核实来信登记簿' }, org.claims.leadership);

beforeAll(async () => {
  await freshTable('backdate');
  h = processHarness(T('2026-10-09', '10:00'));
  p = processCalls(h);
  org = await buildFixtureOrg();
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe('a process opened after its event counts from the event (C1, C4, C5, C8, C9)', () => {
  it('a complaint received on paper on 2026-09-28 and entered on 2026-10-09 counts from its receipt; the history shows both dates', async () => {
    h.clock.set(T('2026-10-09', '10:00'));
    const c = await p.open(org.claims.officer, complaint({ receivedAt: '2026-09-28' }));
    expect(c.data.basis).toMatchObject({ eventOn: '2026-09-28', enteredOn: '2026-10-09', countFrom: '2026-09-28', status: 'inTime', rule: { ruleId: 'C4' } });
    const accepted = await p.act(org.claims.leadership, c.processId, { action: 'signOff', decision: 'accept', unitId: org.unitId }, org.claims.leadership);
    expect(accepted.status, accepted.text).toBe(200);
    // 15 working days after 09-28 across 国庆 (10-01..07 off, Saturday 10-10 worked)
    expect(accepted.json.process.clock).toMatchObject({ start: '2026-09-28', due: '2026-10-23' });
    const opened = (await p.history(org.claims.leadership, c.processId))[0]!;
    expect(opened.detail.basis).toMatchObject({ eventOn: '2026-09-28', enteredOn: '2026-10-09' });
    expect(opened.at.slice(0, 10)).toBe('2026-10-09');
  });

  it('a moment with its offset counts by its Shanghai date; a legal review counts from the receipt of the material', async () => {
    const r = await p.open(org.claims.deptHead, {
      kind: 'legal-review',
      title: '补录的送审',
      unitId: org.unitId,
      caseNumber: '云罚〔2026〕77号',
      decisionSummary: '拟罚款',
      parties: [{ name: '某公司', partyKind: 'organisation' }],
      handlingOfficerIds: [org.officerId],
      receivedAt: '2026-09-29T17:30:00-01:00',
    });
    expect(r.data.basis).toMatchObject({ eventOn: '2026-09-30', countFrom: '2026-09-30' });
    expect(r.clock).toMatchObject({ start: '2026-09-30', due: '2026-10-15' });
  });

  it('opened already overdue: 提醒 and 催办 fire at once, 通报 on its day; the work list shows it red', async () => {
    h.clock.set(T('2026-10-09', '11:00'));
    const c = await p.open(org.claims.officer, complaint({ title: '积压的来信', receivedAt: '2026-09-10' }));
    const accepted = await p.act(org.claims.leadership, c.processId, { action: 'signOff', decision: 'accept', unitId: org.unitId }, org.claims.leadership);
    expect(accepted.json.process.clock.due).toBe('2026-10-08'); // 中秋 09-25 and 国庆 skipped
    const now = await p.get(org.claims.leadership, c.processId);
    expect(now.status.color).toBe('red');
    expect(now.escalations.map((e: any) => e.rung)).toEqual(['remind', 'chase']);
    expect((await p.inbox(org.claims.officer, c.processId)).map((n) => n.kind)).toEqual(['chase', 'remind']);
    const red = await callRoute('GET', `/agencies/${org.agencyId}/processes`, { claims: org.claims.leadership, query: { status: 'red' } });
    expect(red.json.items.map((i: any) => i.processId)).toContain(c.processId);
    await h.advanceTo(T('2026-10-13', '00:05'));
    expect((await p.get(org.claims.leadership, c.processId)).escalations.map((e: any) => e.rung)).toEqual(['remind', 'chase', 'report']);
  });

  it('older than the limit: counts from the entry until a leader approves; the approval recounts the clock (a new version) and fires what is due at once', async () => {
    h.clock.set(T('2026-10-14', '10:00'));
    const f = await p.open(org.claims.discipline, { kind: 'fault-investigation', title: '迟报的过错线索', officerIds: [org.officerId], allegation: '超期办案', startedAt: '2026-08-03' });
    expect(f.data.basis).toMatchObject({ eventOn: '2026-08-03', enteredOn: '2026-10-14', countFrom: '2026-10-14', status: 'pending', limit: { value: 30, unit: 'calendarDays' } });
    expect(f.clock).toMatchObject({ start: '2026-10-14', due: '2026-12-14' });
    expect((await p.inbox(org.claims.leadership, f.processId)).map((n) => n.kind)).toEqual(['opened']);
    const list = await callRoute('GET', `/agencies/${org.agencyId}/processes`, { claims: org.claims.leadership });
    expect(list.json.items.find((i: any) => i.processId === f.processId)).toMatchObject({ backdatePending: true });

    const byInvestigator = await approve(f.processId, org.claims.discipline);
    expect(byInvestigator.status).toBe(403);
    const approved = await approve(f.processId);
    expect(approved.status, approved.text).toBe(200);
    const after = approved.json.process;
    expect(after.data.basis).toMatchObject({ status: 'approved', countFrom: '2026-08-03', decision: { by: 'dist-leader', onEntry: false } });
    // 2 months from 08-03 → 10-03 (国庆) → 10-08
    expect(after.clock).toMatchObject({ start: '2026-08-03', due: '2026-10-08', version: f.clock.version + 1 });
    const now = await p.get(org.claims.leadership, f.processId);
    expect(now.status.color).toBe('red');
    expect(now.escalations.map((e: any) => e.rung)).toEqual(['remind', 'chase', 'report']);
    expect((await p.history(org.claims.leadership, f.processId)).map((e) => e.event)).toEqual(['opened', 'backdateApproved', 'remind', 'chase', 'report']);
    expect((await approve(f.processId)).status).toBe(409); // nothing pending any more
  });

  it('a refused back-date keeps counting from the entry; a leader’s own late entry is approved on entry', async () => {
    h.clock.set(T('2026-10-15', '10:00'));
    const f = await p.open(org.claims.discipline, { kind: 'fault-investigation', title: '日期存疑', officerIds: [org.officerId], allegation: '测试', startedAt: '2025-10-15' });
    const refused = await approve(f.processId, org.claims.leadership, false);
    expect(refused.status, refused.text).toBe(200);
    expect(refused.json.process.data.basis).toMatchObject({ status: 'refused', countFrom: '2026-10-15' });
    expect(refused.json.process.clock).toMatchObject({ start: '2026-10-15', version: f.clock.version });

    const c = await p.open(org.claims.leadership, complaint({ title: '领导补录', receivedAt: '2026-08-20' }));
    expect(c.data.basis).toMatchObject({ status: 'approved', countFrom: '2026-08-20', decision: { by: 'dist-leader', onEntry: true } });
  });

  it('filings count from the decision or withdrawal; one older than the limit waits for approval', async () => {
    h.clock.set(T('2026-10-16', '10:00'));
    const w = await p.open(org.claims.legal, { kind: 'filing', title: '吊销执法证备案', filingKind: 'certificateWithdrawal', basisDate: '2026-10-12', reference: '证号 B-1' });
    expect(w.clock).toMatchObject({ start: '2026-10-12', due: '2026-10-22' });
    const m = await p.open(org.claims.legal, { kind: 'filing', title: '迟报的重大处罚备案', filingKind: 'majorPenalty', basisDate: '2026-07-01', reference: '青罚〔2026〕B2号' });
    expect(m.data.basis).toMatchObject({ status: 'pending', rule: { ruleId: 'C8' } });
    expect(m.clock.start).toBe('2026-10-16');
  });
});

describe('the event date is never in the future, and never absurd', () => {
  const refused = async (body: Record<string, unknown>, path: string, claims = org.claims.leadership) => {
    const r = await callRoute('POST', '/processes', { claims, body, headers: { 'idempotency-key': idempotencyKey('bad') } });
    expect(r.status, r.text).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json.title).toMatch(/[\u4e00-\u9fff]/);
    expect(
      r.json.errors.map((e: any) => e.path),
      r.text,
    ).toContain(path);
  };
  it('refuses tomorrow, a later hour today, the far future, the year 1900 and malformed dates — and writes nothing', async () => {
    h.clock.set(T('2026-10-16', '10:00'));
    const before = (await callRoute('GET', `/agencies/${org.agencyId}/processes`, { claims: org.claims.leadership })).json.counts.open;
    for (const receivedAt of [
      '2026-10-17',
      '2026-10-16T12:00:00+08:00',
      '2199-12-31',
      '9999-12-31',
      '1900-01-01',
      '1900-01-01T00:00:00+08:00',
      '2026-02-30',
      'yesterday',
      '20261015',
      '',
      20261015,
      null,
    ]) {
      await refused(complaint({ receivedAt }), 'body.receivedAt');
    }
    await refused({ kind: 'fault-investigation', title: '未来', officerIds: [org.officerId], allegation: '测试', startedAt: '2030-01-01' }, 'body.startedAt', org.claims.discipline);
    await refused({ kind: 'filing', title: '未来', filingKind: 'majorPenalty', basisDate: '2100-01-01', reference: 'x' }, 'body.basisDate');
    await refused({ kind: 'filing', title: '远古', filingKind: 'certificateWithdrawal', basisDate: '1900-01-01', reference: 'x' }, 'body.basisDate');
    expect((await callRoute('GET', `/agencies/${org.agencyId}/processes`, { claims: org.claims.leadership })).json.counts.open).toBe(before);
  });
});
