/**
 * The authorisation matrix (in the style of AWS's Digital Evidence Archive): every object-scoped
 * route × every kind of caller → the expected status. A route in shared/api/routes.ts with scope
 * 'file' (or in the audit group) and no row here fails the build; so does a row whose outcome changes.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#shared/api/routes.ts';
import { documentClient, tableName } from '#shared/adapters/dynamodb/client.ts';
import { sha256Hex } from '#shared/kernel/hash.ts';
import { callRoute, freshTable, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, type FixtureOrg } from '../support/fixture-org.ts';

const CALLERS = [
  'officer',
  'deptHead',
  'otherHead',
  'leadership',
  'discipline',
  'recorder',
  'political',
  'auditor',
  'cityAuditor',
  'otherAuditor',
  'otherAgency',
  'expiredGrant',
  'sysAdmin',
  'noToken',
] as const;
type Caller = (typeof CALLERS)[number];

interface Request {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Row {
  /** the route's operationId when the row's key is not one (a second row for a route) */
  route?: string;
  /** builds a fresh request (fresh records where the route changes state) */
  prepare: () => Promise<Request>;
  expect: Record<Caller, number>;
}

let org: FixtureOrg;
let n = 0;
const key = () => `matrix-${Date.now()}-${++n}`;
const claimsOf = (c: Caller): Claims | undefined => (c === 'noToken' ? undefined : org.claims[c]);

const call = (c: Caller, method: string, r: Request) =>
  callRoute(method, r.path, {
    claims: claimsOf(c),
    body: r.body,
    headers: { 'idempotency-key': key(), ...(r.headers ?? {}) },
  });

// Expectations by pattern: R = read (A8 readers), none = nobody in the table may.
// The designated recorder is no A8 reader: it works on entries in the A6 workflow (W), not on the archive.
const R = {
  officer: 200,
  deptHead: 200,
  otherHead: 403,
  leadership: 200,
  discipline: 200,
  recorder: 403,
  political: 200,
  auditor: 403,
  cityAuditor: 403,
  otherAuditor: 404,
  otherAgency: 404,
  expiredGrant: 403,
  sysAdmin: 403,
  noToken: 401,
};
const W = { ...R, recorder: 200 };
const only = (who: Partial<Record<Caller, number>>): Record<Caller, number> => ({
  officer: 403,
  deptHead: 403,
  otherHead: 403,
  leadership: 403,
  discipline: 403,
  recorder: 403,
  political: 403,
  auditor: 403,
  cityAuditor: 403,
  otherAuditor: 404,
  otherAgency: 404,
  expiredGrant: 403,
  sysAdmin: 403,
  noToken: 401,
  ...who,
});
/**
 * the audit desk: the agency's own auditor and the auditor of a superior agency (read-only); 三员分立
 * keeps every other role out (403 whatever agency is named: it tells nothing about the agency)
 */
const AUDITORS = only({ auditor: 200, cityAuditor: 200, otherAgency: 403 });

const training = (title = '执法培训') => ({ type: 'training', occurredOn: '2026-03-01', title, content: { course: '行政处罚法', hours: 8, result: 'passed' } });
const sanction = () => ({
  type: 'sanction',
  occurredOn: '2026-04-01',
  title: '警告处分',
  content: { sanction: 'warning', decision: { documentNumber: '纪决〔2026〕1号', decidedOn: '2026-04-01', decidedBy: '局党组' } },
});

/** a draft by the officer, advanced to `state` */
const draftIn = async (state: 'draft' | 'underReview' | 'approved' | 'notified', body: unknown = training()) => {
  const o = org.officerId;
  const d = await callRoute('POST', `/officers/${o}/file/drafts`, { claims: org.claims.officer, body, headers: { 'idempotency-key': key() } });
  expect(d.status).toBe(201);
  let etag = d.headers.etag!;
  const id = d.json.entryId as string;
  if (state === 'draft') return { id, etag };
  const s = await callRoute('POST', `/officers/${o}/file/drafts/${id}/submit`, { claims: org.claims.officer, headers: { 'if-match': etag } });
  etag = s.headers.etag!;
  if (state === 'underReview') return { id, etag };
  const a = await callRoute('POST', `/officers/${o}/file/drafts/${id}/review`, { claims: org.claims.deptHead, body: { decision: 'approve' }, headers: { 'if-match': etag } });
  return { id, etag: a.headers.etag! };
};

