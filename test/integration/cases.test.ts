import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRoute, freshTable, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, claimsOf, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { processHarness, type ProcessHarness } from '../support/processes.ts';

/**
 * Cases (一案一表, A2) end to end: filing, steps with the officers' certificates checked (E1), the
 * E5 notice, the C8 major-penalty finding gated on a passed legal review (C1) and opening its filing
 * clock, E6 minutes, "case handled" entries on closing, a result changed on review (B2), and the
 * parties' personal data masked for those not handling the case.
 */
let org: FixtureOrg;
let h: ProcessHarness;
let reviewer: Claims;
const T = (date: string, time = '10:00') => `${date}T${time}:00.000+08:00`;

const post = async (claims: Claims, path: string, body: unknown, status = 201) => {
  const r = await callRoute('POST', path, { claims, body, headers: { 'idempotency-key': idempotencyKey('case') } });
  expect(r.status, r.text).toBe(status);
  return r;
};
const step = async (claims: Claims, caseId: string, body: Record<string, unknown>) => {
  const cur = await callRoute('GET', `/cases/${caseId}`, { claims: org.claims.leadership });
  const r = await callRoute('POST', `/cases/${caseId}/steps`, { claims, body, headers: { 'if-match': cur.headers.etag! } });
  await h.settle();
  return r;
};
const processAct = async (claims: Claims, id: string, body: Record<string, unknown>) => {
  const cur = await callRoute('GET', `/processes/${id}`, { claims: org.claims.leadership });
  const r = await callRoute('POST', `/processes/${id}/actions`, { claims, body, headers: { 'if-match': cur.headers.etag! } });
  expect(r.status, r.text).toBe(200);
  await h.settle();
};

const caseBody = (caseNumber: string) => ({
  kind: 'penalty',
  title: '某商贸公司无证经营案',
  caseNumber,
  unitId: org.unitId,
  filedOn: '2026-06-01',
  parties: [{ partyKind: 'organisation', name: '某某商贸有限公司', idNumber: '91110000MA01ABCD1X', phone: '13800000000', address: '云州市青山区某路 1 号', legalRepresentative: '王某' }],
  officers: [
    { officerId: org.officerId, role: 'lead' },
    { officerId: org.otherOfficerId, role: 'assist' },
  ],
});

