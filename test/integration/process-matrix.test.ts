/**
 * The authorisation matrix of the process, notification and calendar routes: every route whose
 * scope is 'process' (and the agency-scoped process routes) × every kind of caller → the expected
 * status. Who may open, decide, extend, approve and read (C1–C10, C4's confidentiality).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { handler as evidenceArrived } from '#functions/events/evidence-arrived.ts';
import { ROUTES } from '#shared/api/routes.ts';
import { callRoute, embedded, freshTable, objectCreatedEvent, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { processHarness, type ProcessHarness } from '../support/processes.ts';

const CALLERS = ['officer', 'deptHead', 'otherHead', 'leadership', 'discipline', 'legal', 'recorder', 'sysAdmin', 'cityAdmin', 'cityLeader', 'otherAgency', 'noToken'] as const;
type Caller = (typeof CALLERS)[number];

interface Request {
  method: string;
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  /** a fixed If-Match, or read the ETag of the evidence record the path names */
  ifMatch?: string;
  ifMatchOf?: 'evidence';
}
interface Row {
  name: string;
  operationId: string;
  prepare: () => Promise<Request>;
  expect: Partial<Record<Caller, number>>;
}

let org: FixtureOrg;
let h: ProcessHarness;
const claimsOf = (c: Caller): Claims | undefined => (c === 'noToken' ? undefined : org.claims[c]);
/** unlisted callers: 403 inside the agency tree, 404 outside it, 401 without a token */
const expected = (row: Row, c: Caller) => row.expect[c] ?? (c === 'noToken' ? 401 : c === 'otherAgency' ? 404 : 403);

const post = async (claims: Claims, path: string, body: unknown) => {
  const r = await callRoute('POST', path, { claims, body, headers: { 'idempotency-key': idempotencyKey('m') } });
  expect(r.status, r.text).toBeLessThan(300);
  return r.json;
};
const act = async (claims: Claims, id: string, body: unknown) => {
  const cur = await callRoute('GET', `/processes/${id}`, { claims: org.claims.leadership });
  const r = await callRoute('POST', `/processes/${id}/actions`, { claims, body, headers: { 'if-match': cur.headers.etag! } });
  expect(r.status, r.text).toBe(200);
};
const complaint = async (accepted: boolean) => {
  const c = await post(org.claims.officer, '/processes', {
    kind: 'complaint',
    title: '矩阵投诉',
    channel: 'phone',
    content: '态度问题',
    complainant: { anonymous: true },
    about: { officerIds: [org.officerId] },
  });
  if (accepted) await act(org.claims.leadership, c.processId, { action: 'signOff', decision: 'accept', unitId: org.unitId });
  return c.processId as string;
};
const investigation = async (serving: boolean) => {
  const f = await post(org.claims.discipline, '/processes', { kind: 'fault-investigation', title: '矩阵追责', officerIds: [org.officerId], allegation: '超期办案' });
  if (serving) {
    await act(org.claims.discipline, f.processId, {
      action: 'conclude',
      substantiated: true,
      decisionNumber: '过决〔2026〕9号',
      liabilities: [{ officerId: org.officerId, share: 1, basis: '主办', measure: '批评教育' }],
    });
  }
  return f.processId as string;
};
const caseOf = async (decided: boolean) => {
  const c = await post(org.claims.officer, '/cases', {
    kind: 'penalty',
    title: '矩阵案件',
    caseNumber: `矩阵〔2026〕${Math.floor(Math.random() * 1e6)}号`,
    unitId: org.unitId,
    filedOn: '2026-11-02',
    parties: [{ partyKind: 'person', name: '张某', idNumber: '110101199001011234' }],
    officers: [{ officerId: org.officerId, role: 'lead' }],
  });
  if (decided) {
    const cur = await callRoute('GET', `/cases/${c.caseId}`, { claims: org.claims.leadership });
    const r = await callRoute('POST', `/cases/${c.caseId}/steps`, {
      claims: org.claims.leadership,
      body: { step: 'decision', on: '2026-11-02', documentNumber: '矩阵决', measures: { fine: 200 } },
      headers: { 'if-match': cur.headers.etag! },
    });
    expect(r.status, r.text).toBe(200);
  }
  return c.caseId as string;
};
const evidenceOf = async (opts: { old?: boolean } = {}) => {
  const bytes = randomBytes(64);
  const startedAt = opts.old ? '2024-03-01T09:00:00+08:00' : new Date(h.clock.now().getTime() - 3_600_000).toISOString();
  // an old recording was also stored long ago: D3 counts from the ingest as well (the clock is set back for it)
  const back = opts.old ? h.clock.now() : undefined;
  if (back) {
    await h.settle();
    h.clock.set('2024-03-01T10:00:00.000+08:00');
  }
  try {
    const d = await post(org.claims.officer, '/evidence', {
      kind: 'patrol',
      title: '矩阵录像',
      fileName: 'm.mp4',
      mediaType: 'video/mp4',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      capture: { officerId: org.officerId, deviceId: 'M-1', startedAt, endedAt: startedAt, place: '某地' },
    });
    const put = await fetch(d.upload.url, { method: 'PUT', headers: d.upload.headers, body: bytes });
    expect(put.status).toBe(200);
    await evidenceArrived(objectCreatedEvent({ bucket: embedded().bucketName, key: d.evidence.key, size: bytes.length, eTag: 'x' }));
    return d.evidence.evidenceId as string;
  } finally {
    if (back) h.clock.set(back);
  }
};
/** a closed case with one recording, packaged by the nightly preservation job */
let packaged: string | undefined;
const packagedCase = async () => {
  if (packaged) return packaged;
  const caseId = await caseOf(true);
  const id = await evidenceOf();
  const link = await callRoute('POST', `/evidence/${id}/case`, { claims: org.claims.officer, body: { caseId }, headers: { 'if-match': await etagOfEvidence(id) } });
  expect(link.status, link.text).toBe(200);
  const cur = await callRoute('GET', `/cases/${caseId}`, { claims: org.claims.leadership });
  const closed = await callRoute('POST', `/cases/${caseId}/steps`, { claims: org.claims.officer, body: { step: 'closed', on: '2026-11-02' }, headers: { 'if-match': cur.headers.etag! } });
  expect(closed.status, closed.text).toBe(200);
  const { handler: evidenceJobs } = await import('#functions/jobs/evidence.ts');
  await evidenceJobs({ job: 'preservation' });
  packaged = caseId;
  return caseId;
};
const etagOfEvidence = async (id: string) => (await callRoute('GET', `/evidence/${id}`, { claims: org.claims.leadership })).headers.etag!;
const withIfMatch = async (id: string, body: unknown): Promise<Request> => ({ method: 'POST', path: `/processes/${id}/actions`, body });