const requestedGrant = async (by: Claims) => {
  const g = await callRoute('POST', `/officers/${org.officerId}/file/grants`, {
    claims: by,
    body: { purpose: '案件复查需要', actions: ['file.read'], days: 5 },
    headers: { 'idempotency-key': key() },
  });
  expect(g.status).toBe(201);
  return { id: g.json.grantId as string, etag: g.headers.etag! };
};

const uploadedAttachment = async () => {
  const bytes = Buffer.from(`附件 ${key()}`);
  const sha256 = sha256Hex(bytes);
  const a = await callRoute('POST', `/officers/${org.officerId}/file/attachments`, {
    claims: org.claims.officer,
    body: { fileName: '证明.txt', contentType: 'text/plain', size: bytes.length, sha256 },
    headers: { 'idempotency-key': key() },
  });
  expect(a.status).toBe(201);
  const put = await fetch(a.json.upload.url, { method: 'PUT', headers: a.json.upload.headers, body: bytes });
  expect(put.status).toBe(200);
  return a.json.attachment.attachmentId as string;
};

const file = () => `/officers/${org.officerId}`;

/** an entry of the officer's file (drafted by the recorder, approved, entered): its draft record is archived */
let archived: string | undefined;
const archivedEntry = async () => {
  if (archived) return archived;
  const o = org.officerId;
  const d = await callRoute('POST', `/officers/${o}/file/drafts`, { claims: org.claims.recorder, body: training('记录员录入的培训'), headers: { 'idempotency-key': key() } });
  const s = await callRoute('POST', `/officers/${o}/file/drafts/${d.json.entryId}/submit`, { claims: org.claims.recorder, headers: { 'if-match': d.headers.etag! } });
  const a = await callRoute('POST', `/officers/${o}/file/drafts/${d.json.entryId}/review`, { claims: org.claims.deptHead, body: { decision: 'approve' }, headers: { 'if-match': s.headers.etag! } });
  const e = await callRoute('POST', `/officers/${o}/file/drafts/${d.json.entryId}/archive`, { claims: org.claims.recorder, headers: { 'if-match': a.headers.etag! } });
  expect(e.status, e.text).toBe(201);
  archived = d.json.entryId as string;
  return archived;
};

