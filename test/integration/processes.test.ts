import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionName } from '#shared/process/model.ts';
import { callRoute, freshTable, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, claimsOf, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { processHarness, type ProcessHarness } from '../support/processes.ts';

/**
 * Every path of every process, end to end on the embedded platform's pieces: the HTTP routes, the
 * local Step Functions engine running statemachines/*.asl.json with the clock handler, DynamoDB
 * Local — on a manual clock (wait overrides instead of real sleeps). Dates are 2026 (published).
 */
let org: FixtureOrg;
let h: ProcessHarness;
let reviewer: Claims;

const T = (date: string, time = '10:00') => `${date}T${time}:00.000+08:00`;

const open = async (claims: Claims, body: Record<string, unknown>) => {
  const r = await callRoute('POST', '/processes', { claims, body, headers: { 'idempotency-key': idempotencyKey('proc') } });
  expect(r.status, r.text).toBe(201);
  await h.settle();
  return r.json as { processId: string; version: number; clock?: { due: string; version: number } };
};

const get = async (claims: Claims, id: string) => {
  const r = await callRoute('GET', `/processes/${id}`, { claims });
  expect(r.status, r.text).toBe(200);
  return r.json;
};

/** an action with the current ETag; returns the response (status asserted by the caller) */
const act = async (claims: Claims, id: string, body: Record<string, unknown>, etagFrom: Claims = org.claims.leadership) => {
  const cur = await callRoute('GET', `/processes/${id}`, { claims: etagFrom });
  const r = await callRoute('POST', `/processes/${id}/actions`, { claims, body, headers: { 'if-match': cur.headers.etag! } });
  await h.settle();
  return r;
};
const ok = async (claims: Claims, id: string, body: Record<string, unknown>) => {
  const r = await act(claims, id, body);
  expect(r.status, r.text).toBe(200);
  return r.json.process;
};

const history = async (id: string) => (await callRoute('GET', `/processes/${id}/history`, { claims: org.claims.leadership })).json.items as { event: string; detail?: any; clock?: any }[];
const events = async (id: string) => (await history(id)).map((e) => e.event);
const inbox = async (claims: Claims) => (await callRoute('GET', '/inbox', { claims })).json.items as { notificationId: string; kind: string; processId?: string; read: boolean }[];
const running = (id: string) => [...h.engine.executions().values()].filter((e) => e.name.startsWith(id) && e.status === 'RUNNING').map((e) => e.name);

beforeAll(async () => {
  await freshTable('processes');
  h = processHarness(T('2026-03-02', '09:30'));
  org = await buildFixtureOrg();
  // a legal reviewer who is a registered officer (李四, U2) — reviews are assigned to officers
  reviewer = claimsOf('reviewer-lisi', org.agencyId, ['legal', 'officer'], { unitId: org.otherUnitId, officerId: org.otherOfficerId, name: '李四' });
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

const complaintBody = (title = '执法人员态度粗暴') => ({
  kind: 'complaint',
  title,
  channel: 'hotline12345',
  content: '3 月 1 日在某市场检查时态度粗暴',
  complainant: { anonymous: false, name: '陈某', phone: '13800000000' },
  about: { officerIds: [org.officerId] },
  externalReference: '12345-2026-000123',
});

describe('complaint (C4, C12)', () => {
  it('on time: registered → accepted (15 working days) → assigned → completed → complainant told within 5 working days; substantiated → file entry + fault investigation', async () => {
    h.clock.set(T('2026-03-02', '09:30'));
    const c = await open(org.claims.officer, complaintBody());
    expect(c.clock).toBeUndefined(); // no clock until accepted
    const accepted = await ok(org.claims.leadership, c.processId, { action: 'signOff', decision: 'accept', unitId: org.unitId });
    // 2026-03-02 not counted; 15 working days → 2026-03-23
    expect(accepted.clock.due).toBe('2026-03-23');
    expect(accepted.clock.base.skipped.filter((d: any) => d.kind === 'weekend')).toHaveLength(6);
    expect(accepted.clock.rule).toEqual({ ruleId: 'C4', versionId: 'C4-default-1' });
    expect(running(c.processId)).toEqual([executionName(c.processId, accepted.clock.version)]);

    await ok(org.claims.deptHead, c.processId, { action: 'assign', officerId: org.otherOfficerId });
    const done = await ok(org.claims.otherOfficer, c.processId, { action: 'complete', finding: 'substantiated', result: '经查属实，态度生硬', officerIds: [org.officerId] });
    expect(done.state).toBe('replying');
    expect(done.clock.phase).toBe('reply');
    expect(done.clock.due).toBe('2026-03-09'); // 5 working days after 03-02
    const closed = await act(org.claims.otherOfficer, c.processId, { action: 'reply', channel: 'phone', content: '已电话告知处理结果', toldOn: '2026-03-02' });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json.process.open).toBe(false);
    expect(closed.json.opened).toHaveLength(1);
    expect(running(c.processId)).toEqual([]);

    // the officer's file got a substantiated-complaint entry for review (A6), and C5 opened
    const queue = await callRoute('GET', `/officers/${org.officerId}/file/drafts`, { claims: org.claims.deptHead });
    expect(queue.json.items.some((d: any) => d.type === 'substantiatedComplaint' && d.state === 'underReview')).toBe(true);
    const fi = await get(org.claims.discipline, closed.json.opened[0]);
    expect(fi.kind).toBe('fault-investigation');
    expect(fi.clock.due).toBe('2026-05-06'); // 2 months from 03-02 = 05-02 (劳动节) → next working day
    expect(fi.links).toEqual([{ processId: c.processId, relation: 'openedBy' }]);
    expect(await events(c.processId)).toEqual(['opened', 'accepted', 'assigned', 'completed', 'complainantTold']);
  });

  it('officers named in a process must be of its agency', async () => {
    const r = await callRoute('POST', '/processes', {
      claims: org.claims.discipline,
      body: { kind: 'fault-investigation', title: '跨机关', officerIds: [org.cityOfficerId], allegation: '测试' },
      headers: { 'idempotency-key': idempotencyKey() },
    });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].path).toBe('body.officerIds');
  });

  it('hides the complainant from everyone not handling it (no retaliation)', async () => {
    const c = await open(org.claims.officer, complaintBody('投诉二'));
    const byLeader = await get(org.claims.leadership, c.processId);
    expect(byLeader.complainant.name).toBe('陈某');
    const byCity = await get(org.claims.cityLeader, c.processId);
    expect(byCity.complainant).toEqual({ masked: true, note: '投诉人信息仅对承办人员可见' });
    expect((await callRoute('GET', `/processes/${c.processId}`, { claims: org.claims.discipline })).status).toBe(403);
    expect((await callRoute('GET', `/processes/${c.processId}`, { claims: org.claims.otherAgency })).status).toBe(404);
  });

  it('outside jurisdiction: transferred with the complainant told, closed without a clock', async () => {
    const c = await open(org.claims.officer, complaintBody('非本机关管辖'));
    const bad = await act(org.claims.leadership, c.processId, { action: 'signOff', decision: 'transfer' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['body.to', 'body.complainantToldOn']));
    const t = await ok(org.claims.leadership, c.processId, { action: 'signOff', decision: 'transfer', to: '市市场监管局', complainantToldOn: '2026-03-02' });
    expect(t.state).toBe('transferred');
    expect(t.open).toBe(false);
  });

  it('a penalty dispute must be told of review and litigation rights', async () => {
    const c = await open(org.claims.officer, complaintBody('处罚争议'));
    await ok(org.claims.leadership, c.processId, { action: 'signOff', decision: 'accept', unitId: org.unitId });
    const r = await act(org.claims.deptHead, c.processId, { action: 'complete', finding: 'unsubstantiated', result: '处罚适当', penaltyDispute: true });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].path).toBe('body.rightsNotified');
    expect(r.json.detail).toMatch(/复议/);
  });

  it('extended once by half a month with the leader’s approval; a second extension is refused; the old execution stops', async () => {
    h.clock.set(T('2026-03-02', '11:00'));
    const c = await open(org.claims.officer, complaintBody('复杂投诉'));
    const a = await ok(org.claims.leadership, c.processId, { action: 'signOff', decision: 'accept', unitId: org.unitId });
    expect((await act(org.claims.deptHead, c.processId, { action: 'decideExtension', approve: true })).status).toBe(403);
    await ok(org.claims.deptHead, c.processId, { action: 'requestExtension', reason: '涉及多个部门，需调取监控' });
    const e = await ok(org.claims.leadership, c.processId, { action: 'decideExtension', approve: true, note: '同意延长' });
    // 2026-03-23 + 15 calendar days = 2026-04-07
    expect(e.clock.due).toBe('2026-04-07');
    expect(e.clock.extensions[0].explanation.period).toEqual({ unit: 'calendarDays', amount: 15 });
    expect(e.clock.version).toBe(a.clock.version + 1);
    expect(running(c.processId)).toEqual([executionName(c.processId, e.clock.version)]);
    expect(h.engine.executions().get(executionName(c.processId, a.clock.version))?.status).toBe('ABORTED');
    const again = await act(org.claims.deptHead, c.processId, { action: 'requestExtension', reason: '再次延期' });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('process.extensionExhausted');
  });

  it('overdue: 提醒 → 催办 → 通报 at their checkpoints, each a notification record with recipients; red/yellow in the work list', async () => {
    h.clock.set(T('2026-03-02', '12:00'));
    const c = await open(org.claims.officer, complaintBody('逾期投诉'));
    const a = await ok(org.claims.leadership, c.processId, { action: 'signOff', decision: 'accept', unitId: org.unitId });
    await ok(org.claims.deptHead, c.processId, { action: 'assign', officerId: org.otherOfficerId });
    expect(a.clock.checkpoints).toEqual({ remind: T('2026-03-19', '09:00'), chase: T('2026-03-24', '00:00'), report: T('2026-03-27', '00:00') });

    await h.advanceTo(T('2026-03-18', '23:00'));
    expect((await events(c.processId)).filter((e) => e === 'remind')).toHaveLength(0);
    await h.advanceTo(T('2026-03-19', '09:05'));
    expect((await get(org.claims.leadership, c.processId)).status.color).toBe('yellow');
    const reminded = (await inbox(org.claims.otherOfficer)).filter((n) => n.processId === c.processId && n.kind !== 'assigned');
    expect(reminded.map((n) => n.kind)).toEqual(['remind']);

    await h.advanceTo(T('2026-03-24', '00:01'));
    expect((await get(org.claims.leadership, c.processId)).status.color).toBe('red');
    expect((await inbox(org.claims.deptHead)).filter((n) => n.processId === c.processId).map((n) => n.kind)).toEqual(['chase']);
    await h.advanceTo(T('2026-03-27', '08:00'));
    const leaderInbox = (await inbox(org.claims.leadership)).filter((n) => n.processId === c.processId);
    expect(leaderInbox.map((n) => n.kind)).toEqual(['report']);
    const note = await callRoute('GET', `/notifications/${leaderInbox[0]!.notificationId}`, { claims: org.claims.leadership });
    expect(note.json.recipients).toEqual(
      expect.arrayContaining([
        { type: 'role', agencyId: org.agencyId, role: 'leadership' },
        { type: 'officer', officerId: org.otherOfficerId },
      ]),
    );
    expect((await callRoute('GET', `/notifications/${leaderInbox[0]!.notificationId}`, { claims: org.claims.recorder })).status).toBe(404);
    expect((await callRoute('POST', `/notifications/${leaderInbox[0]!.notificationId}/read`, { claims: org.claims.leadership })).status).toBe(200);
    expect((await inbox(org.claims.leadership)).find((n) => n.notificationId === leaderInbox[0]!.notificationId)?.read).toBe(true);

    const p = await get(org.claims.leadership, c.processId);
    expect(p.escalations.map((e: any) => e.rung)).toEqual(['remind', 'chase', 'report']);
    // the ladder is complete: the execution ended by itself
    expect(running(c.processId)).toEqual([]);
    const work = await callRoute('GET', `/agencies/${org.agencyId}/processes`, { claims: org.claims.leadership, query: { status: 'red' } });
    expect(work.status).toBe(200);
    expect(work.json.items.map((i: any) => i.processId)).toContain(c.processId);
    const unit = await callRoute('GET', `/agencies/${org.agencyId}/processes`, { claims: org.claims.deptHead, query: { unitId: org.unitId } });
    expect(unit.status).toBe(200);
    expect(unit.json.counts.red).toBeGreaterThan(0);
    expect((await callRoute('GET', `/agencies/${org.agencyId}/processes`, { claims: org.claims.otherHead, query: { unitId: org.unitId } })).status).toBe(403);
  });
});