const ROWS: Row[] = [
  {
    name: 'read a complaint',
    operationId: 'getProcess',
    prepare: async () => ({ method: 'GET', path: `/processes/${await complaint(true)}` }),
    expect: { officer: 200, deptHead: 200, leadership: 200, cityLeader: 200 },
  },
  {
    name: 'read a fault investigation (the officer investigated reads it)',
    operationId: 'getProcess',
    prepare: async () => ({ method: 'GET', path: `/processes/${await investigation(false)}` }),
    expect: { officer: 200, leadership: 200, discipline: 200, cityLeader: 200 },
  },
  {
    name: 'history of a complaint',
    operationId: 'processHistory',
    prepare: async () => ({ method: 'GET', path: `/processes/${await complaint(true)}/history` }),
    expect: { officer: 200, deptHead: 200, leadership: 200, cityLeader: 200 },
  },
  {
    name: 'sign off a complaint (leading group office)',
    operationId: 'actOnProcess',
    prepare: async () => withIfMatch(await complaint(false), { action: 'signOff', decision: 'accept', unitId: org.unitId }),
    expect: { leadership: 200 },
  },
  {
    name: 'request an extension of a complaint (handling department)',
    operationId: 'actOnProcess',
    prepare: async () => withIfMatch(await complaint(true), { action: 'requestExtension', reason: '情况复杂' }),
    expect: { deptHead: 200 },
  },
  {
    name: 'approve an extension (responsible leader)',
    operationId: 'actOnProcess',
    prepare: async () => {
      const id = await complaint(true);
      await act(org.claims.deptHead, id, { action: 'requestExtension', reason: '情况复杂' });
      return withIfMatch(id, { action: 'decideExtension', approve: true });
    },
    expect: { leadership: 200 },
  },
  {
    name: 'acknowledge a fault decision (the officer at fault only)',
    operationId: 'actOnProcess',
    prepare: async () => withIfMatch(await investigation(true), { action: 'acknowledge' }),
    expect: { officer: 200 },
  },
  {
    // issue 8 item 8: an event date older than the rule's back-dating limit counts only once a leader approves it
    name: 'approve a late entry’s event date (leadership)',
    operationId: 'actOnProcess',
    prepare: async () => {
      const f = await post(org.claims.discipline, '/processes', { kind: 'fault-investigation', title: '矩阵补录', officerIds: [org.officerId], allegation: '迟报', startedAt: '2026-08-03' });
      return withIfMatch(f.processId, { action: 'decideBackdate', approve: true });
    },
    expect: { leadership: 200 },
  },
  {
    name: 'open a complaint received days before its entry (receivedAt)',
    operationId: 'openProcess',
    prepare: async () => ({
      method: 'POST',
      path: '/processes',
      body: { kind: 'complaint', title: '补录投诉', channel: 'letter', content: '来信', complainant: { anonymous: true }, receivedAt: '2026-10-28' },
    }),
    // every agency's complaint desk registers complaints in its own agency (C12)
    expect: { officer: 201, deptHead: 201, otherHead: 201, leadership: 201, discipline: 201, legal: 201, cityLeader: 201, otherAgency: 201 },
  },
  {
    name: 'who answers for what (E3 responsibility)',
    operationId: 'getResponsibility',
    prepare: async () => ({ method: 'GET', path: `/agencies/${org.agencyId}/responsibility` }),
    expect: { officer: 200, deptHead: 200, otherHead: 200, leadership: 200, discipline: 200, legal: 200, recorder: 200, sysAdmin: 200, cityAdmin: 200, cityLeader: 200 },
  },
  {
    name: 'name who answers (E3 responsibility: the agency’s administrators)',
    operationId: 'setResponsibility',
    prepare: async () => {
      const cur = await callRoute('GET', `/agencies/${org.agencyId}/responsibility`, { claims: org.claims.leadership });
      return { method: 'PUT', path: `/agencies/${org.agencyId}/responsibility`, body: { leaders: [], heads: [] }, ifMatch: cur.headers.etag! };
    },
    // the permission is checked before the agency: another root's leadership is refused, not told it does not exist
    expect: { sysAdmin: 200, cityAdmin: 200, otherAgency: 403 },
  },
  {
    name: 'open a fault investigation',
    operationId: 'openProcess',
    prepare: async () => ({ method: 'POST', path: '/processes', body: { kind: 'fault-investigation', title: '矩阵', officerIds: [org.officerId], allegation: '测试' } }),
    expect: { discipline: 201, otherAgency: 403 },
  },
  {
    name: 'open a supervised case',
    operationId: 'openProcess',
    prepare: async () => ({
      method: 'POST',
      path: '/processes',
      body: { kind: 'supervised-case', title: '矩阵督办', unitId: org.unitId, officerId: org.officerId, dueOn: '2026-12-31', instructions: '报告' },
    }),
    // the city's leadership is not of DIST: the unit and officer are not theirs to assign
    expect: { leadership: 201, cityLeader: 400, otherAgency: 400 },
  },
  {
    name: 'red/yellow work list of the agency',
    operationId: 'listWork',
    prepare: async () => ({ method: 'GET', path: `/agencies/${org.agencyId}/processes`, query: { status: 'red' } }),
    expect: { leadership: 200, discipline: 200, legal: 200, cityLeader: 200 },
  },
  {
    name: 'work list of a department',
    operationId: 'listWork',
    prepare: async () => ({ method: 'GET', path: `/agencies/${org.agencyId}/processes`, query: { unitId: org.unitId } }),
    expect: { deptHead: 200, leadership: 200, discipline: 200, legal: 200, cityLeader: 200 },
  },
  {
    name: 'the agency file (A4)',
    operationId: 'agencyFile',
    prepare: async () => ({ method: 'GET', path: `/agencies/${org.agencyId}/archive` }),
    expect: { leadership: 200, discipline: 200, legal: 200, cityLeader: 200 },
  },
  {
    name: 'read a case',
    operationId: 'getCase',
    prepare: async () => ({ method: 'GET', path: `/cases/${await caseOf(false)}` }),
    expect: { officer: 200, deptHead: 200, leadership: 200, discipline: 200, legal: 200, cityLeader: 200 },
  },
  {
    name: 'record a step of a case (its officers, the department head)',
    operationId: 'recordCaseStep',
    prepare: async () => ({ method: 'POST', path: `/cases/${await caseOf(false)}/steps`, body: { step: 'investigation', on: '2026-11-02', evidence: '询问笔录' } }),
    expect: { officer: 200, deptHead: 200 },
  },
  {
    name: 'record the decision (the approver or the leadership)',
    operationId: 'recordCaseStep',
    prepare: async () => ({ method: 'POST', path: `/cases/${await caseOf(false)}/steps`, body: { step: 'decision', on: '2026-11-02', documentNumber: '矩阵决', measures: { fine: 100 } } }),
    expect: { leadership: 200 },
  },
  {
    name: 'record a review or litigation result (legal department)',
    operationId: 'recordCaseOutcome',
    prepare: async () => ({
      method: 'POST',
      path: `/cases/${await caseOf(true)}/outcomes`,
      body: { by: 'administrativeReview', result: 'upheld', decidedOn: '2026-11-02', documentNumber: '复决 1 号', decidedBy: '市人民政府' },
    }),
    expect: { legal: 200 },
  },
  {
    name: 'file a case (the handling department, leadership)',
    operationId: 'createCase',
    prepare: async () => ({
      method: 'POST',
      path: '/cases',
      body: {
        kind: 'inspection',
        title: '矩阵立案',
        caseNumber: `矩阵立〔2026〕${Math.floor(Math.random() * 1e6)}号`,
        unitId: org.unitId,
        filedOn: '2026-11-02',
        parties: [{ partyKind: 'organisation', name: '某公司' }],
        officers: [{ officerId: org.officerId, role: 'lead' }],
      },
    }),
    // the city's leadership and another root's: the unit is not theirs
    expect: { officer: 201, deptHead: 201, leadership: 201, cityLeader: 400, otherAgency: 400 },
  },
  {
    name: 'cases of the agency',
    operationId: 'listCases',
    prepare: async () => ({ method: 'GET', path: `/agencies/${org.agencyId}/cases` }),
    expect: { leadership: 200, discipline: 200, legal: 200, cityLeader: 200 },
  },
  {
    name: 'read an evidence record',
    operationId: 'getEvidence',
    prepare: async () => ({ method: 'GET', path: `/evidence/${await evidenceOf()}` }),
    expect: { officer: 200, deptHead: 200, leadership: 200, discipline: 200, legal: 200, cityLeader: 200 },
  },
  {
    name: 'upload URLs of a declared recording (its uploader only)',
    operationId: 'evidenceUploadUrls',
    prepare: async () => {
      const d = await post(org.claims.officer, '/evidence', {
        kind: 'patrol',
        title: '待上传',
        fileName: 'u.mp4',
        mediaType: 'video/mp4',
        size: 10,
        sha256: 'b'.repeat(64),
        capture: { officerId: org.officerId, deviceId: 'M-1', startedAt: h.clock.now().toISOString(), endedAt: h.clock.now().toISOString(), place: '某地' },
      });
      return { method: 'GET', path: `/evidence/${d.evidence.evidenceId}/upload` };
    },
    expect: { officer: 200 },
  },
  {
    name: 'complete an upload again (only the uploader may; an original is stored once)',
    operationId: 'completeEvidenceUpload',
    prepare: async () => ({ method: 'POST', path: `/evidence/${await evidenceOf()}/complete`, body: { parts: [{ partNumber: 1, etag: 'x' }] } }),
    expect: { officer: 409 },
  },
  {
    name: 'place a hold (anyone who may see the record: it only extends retention)',
    operationId: 'placeEvidenceHold',
    prepare: async () => ({ method: 'POST', path: `/evidence/${await evidenceOf()}/holds`, body: { reason: 'important' }, ifMatchOf: 'evidence' }),
    expect: { officer: 200, deptHead: 200, leadership: 200, discipline: 200, legal: 200, cityLeader: 200 },
  },
  {
    name: 'release a hold (D4 release approvers)',
    operationId: 'releaseEvidenceHold',
    prepare: async () => {
      const id = await evidenceOf();
      const r = await callRoute('POST', `/evidence/${id}/holds`, { claims: org.claims.officer, body: { reason: 'dispute' }, headers: { 'if-match': await etagOfEvidence(id) } });
      return { method: 'POST', path: `/evidence/${id}/holds/${r.json.holds[0].holdId}/release`, body: { note: '争议已解决' }, ifMatchOf: 'evidence' };
    },
    expect: { leadership: 200 },
  },
  {
    name: 'link to a case (its officers, the department head)',
    operationId: 'linkEvidenceToCase',
    prepare: async () => ({ method: 'POST', path: `/evidence/${await evidenceOf()}/case`, body: { caseId: await caseOf(false) }, ifMatchOf: 'evidence' }),
    expect: { officer: 200, deptHead: 200 },
  },
  {
    name: 'ask to view a recording',
    operationId: 'requestEvidenceView',
    prepare: async () => ({ method: 'POST', path: `/evidence/${await evidenceOf()}/view-requests`, body: { purpose: '复查', scope: 'view', days: 1 } }),
    expect: { officer: 201, deptHead: 201, leadership: 201, discipline: 201, legal: 201, cityLeader: 201 },
  },
  {
    name: 'approve a viewing request (D6 approvers, not one’s own)',
    operationId: 'decideEvidenceView',
    prepare: async () => {
      const id = await evidenceOf();
      const r = await post(org.claims.deptHead, `/evidence/${id}/view-requests`, { purpose: '复查', scope: 'view', days: 1 });
      return { method: 'POST', path: `/evidence/${id}/view-requests/${r.requestId}/decision`, body: { approve: true }, ifMatch: '"1"' };
    },
    expect: { leadership: 200 },
  },
  {
    name: 'play a recording (the holder of an approved grant only)',
    operationId: 'evidenceContent',
    prepare: async () => {
      const id = await evidenceOf();
      const r = await post(org.claims.deptHead, `/evidence/${id}/view-requests`, { purpose: '复查', scope: 'view', days: 1 });
      const ok = await callRoute('POST', `/evidence/${id}/view-requests/${r.requestId}/decision`, { claims: org.claims.leadership, body: { approve: true }, headers: { 'if-match': '"1"' } });
      expect(ok.status, ok.text).toBe(200);
      return { method: 'GET', path: `/evidence/${id}/content`, query: { grantId: r.requestId } };
    },
    expect: { deptHead: 200 },
  },
  {
    name: 'register a derived copy (the holder of a download grant only)',
    operationId: 'declareDerivedEvidence',
    prepare: async () => {
      const id = await evidenceOf();
      const r = await post(org.claims.deptHead, `/evidence/${id}/view-requests`, { purpose: '剪辑', scope: 'download', days: 1 });
      const ok = await callRoute('POST', `/evidence/${id}/view-requests/${r.requestId}/decision`, { claims: org.claims.leadership, body: { approve: true }, headers: { 'if-match': '"1"' } });
      expect(ok.status, ok.text).toBe(200);
      return {
        method: 'POST',
        path: `/evidence/${id}/derived`,
        body: { derivation: 'clip', grantId: r.requestId, title: '片段', fileName: 'c.mp4', mediaType: 'video/mp4', size: 10, sha256: 'c'.repeat(64) },
      };
    },
    expect: { deptHead: 201 },
  },
  {
    name: 'produce a copy for a court (legal department)',
    operationId: 'produceEvidenceCopy',
    prepare: async () => ({ method: 'POST', path: `/evidence/${await evidenceOf()}/copies`, body: { recipient: '法院', purpose: '举证', reference: '案号' } }),
    expect: { legal: 201 },
  },
  {
    name: 'the copy register',
    operationId: 'listEvidenceCopies',
    prepare: async () => ({ method: 'GET', path: `/evidence/${await evidenceOf()}/copies` }),
    expect: { officer: 200, deptHead: 200, leadership: 200, discipline: 200, legal: 200, cityLeader: 200 },
  },
  {
    name: 'propose the disposition of an expired recording (leadership, legal)',
    operationId: 'proposeEvidenceDisposition',
    prepare: async () => ({ method: 'POST', path: `/evidence/${await evidenceOf({ old: true })}/disposition` }),
    expect: { leadership: 201, legal: 201 },
  },
  {
    name: 'approve a disposition (leadership, legal)',
    operationId: 'approveEvidenceDisposition',
    prepare: async () => {
      const id = await evidenceOf({ old: true });
      await post(org.claims.legal, `/evidence/${id}/disposition`, undefined);
      return { method: 'POST', path: `/evidence/${id}/disposition/approvals`, ifMatch: '"1"' };
    },
    expect: { leadership: 200, legal: 200 },
  },
  {
    name: 'the BagIt package of a closed case',
    operationId: 'getCasePackage',
    prepare: async () => ({ method: 'GET', path: `/cases/${await packagedCase()}/package` }),
    expect: { leadership: 200, discipline: 200, legal: 200, cityLeader: 200 },
  },
  {
    name: 'export a package for a court (legal department, D5)',
    operationId: 'exportCasePackage',
    prepare: async () => ({ method: 'GET', path: `/cases/${await packagedCase()}/package/export`, query: { recipient: '青山区人民法院', purpose: '行政诉讼举证' } }),
    expect: { legal: 200 },
  },
  {
    name: 'fixity checks of a recording',
    operationId: 'evidenceFixity',
    prepare: async () => ({ method: 'GET', path: `/evidence/${await evidenceOf()}/fixity` }),
    expect: { officer: 200, deptHead: 200, leadership: 200, discipline: 200, legal: 200, cityLeader: 200 },
  },
  {
    name: 'publish a year of the calendar (root agency’s administrator)',
    operationId: 'publishCalendarYear',
    prepare: async () => ({
      method: 'PUT',
      path: `/calendar/years/${2030 + Math.floor(Math.random() * 60)}`,
      body: { notice: { title: '测试', number: '测试〔1〕1号', publishedOn: '2026-11-01' }, holidays: [{ name: '元旦', dates: ['2090-01-01'] }], makeupWorkdays: [] },
    }),
    // the date check runs after authorisation: the administrator gets a 400 for 2090-01-01 outside the year
    expect: { cityAdmin: 400, otherAgency: 403 },
  },
  {
    name: 'add a local closure (the agency’s administrator)',
    operationId: 'addClosure',
    prepare: async () => ({ method: 'POST', path: `/agencies/${org.agencyId}/closures`, body: { date: `2026-12-${String(1 + Math.floor(Math.random() * 28)).padStart(2, '0')}`, reason: '停电' } }),
    expect: { sysAdmin: 201, cityAdmin: 403, otherAgency: 403 },
  },
];