const MATRIX: Record<string, Row> = {
  getOfficer: { prepare: async () => ({ path: file() }), expect: R },
  listQualifications: { prepare: async () => ({ path: `${file()}/qualifications` }), expect: R },
  issueQualification: {
    prepare: async () => ({
      path: `${file()}/qualifications`,
      body: { certificateNumber: `ZF-${key()}`.slice(0, 60), certificateType: '行政执法证', issuedOn: '2026-02-01', issuedBy: '市人民政府', trainingCompleted: true, examPassed: true },
    }),
    expect: only({ political: 201 }),
  },
  recordQualificationEvent: {
    prepare: async () => {
      const q = await callRoute('GET', `${file()}/qualifications`, { claims: org.claims.political });
      const first = q.json.items.find((x: { certificateNumber: string }) => x.certificateNumber === org.certificateNumber);
      return { path: `${file()}/qualifications/${first.qualificationId}/events`, body: { event: 'inspected', on: '2026-06-01', passed: true }, headers: { 'if-match': `"${first.version}"` } };
    },
    expect: only({ political: 200 }),
  },
  getFile: { prepare: async () => ({ path: `${file()}/file` }), expect: R },
  officerRecordKeeping: { prepare: async () => ({ path: `${file()}/record-keeping?year=2026` }), expect: R },
  listEntries: { prepare: async () => ({ path: `${file()}/file/entries` }), expect: R },
  getEntry: { prepare: async () => ({ path: `${file()}/file/entries/1` }), expect: R },
  verifyFile: { prepare: async () => ({ path: `${file()}/file/verify` }), expect: R },
  listDrafts: { prepare: async () => ({ path: `${file()}/file/drafts` }), expect: W },
  createDraft: { prepare: async () => ({ path: `${file()}/file/drafts`, body: training() }), expect: only({ officer: 201, recorder: 201 }) },
  createHandover: {
    prepare: async () => ({
      path: `${file()}/file/handovers`,
      body: {
        entry: sanction(),
        handover: { fromDepartment: 'discipline', confirmedBy: '纪检组', leaderSignature: '组长', sealed: true, documentNumber: '纪移〔2026〕3号', relatesToEnforcement: true },
      },
    }),
    expect: only({ discipline: 201 }),
  },
  getDraft: { prepare: async () => ({ path: `${file()}/file/drafts/${(await draftIn('draft')).id}` }), expect: W },
  // an entry already in the file is the archive: A8 readers only, not the recorder who entered it
  getArchivedDraft: { route: 'getDraft', prepare: async () => ({ path: `${file()}/file/drafts/${await archivedEntry()}` }), expect: R },
  updateDraft: {
    prepare: async () => {
      const d = await draftIn('draft');
      return { path: `${file()}/file/drafts/${d.id}`, body: training('改后的标题'), headers: { 'if-match': d.etag } };
    },
    // the recorder may draft in the file, but only the author edits a draft
    expect: only({ officer: 200 }),
  },
  submitDraft: {
    prepare: async () => {
      const d = await draftIn('draft');
      return { path: `${file()}/file/drafts/${d.id}/submit`, headers: { 'if-match': d.etag } };
    },
    expect: only({ officer: 200 }),
  },
  reviewDraft: {
    prepare: async () => {
      const d = await draftIn('underReview');
      return { path: `${file()}/file/drafts/${d.id}/review`, body: { decision: 'approve' }, headers: { 'if-match': d.etag } };
    },
    expect: only({ deptHead: 200 }),
  },
  acknowledgeDraft: {
    prepare: async () => {
      const d = await draftIn('notified', sanction());
      return { path: `${file()}/file/drafts/${d.id}/acknowledge`, body: {}, headers: { 'if-match': d.etag } };
    },
    expect: only({ officer: 200 }),
  },
  archiveDraft: {
    prepare: async () => {
      const d = await draftIn('approved');
      return { path: `${file()}/file/drafts/${d.id}/archive`, headers: { 'if-match': d.etag } };
    },
    expect: only({ recorder: 201 }),
  },
  transferFile: {
    prepare: async () => {
      // a fresh officer each time, so that a successful transfer does not change the fixture
      const o = await org.newOfficerWithFile();
      return { path: `/officers/${o}/file/transfers`, body: { kind: 'transfer', toAgencyId: org.agencyId, toUnitId: org.otherUnitId, effectiveOn: '2026-07-01', reason: '工作需要' } };
    },
    expect: only({ political: 201 }),
  },
  reviewQueue: {
    prepare: async () => ({ path: `/units/${org.unitId}/queue` }),
    expect: {
      ...only({ deptHead: 200, recorder: 200 }),
      otherHead: 404,
      leadership: 404,
      discipline: 404,
      political: 404,
      officer: 404,
      auditor: 404,
      cityAuditor: 404,
      expiredGrant: 404,
      sysAdmin: 404,
    },
  },
  createAttachment: {
    prepare: async () => ({ path: `${file()}/file/attachments`, body: { fileName: 'a.pdf', contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) } }),
    expect: only({ officer: 201, recorder: 201 }),
  },
  getAttachment: { prepare: async () => ({ path: `${file()}/file/attachments/${await uploadedAttachment()}` }), expect: R },
  verifyAttachment: { prepare: async () => ({ path: `${file()}/file/attachments/${await uploadedAttachment()}/verify` }), expect: only({ officer: 200, recorder: 200 }) },
  requestGrant: {
    prepare: async () => ({ path: `${file()}/file/grants`, body: { purpose: '核查举报线索', actions: ['file.read'], days: 3 } }),
    expect: {
      ...only({}),
      officer: 201,
      deptHead: 201,
      otherHead: 201,
      leadership: 201,
      discipline: 201,
      recorder: 201,
      political: 201,
      auditor: 201,
      cityAuditor: 201,
      expiredGrant: 201,
      sysAdmin: 201,
    },
  },
  listGrants: { prepare: async () => ({ path: `${file()}/file/grants` }), expect: only({ leadership: 200, political: 200 }) },
  decideGrant: {
    prepare: async () => {
      const g = await requestedGrant(org.claims.otherOfficer);
      return { path: `${file()}/file/grants/${g.id}/decision`, body: { decision: 'approve', days: 2 }, headers: { 'if-match': g.etag } };
    },
    expect: only({ leadership: 200, political: 200 }),
  },
  revokeGrant: {
    prepare: async () => {
      const g = await requestedGrant(org.claims.otherOfficer);
      return { path: `${file()}/file/grants/${g.id}/revoke`, body: { reason: '用途已完成' }, headers: { 'if-match': g.etag } };
    },
    expect: only({ leadership: 200, political: 200 }),
  },
  // the audit desk of DIST, read by its own auditor and by the auditor of CITY above it
  queryAudit: { prepare: async () => ({ path: `/audit?agencyId=${org.agencyId}&limit=5` }), expect: AUDITORS },
  exportAudit: { prepare: async () => ({ path: `/audit/export.csv?agencyId=${org.agencyId}` }), expect: AUDITORS },
  verifyAudit: { prepare: async () => ({ path: `/audit/verify?agencyId=${org.agencyId}` }), expect: AUDITORS },
  // the audit shard count of the caller's OWN agency (docs/scale.md): its 系统管理员 only; the agency comes from
  // the token, so OTHER's callers are refused (403) without learning anything of DIST
  getAuditShards: { prepare: async () => ({ path: '/audit/shards' }), expect: only({ sysAdmin: 200, otherAuditor: 403, otherAgency: 403 }) },
  raiseAuditShards: {
    prepare: async () => {
      const now = await callRoute('GET', '/audit/shards', { claims: org.claims.sysAdmin });
      return { path: '/audit/shards', body: { shards: now.json.shards + 1, reason: '授权矩阵' } };
    },
    expect: only({ sysAdmin: 200, otherAuditor: 403, otherAgency: 403 }),
  },
};