describe('legal review (C1–C3)', () => {
  const reviewBody = () => ({
    kind: 'legal-review',
    title: '某公司罚款 50000 元',
    unitId: org.unitId,
    caseNumber: '云罚〔2026〕12号',
    decisionSummary: '拟处罚款 5 万元',
    parties: [
      { name: '某某商贸有限公司', partyKind: 'organisation' },
      { name: '王某', partyKind: 'person' },
    ],
    handlingOfficerIds: [org.officerId],
  });

  it('recusal, supplement → returned (clock stopped) → resubmitted (new clock) → pass', async () => {
    h.clock.set(T('2026-04-01', '10:00'));
    const r = await open(org.claims.deptHead, reviewBody());
    expect(r.clock!.due).toBe('2026-04-13'); // 7 working days skipping 清明 04-04..06 and the weekend
    const officerAsReviewer = claimsOf('zs-legal', org.agencyId, ['legal', 'officer'], { unitId: org.unitId, officerId: org.officerId });
    const own = await act(officerAsReviewer, r.processId, { action: 'accept', relations: [] });
    expect(own.status).toBe(409);
    expect(own.json.code).toBe('process.recusalRequired');
    const related = await act(reviewer, r.processId, { action: 'accept', relations: [{ partyName: '王某', relation: 'spouse' }] });
    expect(related.status).toBe(409);
    await ok(reviewer, r.processId, { action: 'accept', relations: [{ partyName: '张某', relation: 'spouse' }] });
    const ret = await ok(reviewer, r.processId, { action: 'decide', outcome: 'supplement', opinion: '证据不足，补充调查' });
    expect(ret.state).toBe('returned');
    expect(ret.clock).toBeUndefined();
    expect(running(r.processId)).toEqual([]);
    h.clock.set(T('2026-04-08', '10:00'));
    const again = await ok(org.claims.deptHead, r.processId, { action: 'resubmit', note: '已补充询问笔录' });
    expect(again.state).toBe('received');
    expect(again.clock.start).toBe('2026-04-08');
    expect(again.clock.due).toBe('2026-04-17');
    await ok(reviewer, r.processId, { action: 'accept', relations: [] });
    const passed = await ok(reviewer, r.processId, { action: 'decide', outcome: 'pass', opinion: '事实清楚，证据确凿' });
    expect(passed.state).toBe('passed');
    expect(passed.open).toBe(false);
    expect(passed.data.opinions.map((o: any) => o.round)).toEqual([1, 2]);
  });

  it('extension of at most 3 working days with the leader’s approval; disagreement → collective discussion with signed minutes', async () => {
    h.clock.set(T('2026-04-20', '10:00'));
    const r = await open(org.claims.deptHead, reviewBody());
    await ok(reviewer, r.processId, { action: 'accept', relations: [] });
    const tooLong = await act(reviewer, r.processId, { action: 'requestExtension', days: 4, reason: '案情复杂' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.errors[0].path).toBe('body.days');
    await ok(reviewer, r.processId, { action: 'requestExtension', days: 3, reason: '案情复杂' });
    const ext = await ok(org.claims.leadership, r.processId, { action: 'decideExtension', approve: true });
    expect(ext.clock.extensions).toHaveLength(1);
    const corrected = await ok(reviewer, r.processId, { action: 'decide', outcome: 'correct', opinion: '未告知听证权利' });
    expect(corrected.open).toBe(false);
    const disputed = await ok(org.claims.deptHead, r.processId, { action: 'dispute', reason: '已书面告知，有送达回证' });
    expect(disputed.state).toBe('collectiveDiscussion');
    const unsigned = await act(org.claims.leadership, r.processId, {
      action: 'recordMinutes',
      body: '局长办公会',
      chair: '局长',
      attendees: ['局长', '副局长', '法制科长'],
      decision: '维持原拟决定',
      signedBy: ['局长'],
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.json.errors[0].path).toBe('body.signedBy');
    const done = await ok(org.claims.leadership, r.processId, {
      action: 'recordMinutes',
      body: '局长办公会',
      chair: '局长',
      attendees: ['局长', '副局长', '法制科长'],
      decision: '维持原拟决定',
      dissent: '法制科长保留意见',
      signedBy: ['局长', '副局长', '法制科长'],
    });
    expect(done.state).toBe('collectivelyDecided');
  });
});

describe('fault investigation (C5, C6)', () => {
  it('decided with liability shares, served, reported, filed, acknowledged → entries; re-examination within 1 month', async () => {
    h.clock.set(T('2026-05-11', '10:00'));
    const f = await open(org.claims.discipline, { kind: 'fault-investigation', title: '违法扣押财物', officerIds: [org.officerId, org.otherOfficerId], allegation: '超范围扣押' });
    expect(f.clock!.due).toBe('2026-07-13'); // 2 months → 07-11 (Saturday) → next working day
    const badShares = await act(org.claims.discipline, f.processId, {
      action: 'conclude',
      substantiated: true,
      decisionNumber: '过决〔2026〕3号',
      liabilities: [{ officerId: org.officerId, share: 0.5, basis: '主办', measure: '批评教育' }],
    });
    expect(badShares.status).toBe(400);
    await ok(org.claims.discipline, f.processId, {
      action: 'conclude',
      substantiated: true,
      decisionNumber: '过决〔2026〕3号',
      liabilities: [
        { officerId: org.officerId, share: 0.7, basis: '主办人员', aggravating: ['造成不良影响'], measure: '诫勉谈话' },
        { officerId: org.otherOfficerId, share: 0.3, basis: '协办人员', mitigating: ['主动纠正'], measure: '批评教育' },
      ],
    });
    await ok(org.claims.discipline, f.processId, { action: 'serve', on: '2026-05-12' });
    await ok(org.claims.discipline, f.processId, { action: 'reportUpward', to: '市司法局', on: '2026-05-12' });
    await ok(org.claims.discipline, f.processId, { action: 'file', on: '2026-05-13', receiptNumber: '备〔2026〕8号' });
    expect((await act(org.claims.recorder, f.processId, { action: 'acknowledge' })).status).toBe(403);
    await ok(org.claims.officer, f.processId, { action: 'acknowledge' });
    const closed = await ok(org.claims.otherOfficer, f.processId, { action: 'acknowledge' });
    expect(closed.state).toBe('closed');
    const drafts = await callRoute('GET', `/officers/${org.officerId}/file/drafts`, { claims: org.claims.deptHead });
    expect(drafts.json.items.some((d: any) => d.type === 'faultFinding' && d.content.liabilityShare === 0.7)).toBe(true);

    h.clock.set(T('2026-05-20', '10:00'));
    const re = await ok(org.claims.officer, f.processId, { action: 'requestReexamination', reason: '已主动纠正，请求从轻' });
    expect(re.clock.phase).toBe('reexamination');
    expect(re.clock.due).toBe('2026-06-22'); // 06-20 Saturday; 06-19 端午 is before it
    const decided = await ok(org.claims.leadership, f.processId, { action: 'decideReexamination', result: 'uphold', opinion: '维持原决定' });
    expect(decided.state).toBe('closed');
  });

  it('unsubstantiated closes; the extension needs the party group (leadership)', async () => {
    const f = await open(org.claims.discipline, { kind: 'fault-investigation', title: '举报不实', officerIds: [org.officerId], allegation: '收受礼品' });
    await ok(org.claims.discipline, f.processId, { action: 'requestExtension', reason: '需异地调查' });
    expect((await act(org.claims.discipline, f.processId, { action: 'decideExtension', approve: true })).status).toBe(403);
    const ext = await ok(org.claims.leadership, f.processId, { action: 'decideExtension', approve: true });
    expect(ext.clock.extensions[0].period).toEqual({ value: 1, unit: 'months' });
    const c = await ok(org.claims.discipline, f.processId, { action: 'conclude', substantiated: false, reason: '查无实据' });
    expect(c.state).toBe('closed');
  });
});

describe('supervised case (C7)', () => {
  it('overdue → 催办 to handler and head → 通报批评 to leadership and the agency file; late report recorded', async () => {
    h.clock.set(T('2026-06-01', '10:00'));
    const s = await open(org.claims.leadership, {
      kind: 'supervised-case',
      title: '某违建拆除督办',
      unitId: org.unitId,
      officerId: org.officerId,
      dueOn: '2026-06-10',
      instructions: '6 月 10 日前报告办理结果',
    });
    expect(s.clock!.due).toBe('2026-06-10');
    expect((await inbox(org.claims.officer)).some((n) => n.processId === s.processId && n.kind === 'assigned')).toBe(true);
    await h.advanceTo(T('2026-06-11', '08:00'));
    await h.advanceTo(T('2026-06-16', '08:00'));
    const p = await get(org.claims.leadership, s.processId);
    expect(p.escalations.map((e: any) => e.rung)).toEqual(['remind', 'chase', 'report']);
    const file = await callRoute('GET', `/agencies/${org.agencyId}/archive`, { claims: org.claims.leadership });
    expect(file.json.items.some((e: any) => e.processId === s.processId && e.entryType === 'supervisedCaseCriticized')).toBe(true);
    expect((await callRoute('GET', `/agencies/${org.agencyId}/archive`, { claims: org.claims.officer })).status).toBe(403);
    const done = await ok(org.claims.officer, s.processId, { action: 'report', content: '已拆除完毕' });
    expect(done.data.report.onTime).toBe(false);
  });
});

describe('filings (C8, C9, C10)', () => {
  it('major penalty filed within 30 days; certificate withdrawal within 10 days; annual report by the end of Q1', async () => {
    h.clock.set(T('2026-07-01', '10:00'));
    const m = await open(org.claims.legal, { kind: 'filing', title: '重大行政处罚备案', filingKind: 'majorPenalty', basisDate: '2026-06-30', reference: '云罚〔2026〕30号' });
    expect(m.clock!.due).toBe('2026-07-30');
    const w = await open(org.claims.legal, { kind: 'filing', title: '吊销执法证备案', filingKind: 'certificateWithdrawal', basisDate: '2026-07-01', reference: '证号 123' });
    expect(w.clock!.due).toBe('2026-07-13'); // 07-11 Saturday → Monday
    const filed = await ok(org.claims.legal, m.processId, { action: 'file', on: '2026-07-02', receiptNumber: '备〔2026〕1号' });
    expect(filed.data.filing.onTime).toBe(true);
    const missing = await callRoute('POST', '/processes', {
      claims: org.claims.legal,
      body: { kind: 'filing', title: '年报', filingKind: 'annualReport', reference: '2025 年度' },
      headers: { 'idempotency-key': idempotencyKey() },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0].path).toBe('body.year');
    const y = await open(org.claims.legal, { kind: 'filing', title: '2026 年度行政执法报告', filingKind: 'annualReport', year: 2026, reference: '2026 年度' });
    expect(y.clock!.due).toBe('2027-03-31');
  });
});

describe('clocks: idempotent starts, restart, calendar changes', () => {
  it('a duplicate start is one execution; a restart mid-wait resumes the same clock', async () => {
    h.clock.set(T('2026-08-03', '10:00'));
    const s = await open(org.claims.leadership, { kind: 'supervised-case', title: '重启测试', unitId: org.unitId, officerId: org.officerId, dueOn: '2026-08-14', instructions: '报告' });
    const name = executionName(s.processId, s.clock!.version);
    expect(await h.engine.start('supervised-case', name, { processId: s.processId, clockVersion: s.clock!.version, kind: 'supervised-case' })).toBe('exists');
    await h.reconcile();
    expect(running(s.processId)).toEqual([name]);

    await h.restart();
    expect(running(s.processId)).toEqual([name]);
    await h.advanceTo(T('2026-08-13', '09:30'));
    await h.restart(); // again, after the reminder: it must not be sent twice
    await h.advanceTo(T('2026-08-15', '09:30'));
    const p = await get(org.claims.leadership, s.processId);
    expect(p.escalations.map((e: any) => e.rung)).toEqual(['remind', 'chase']);
  });

  it('a deadline past the last published year is provisional; publishing that year recomputes it, records it and tells the assignee', async () => {
    h.clock.set(T('2026-12-28', '10:00'));
    const r = await open(org.claims.deptHead, {
      kind: 'legal-review',
      title: '跨年审核',
      unitId: org.unitId,
      caseNumber: '云罚〔2026〕99号',
      decisionSummary: '拟吊销许可证',
      parties: [{ name: '某餐馆', partyKind: 'organisation' }],
      handlingOfficerIds: [org.officerId],
    });
    expect(r.clock!.due).toBe('2027-01-06'); // weekends only: 12-29,30,31, 01-01, 04, 05, 06
    expect((r.clock as any).provisional).toBe(true);
    await ok(reviewer, r.processId, { action: 'accept', relations: [] });
    const year2027 = {
      notice: { title: '国务院办公厅关于2027年部分节假日安排的通知（测试用）', number: '测试〔2026〕1号', publishedOn: '2026-11-10' },
      holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }],
      makeupWorkdays: [],
    };
    const denied = await callRoute('PUT', '/calendar/years/2027', { claims: org.claims.leadership, body: year2027 });
    expect(denied.status).toBe(403);
    const cityAdmin = org.claims.cityAdmin;
    const pub = await callRoute('PUT', '/calendar/years/2027', { claims: cityAdmin, body: year2027 });
    expect(pub.status, pub.text).toBe(200);
    await h.settle();
    const after = await get(org.claims.leadership, r.processId);
    expect(after.clock.due).toBe('2027-01-07');
    expect(after.clock.provisional).toBe(false);
    const hist = await history(r.processId);
    const recomputed = hist.find((e) => e.event === 'clockRecomputed')!;
    expect(recomputed.detail).toMatchObject({ previousDue: '2027-01-06', due: '2027-01-07' });
    expect(recomputed.clock.base.skipped).toEqual(expect.arrayContaining([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]));
    expect((await inbox(reviewer)).some((n) => n.processId === r.processId && n.kind === 'dueDateMoved')).toBe(true);
    expect(running(r.processId)).toEqual([executionName(r.processId, after.clock.version)]);
    // publishing the same year again needs If-Match (a correction)
    const again = await callRoute('PUT', '/calendar/years/2027', { claims: cityAdmin, body: year2027 });
    expect(again.status).toBe(409);
    const corrected = await callRoute('PUT', '/calendar/years/2027', { claims: cityAdmin, body: { ...year2027, note: '更正：文号' }, headers: { 'if-match': pub.headers.etag! } });
    expect(corrected.status, corrected.text).toBe(200);
    expect(corrected.json.version).toBe(pub.json.version + 1);
    const stale = await callRoute('PUT', '/calendar/years/2027', { claims: cityAdmin, body: year2027, headers: { 'if-match': pub.headers.etag! } });
    expect(stale.status).toBe(409);
  });

  it('a clock beyond what one execution may wait is deferred to the scheduler and resumed in time (C10 annual report)', async () => {
    h.clock.set(T('2026-01-05', '10:00'));
    const y = await open(org.claims.legal, { kind: 'filing', title: '2026 年度报告（早建）', filingKind: 'annualReport', year: 2026, reference: '2026 年度' });
    expect(y.clock!.due).toBe('2027-03-31');
    const first = h.engine.executions().get(executionName(y.processId, 1))!;
    expect(first.states).toEqual(['Plan', 'Route', 'Defer', 'Done']);
    expect(first.status).toBe('SUCCEEDED');
    expect(first.states).toEqual(['Plan', 'Route', 'Defer', 'Done']);
    await h.advanceTo(T('2027-03-29', '09:05'));
    const p = await get(org.claims.leadership, y.processId);
    expect(p.escalations.map((e: any) => e.rung)).toEqual(['remind']);
    expect(p.clock.version).toBe(2);
    expect(await events(y.processId)).toEqual(['opened', 'clockRestarted', 'remind']);
    expect(running(y.processId)).toEqual([executionName(y.processId, 2)]);
  });

  it('a recomputation that does not fit its dispatcher’s time budget continues as a new outbox command', async () => {
    const { outboxWrite, pendingOutbox } = await import('#shared/outbox/store.ts');
    const { dispatch } = await import('#shared/outbox/dispatch.ts');
    (await import('#shared/wiring.ts')).wire();
    const { documentClient } = await import('#shared/adapters/dynamodb/client.ts');
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const cmd = outboxWrite({ type: 'recomputeClocks', years: [2026] }, h.clock.now().toISOString());
    await documentClient().send(new PutCommand(cmd.write.item.Put!));
    await dispatch([cmd.item], 0);
    const pending = (await pendingOutbox(h.clock.now(), 0)).filter((i) => i.message.type === 'recomputeClocks');
    expect(pending).toHaveLength(1);
    expect((pending[0]!.message as unknown as { agencyIds: string[] }).agencyIds.length).toBeGreaterThan(0);
    await h.reconcile();
    expect((await pendingOutbox(h.clock.now(), 0)).filter((i) => i.message.type === 'recomputeClocks')).toEqual([]);
  });

  it('an agency’s local closure moves the open working-day clocks of that agency only', async () => {
    h.clock.set(T('2026-09-01', '10:00'));
    const c = await open(org.claims.officer, complaintBody('停止办公日'));
    const a = await ok(org.claims.leadership, c.processId, { action: 'signOff', decision: 'accept', unitId: org.unitId });
    const sysAdmin = org.claims.sysAdmin;
    const closure = await callRoute('POST', `/agencies/${org.agencyId}/closures`, {
      claims: sysAdmin,
      body: { date: '2026-09-03', reason: '办公楼停电检修' },
      headers: { 'idempotency-key': idempotencyKey() },
    });
    expect(closure.status, closure.text).toBe(201);
    await h.settle();
    const after = await get(org.claims.leadership, c.processId);
    expect(after.clock.due > a.clock.due).toBe(true);
    expect(after.clock.base.skipped).toEqual(expect.arrayContaining([expect.objectContaining({ date: '2026-09-03', kind: 'localClosure' })]));
  });
});