beforeAll(async () => {
  await freshTable('cases');
  h = processHarness(T('2026-06-01'));
  org = await buildFixtureOrg();
  reviewer = claimsOf('case-reviewer', org.agencyId, ['legal', 'officer'], { unitId: org.otherUnitId, officerId: org.otherOfficerId, name: '李四' });
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe('cases (A2)', () => {
  it('a major penalty: E5 notice, decision refused before the legal review passed, then recorded with its C8 filing clock; closing enters "case handled"', async () => {
    h.clock.set(T('2026-06-10'));
    const c = (await post(org.claims.officer, '/cases', caseBody('青司罚〔2026〕101号'))).json;
    expect(c.steps.map((s: any) => s.step)).toEqual(['filed']);
    const inv = await step(org.claims.officer, c.caseId, { step: 'investigation', on: '2026-06-02', evidence: '现场检查笔录、询问笔录' });
    expect(inv.status, inv.text).toBe(200);

    const badNotice = await step(org.claims.officer, c.caseId, {
      step: 'notice',
      on: '2026-06-03',
      documentNumber: '告〔2026〕1号',
      toldFactsReasonsBasis: true,
      toldRightToStateAndDefend: false,
      toldHearingRight: true,
      certificateShown: true,
    });
    expect(badNotice.status).toBe(400);
    expect(badNotice.json.errors.map((e: any) => e.path)).toContain('body.toldRightToStateAndDefend');
    expect(
      (
        await step(org.claims.officer, c.caseId, {
          step: 'notice',
          on: '2026-06-03',
          documentNumber: '告〔2026〕1号',
          toldFactsReasonsBasis: true,
          toldRightToStateAndDefend: true,
          toldHearingRight: true,
          certificateShown: true,
        })
      ).status,
    ).toBe(200);

    const decision = { step: 'decision', on: '2026-06-10', documentNumber: '青司罚决〔2026〕101号', measures: { fine: 50_000 } };
    expect((await step(org.claims.officer, c.caseId, decision)).status).toBe(403); // the lead does not decide
    const early = await step(org.claims.leadership, c.caseId, decision);
    expect(early.status).toBe(409);
    expect(early.json.code).toBe('case.legalReviewRequired');
    expect(early.json.detail).toMatch(/15000/);

    // the legal review of this case (C1–C3), then linked as the legalReview step
    const review = (
      await post(org.claims.deptHead, '/processes', {
        kind: 'legal-review',
        title: '某商贸公司罚款 5 万元',
        unitId: org.unitId,
        caseNumber: '青司罚〔2026〕101号',
        decisionSummary: '拟罚款 5 万元',
        parties: [{ name: '某某商贸有限公司', partyKind: 'organisation' }],
        handlingOfficerIds: [org.officerId],
      })
    ).json;
    await processAct(reviewer, review.processId, { action: 'accept', relations: [] });
    await processAct(reviewer, review.processId, { action: 'decide', outcome: 'pass', opinion: '事实清楚，证据确凿，程序合法' });
    expect((await step(org.claims.officer, c.caseId, { step: 'legalReview', on: '2026-06-10', processId: review.processId })).status).toBe(200);

    const decided = await step(org.claims.leadership, c.caseId, decision);
    expect(decided.status, decided.text).toBe(200);
    expect(decided.json.decision.major).toMatchObject({ major: true, ruleVersion: 'C8-default-1' });
    const filingId = decided.json.links.find((l: any) => l.relation === 'filing').processId;
    const filing = (await callRoute('GET', `/processes/${filingId}`, { claims: org.claims.legal })).json;
    expect(filing.clock.due).toBe('2026-07-10'); // C8: 30 days from the decision
    expect(filing.data.filingKind).toBe('majorPenalty');

    expect((await step(org.claims.officer, c.caseId, { step: 'service', on: '2026-06-10', method: 'direct' })).status).toBe(200);
    const closed = await step(org.claims.officer, c.caseId, { step: 'closed', on: '2026-06-10' });
    expect(closed.status).toBe(200);
    const drafts = await callRoute('GET', `/officers/${org.officerId}/file/drafts`, { claims: org.claims.deptHead });
    expect(drafts.json.items.some((d: any) => d.type === 'caseHandled' && d.content.case.caseId === c.caseId && d.content.role === 'lead')).toBe(true);
    const again = await step(org.claims.officer, c.caseId, { step: 'investigation', on: '2026-06-10', evidence: '补充' });
    expect(again.status).toBe(409);
  });

  it('refuses an officer without a valid certificate on the day (E1)', async () => {
    const created = await post(org.claims.sysAdmin, '/officers', { name: '无证人员', staffNumber: 'NC-001', agencyId: org.agencyId, unitId: org.unitId, post: '辅助', employment: 'civilServant' });
    const r = await post(org.claims.officer, '/cases', { ...caseBody('青司罚〔2026〕102号'), officers: [{ officerId: created.json.officerId, role: 'lead' }] }, 400);
    expect(r.json.code).toBe('case.officerNotCertified');
    expect(r.json.errors[0].path).toBe('body.officers');
  });

  it('E6 minutes must be signed by everyone present; a small penalty needs no legal review; a changed result goes into the files (B2)', async () => {
    const c = (await post(org.claims.officer, '/cases', { ...caseBody('青司罚〔2026〕103号'), parties: [{ partyKind: 'person', name: '张某' }] })).json;
    const unsigned = await step(org.claims.officer, c.caseId, {
      step: 'collectiveDiscussion',
      on: '2026-06-10',
      chair: '局长',
      attendees: ['局长', '副局长', '法制科长'],
      decision: '同意',
      signedBy: ['局长'],
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.json.errors[0].path).toBe('body.signedBy');
    expect(
      (
        await step(org.claims.officer, c.caseId, {
          step: 'collectiveDiscussion',
          on: '2026-06-10',
          chair: '局长',
          attendees: ['局长', '副局长', '法制科长'],
          decision: '同意',
          signedBy: ['局长', '副局长', '法制科长'],
        })
      ).status,
    ).toBe(200);
    const small = await step(org.claims.leadership, c.caseId, { step: 'decision', on: '2026-06-10', documentNumber: '青司罚决〔2026〕103号', measures: { fine: 500 } });
    expect(small.status, small.text).toBe(200);
    expect(small.json.decision.major.major).toBe(false);

    const cur = await callRoute('GET', `/cases/${c.caseId}`, { claims: org.claims.legal });
    expect(
      (
        await callRoute('POST', `/cases/${c.caseId}/outcomes`, {
          claims: org.claims.officer,
          body: { by: 'litigation', result: 'revoked', decidedOn: '2026-06-10', documentNumber: '(2026)云行初 1 号', decidedBy: '青山区人民法院' },
          headers: { 'if-match': cur.headers.etag! },
        })
      ).status,
    ).toBe(403);
    const o = await callRoute('POST', `/cases/${c.caseId}/outcomes`, {
      claims: org.claims.legal,
      body: { by: 'litigation', result: 'revoked', decidedOn: '2026-06-10', documentNumber: '(2026)云行初 1 号', decidedBy: '青山区人民法院' },
      headers: { 'if-match': cur.headers.etag! },
    });
    expect(o.status, o.text).toBe(200);
    const drafts = await callRoute('GET', `/officers/${org.officerId}/file/drafts`, { claims: org.claims.deptHead });
    expect(drafts.json.items.some((d: any) => d.type === 'caseResultChanged' && d.content.case.caseId === c.caseId && d.content.result === 'revoked')).toBe(true);
    // the assisting officer (协办) is not answerable for the result (A10)
    const other = await callRoute('GET', `/officers/${org.otherOfficerId}/file/drafts`, { claims: org.claims.otherHead });
    expect(other.json.items.some((d: any) => d.type === 'caseResultChanged' && d.content.case.caseId === c.caseId)).toBe(false);
  });

  it('masks the parties’ personal data for readers who do not handle the case (PIPL art. 28, 51)', async () => {
    const c = (await post(org.claims.officer, '/cases', caseBody('青司罚〔2026〕104号'))).json;
    const byOfficer = (await callRoute('GET', `/cases/${c.caseId}`, { claims: org.claims.officer })).json;
    expect(byOfficer.parties[0].idNumber).toBe('91110000MA01ABCD1X');
    const byDiscipline = (await callRoute('GET', `/cases/${c.caseId}`, { claims: org.claims.discipline })).json;
    expect(byDiscipline.parties[0].idNumber).not.toContain('MA01ABCD');
    expect(byDiscipline.parties[0].phone).toMatch(/^\d{2}\*+\d{2}$/);
    expect(byDiscipline.personalDataMasked).toBe(true);
    expect((await callRoute('GET', `/cases/${c.caseId}`, { claims: org.claims.recorder })).status).toBe(403);
    expect((await callRoute('GET', `/cases/${c.caseId}`, { claims: org.claims.otherAgency })).status).toBe(404);
    const list = await callRoute('GET', `/agencies/${org.agencyId}/cases`, { claims: org.claims.deptHead, query: { unitId: org.unitId } });
    expect(list.status).toBe(200);
    expect(list.json.items.map((i: any) => i.caseId)).toContain(c.caseId);
  });
});