const METHOD = new Map(ROUTES.map((r) => [r.operationId, r.method]));

describe('authorisation matrix: every object-scoped route × caller', () => {
  beforeAll(async () => {
    await freshTable('matrix');
    org = await buildFixtureOrg();
    // the expired grant: approved in the past, now expired (time has passed)
    const g = await requestedGrant(org.claims.expiredGrant!);
    const ok = await callRoute('POST', `${file()}/file/grants/${g.id}/decision`, { claims: org.claims.leadership, body: { decision: 'approve', days: 1 }, headers: { 'if-match': g.etag } });
    expect(ok.status).toBe(200);
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `FILE#${org.officerId}`, sk: `G#${g.id}` },
        UpdateExpression: 'SET #r.expiresAt = :past',
        ExpressionAttributeNames: { '#r': 'record' },
        ExpressionAttributeValues: { ':past': '2026-01-01T00:00:00.000+08:00' },
      }),
    );
  });

  it('has a row for every object-scoped route and every audit route, and only for routes that exist', () => {
    const scoped = ROUTES.filter((r) => r.scope === 'file' || r.operationId === 'reviewQueue' || r.group === 'audit')
      .map((r) => r.operationId)
      .sort();
    expect([...new Set(Object.entries(MATRIX).map(([k, row]) => row.route ?? k))].sort()).toEqual(scoped);
  });

  for (const [name, row] of Object.entries(MATRIX)) {
    const operationId = row.route ?? name;
    it(`${name}`, async () => {
      const got: Partial<Record<Caller, number>> = {};
      for (const c of CALLERS) {
        const r = await call(c, METHOD.get(operationId)!, await row.prepare());
        got[c] = r.status;
        if (r.status >= 400) expect(r.headers['content-type'], `${operationId} ${c}`).toMatch(/problem\+json/);
      }
      expect(got).toEqual(row.expect);
    });
  }
});