beforeAll(async () => {
  await freshTable('pmatrix');
  h = processHarness('2026-11-02T10:00:00.000+08:00');
  org = await buildFixtureOrg();
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe('process and case authorisation matrix', () => {
  it('every process-, case- and evidence-scoped route has a row', () => {
    const covered = new Set(ROWS.map((r) => r.operationId));
    const missing = ROUTES.filter((r) => (r.scope === 'process' || r.scope === 'case' || r.scope === 'evidence') && !covered.has(r.operationId)).map((r) => r.operationId);
    expect(missing).toEqual([]);
  });

  for (const row of ROWS) {
    it(row.name, async () => {
      const got: Partial<Record<Caller, number>> = {};
      const want: Partial<Record<Caller, number>> = {};
      for (const c of CALLERS) {
        const req = await row.prepare();
        const headers: Record<string, string> = { 'idempotency-key': idempotencyKey('mx') };
        // state-changing routes on a process or a case carry the record's current ETag
        const record = /^\/(processes|cases)\/[^/]+(?=\/(actions|steps|outcomes)$)/.exec(req.path);
        if (record) headers['if-match'] = (await callRoute('GET', record[0], { claims: org.claims.leadership })).headers.etag!;
        if (req.ifMatch) headers['if-match'] = req.ifMatch;
        if (req.ifMatchOf) headers['if-match'] = await etagOfEvidence(/^\/evidence\/([^/]+)/.exec(req.path)![1]!);
        const r = await callRoute(req.method, req.path, { claims: claimsOf(c), body: req.body, query: req.query, headers });
        got[c] = r.status;
        want[c] = expected(row, c);
      }
      await h.settle();
      expect(got).toEqual(want);
    });
  }
});
