/**
 * The officer file end to end on the embedded services (DynamoDB Local + s3rver), through the
 * same router and handlers as `npm start`: the A6 workflow, the chain, timeline queries, A5
 * transfers, A7 hand-over, attachments, grants, rules as data, certificates, audit, and errors.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClient } from '#shared/adapters/dynamodb/client.ts';
import { sha256Hex } from '#shared/kernel/hash.ts';
import { handler as attachmentArrived } from '#functions/events/attachment-arrived.ts';
import { buildFixtureOrg, type FixtureOrg } from '../support/fixture-org.ts';
import { callRoute, freshTable, objectCreatedEvent, s3Client, type Claims } from '../support/platform.ts';

let org: FixtureOrg;
let n = 0;
const key = () => `it-${Date.now()}-${++n}`;
const api = (method: string, path: string, claims: Claims | undefined, body?: unknown, headers: Record<string, string> = {}) =>
  callRoute(method, path, { claims, body, headers: { 'idempotency-key': key(), ...headers } });
const F = () => `/officers/${org.officerId}/file`;

const training = (title: string, occurredOn = '2026-03-01') => ({ type: 'training', occurredOn, title, content: { course: title, hours: 4, result: 'passed' } });

/** draft → submit → approve (→ acknowledge) → archive; returns the archived link */
const archived = async (body: unknown, who: { author?: Claims } = {}) => {
  const author = who.author ?? org.claims.officer;
  const d = await api('POST', `${F()}/drafts`, author, body);
  expect(d.status, d.text).toBe(201);
  const s = await api('POST', `${F()}/drafts/${d.json.entryId}/submit`, author, undefined, { 'if-match': d.headers.etag! });
  expect(s.status, s.text).toBe(200);
  const r = await api('POST', `${F()}/drafts/${d.json.entryId}/review`, org.claims.deptHead, { decision: 'approve' }, { 'if-match': s.headers.etag! });
  expect(r.status, r.text).toBe(200);
  let etag = r.headers.etag!;
  if (r.json.state === 'notified') {
    const a = await api('POST', `${F()}/drafts/${d.json.entryId}/acknowledge`, org.claims.officer, {}, { 'if-match': etag });
    expect(a.json.state).toBe('acknowledged');
    etag = a.headers.etag!;
  }
  const ar = await api('POST', `${F()}/drafts/${d.json.entryId}/archive`, org.claims.recorder, undefined, { 'if-match': etag });
  expect(ar.status, ar.text).toBe(201);
  return ar.json;
};

beforeAll(async () => {
  await freshTable('file');
  org = await buildFixtureOrg();
});

describe('opening the file (A5) and certificates (E1, E2)', () => {
  it('issuing the first certificate opened the file with an opening link and a certificate link', async () => {
    const tl = await api('GET', `${F()}/entries`, org.claims.officer);
    const types = tl.json.items.map((e: { type: string }) => e.type);
    expect(types).toContain('fileOpened');
    expect(types).toContain('qualification');
    const f = await api('GET', F(), org.claims.deptHead);
    expect(f.json).toMatchObject({ opened: true, custody: { agencyId: org.agencyId, unitId: org.unitId, holder: 'unit' }, accessBasis: 'deptHead' });
  });
  it('E1: refuses a certificate to contract staff, with a field-level Chinese error', async () => {
    const o = await api('POST', '/officers', org.claims.sysAdmin, { name: '合同工', staffNumber: 'C-1', agencyId: org.agencyId, unitId: org.unitId, post: '协管员', employment: 'contract' });
    const q = await api('POST', `/officers/${o.json.officerId}/qualifications`, org.claims.political, {
      certificateNumber: 'ZF-C1',
      certificateType: '行政执法证',
      issuedOn: '2026-01-05',
      issuedBy: '市政府',
      trainingCompleted: true,
      examPassed: true,
    });
    expect(q.status).toBe(400);
    expect(q.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(q.json.errors[0].message).toMatch(/合同工/);
    // no file was opened
    expect((await api('GET', `/officers/${o.json.officerId}/file`, org.claims.leadership)).json.opened).toBe(false);
  });
  it('E2: the third temporary withdrawal revokes the certificate, each event recorded in the file', async () => {
    const id = await org.newOfficerWithFile();
    const list = await api('GET', `/officers/${id}/qualifications`, org.claims.political);
    let q = list.json.items[0];
    const event = async (body: unknown) => {
      const r = await api('POST', `/officers/${id}/qualifications/${q.qualificationId}/events`, org.claims.political, body, { 'if-match': `"${q.version}"` });
      expect(r.status, r.text).toBe(200);
      q = r.json;
    };
    for (let i = 1; i <= 3; i++) {
      await event({ event: 'withdrawn', on: `2026-0${i + 1}-01`, reason: '违规执法' });
      if (i < 3) await event({ event: 'restored', on: `2026-0${i + 1}-10` });
    }
    expect(q).toMatchObject({ status: 'revoked', revokedReason: 'repeatedWithdrawal', withdrawalCount: 3 });
    const stale = await api('POST', `/officers/${id}/qualifications/${q.qualificationId}/events`, org.claims.political, { event: 'restored', on: '2026-05-01' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    const tl = await api('GET', `/officers/${id}/file/entries`, org.claims.political, undefined);
    expect(tl.json.items.filter((e: { type: string }) => e.type === 'qualification').length).toBe(1 + 5 + 1);
  });
});

describe('the A6 recording workflow and the chain', () => {
  it('records an ordinary entry through review and entry; the chain verifies', async () => {
    const link = await archived(training('行政处罚法培训'));
    expect(link).toMatchObject({ type: 'training', category: 'basic', officerId: org.officerId });
    expect(link.hash).toMatch(/^[0-9a-f]{64}$/);
    const v = await api('GET', `${F()}/verify`, org.claims.officer);
    expect(v.json).toMatchObject({ ok: true, headSeq: link.seq });
  });
  it('a conclusive document is notified to the officer and waits for the acknowledgement (A6)', async () => {
    const d = await api('POST', `${F()}/drafts`, org.claims.recorder, {
      type: 'commendation',
      occurredOn: '2026-05-04',
      title: '年度嘉奖',
      content: { level: '局级', decision: { documentNumber: '司发〔2026〕8号', decidedOn: '2026-05-04', decidedBy: '局党组' } },
    });
    const s = await api('POST', `${F()}/drafts/${d.json.entryId}/submit`, org.claims.recorder, undefined, { 'if-match': d.headers.etag! });
    const r = await api('POST', `${F()}/drafts/${d.json.entryId}/review`, org.claims.deptHead, { decision: 'approve' }, { 'if-match': s.headers.etag! });
    expect(r.json).toMatchObject({ state: 'notified', conclusive: true, ruleVersions: { A6: 'A6-default-1' } });
    const early = await api('POST', `${F()}/drafts/${d.json.entryId}/archive`, org.claims.recorder, undefined, { 'if-match': r.headers.etag! });
    expect(early.status).toBe(409);
    expect(early.json.detail).toMatch(/待本人知悉/);
  });
  it('rejection ends the draft with the reason; the rejected draft cannot be archived', async () => {
    const d = await api('POST', `${F()}/drafts`, org.claims.officer, training('自报培训'));
    const s = await api('POST', `${F()}/drafts/${d.json.entryId}/submit`, org.claims.officer, undefined, { 'if-match': d.headers.etag! });
    const r = await api('POST', `${F()}/drafts/${d.json.entryId}/review`, org.claims.deptHead, { decision: 'reject', reason: '缺少培训证明' }, { 'if-match': s.headers.etag! });
    expect(r.json.state).toBe('rejected');
    expect(r.json.history.at(-1)).toMatchObject({ event: 'reject', comment: '缺少培训证明' });
    expect((await api('POST', `${F()}/drafts/${d.json.entryId}/archive`, org.claims.recorder, undefined, { 'if-match': r.headers.etag! })).status).toBe(409);
  });
  it('optimistic concurrency: a stale ETag is 409, a missing If-Match is 428', async () => {
    const d = await api('POST', `${F()}/drafts`, org.claims.officer, training('草稿'));
    const ok = await api('PUT', `${F()}/drafts/${d.json.entryId}`, org.claims.officer, training('草稿（改）'), { 'if-match': d.headers.etag! });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    const stale = await api('PUT', `${F()}/drafts/${d.json.entryId}`, org.claims.officer, training('又改'), { 'if-match': d.headers.etag! });
    expect(stale.status).toBe(409);
    expect((await api('POST', `${F()}/drafts/${d.json.entryId}/submit`, org.claims.officer)).status).toBe(428);
  });
  it('a correction is a new entry referencing the old one, which never changes', async () => {
    const first = await archived(training('错写的培训', '2026-02-02'));
    const fix = await archived({ ...training('更正：培训课时', '2026-02-02'), corrects: first.seq });
    expect(fix.corrects).toBe(first.seq);
    const old = await api('GET', `${F()}/entries/${first.seq}`, org.claims.officer);
    expect(old.json).toEqual(first);
    const bad = await api('POST', `${F()}/drafts`, org.claims.officer, { ...training('x'), corrects: 999999 });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('body.corrects');
  });
  it('idempotent create: a retry replays the first answer; the same key for another request is 409', async () => {
    const k = key();
    const a = await callRoute('POST', `${F()}/drafts`, { claims: org.claims.officer, body: training('重试'), headers: { 'idempotency-key': k } });
    const b = await callRoute('POST', `${F()}/drafts`, { claims: org.claims.officer, body: training('重试'), headers: { 'idempotency-key': k } });
    expect(b.status).toBe(201);
    expect(b.json.entryId).toBe(a.json.entryId);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const c = await callRoute('POST', `${F()}/drafts`, { claims: org.claims.officer, body: training('别的'), headers: { 'idempotency-key': k } });
    expect(c.status).toBe(409);
    const none = await callRoute('POST', `${F()}/drafts`, { claims: org.claims.officer, body: training('无键') });
    expect(none.status).toBe(400);
  });
});

describe('timeline queries', () => {
  it('whole file newest first, by category, by period, paginated without loss', async () => {
    for (const [i, day] of ['2025-06-01', '2025-07-01', '2025-08-01'].entries()) await archived(training(`历史培训${i}`, day));
    await archived({ type: 'workSummary', occurredOn: '2025-12-31', title: '年度工作总结', content: { period: '2025年', body: '全年办理案件……' } });
    const all = await api('GET', `${F()}/entries?limit=500`, org.claims.officer);
    const dates = all.json.items.map((e: { occurredOn: string }) => e.occurredOn);
    expect(dates).toEqual([...dates].sort().reverse());
    const work = await api('GET', `${F()}/entries?category=work`, org.claims.officer);
    expect(work.json.items.map((e: { type: string }) => e.type)).toEqual(['workSummary']);
    const period = await api('GET', `${F()}/entries?from=2025-06-15&to=2025-08-01`, org.claims.officer);
    expect(period.json.items.map((e: { title: string }) => e.title)).toEqual(['历史培训2', '历史培训1']);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await api('GET', `${F()}/entries?limit=2${cursor ? `&cursor=${cursor}` : ''}`, org.claims.officer);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items.map((e: { seq: number }) => e.seq));
      cursor = page.json.cursor;
    } while (cursor);
    expect(seen.sort((a, b) => a - b)).toEqual(all.json.items.map((e: { seq: number }) => e.seq).sort((a: number, b: number) => a - b));
    const forged = await api('GET', `${F()}/entries?cursor=${Buffer.from(JSON.stringify({ pk: 'FILE#x', sk: 'y', gsi1pk: 'FILE#other', gsi1sk: 'z' })).toString('base64url')}`, org.claims.officer);
    expect(forged.status).toBe(400);
  });
});

describe('transfer (档随人走, A5): access follows custody', () => {
  it('moves custody to another department with a custody link; the old head loses access, the new one gains it', async () => {
    const id = await org.newOfficerWithFile();
    expect((await api('GET', `/officers/${id}/file`, org.claims.deptHead)).status).toBe(200);
    expect((await api('GET', `/officers/${id}/file`, org.claims.otherHead)).status).toBe(403);
    const t = await api('POST', `/officers/${id}/file/transfers`, org.claims.political, {
      kind: 'transfer',
      toAgencyId: org.agencyId,
      toUnitId: org.otherUnitId,
      effectiveOn: '2026-08-01',
      reason: '岗位轮换',
    });
    expect(t.status, t.text).toBe(201);
    expect(t.json.custodyEntry).toMatchObject({ type: 'custodyTransfer', category: 'custody', content: { from: { unitId: org.unitId }, to: { unitId: org.otherUnitId } } });
    expect((await api('GET', `/officers/${id}/file`, org.claims.deptHead)).status).toBe(403);
    expect((await api('GET', `/officers/${id}/file`, org.claims.otherHead)).status).toBe(200);
    const custody = await api('GET', `/officers/${id}/file/entries?category=custody`, org.claims.otherHead);
    expect(custody.json.items.map((e: { type: string }) => e.type)).toEqual(['custodyTransfer', 'fileOpened']);
  });
  it('leaving enforcement hands the file to personnel; no new work entries, the chain stays intact', async () => {
    const id = await org.newOfficerWithFile();
    const t = await api('POST', `/officers/${id}/file/transfers`, org.claims.political, { kind: 'leaveEnforcement', effectiveOn: '2026-09-01', reason: '调任非执法岗位' });
    expect(t.status).toBe(201);
    expect((await api('GET', `/officers/${id}/file`, org.claims.deptHead)).status).toBe(403);
    const p = await api('GET', `/officers/${id}/file`, org.claims.personnel);
    expect(p.json.custody).toEqual({ agencyId: org.agencyId, holder: 'personnel' });
    expect((await api('GET', `/officers/${id}/file/verify`, org.claims.personnel)).json.ok).toBe(true);
    const again = await api('POST', `/officers/${id}/file/transfers`, org.claims.political, { kind: 'leaveEnforcement', effectiveOn: '2026-09-02', reason: '重复' });
    expect(again.status).toBe(409);
  });
});

describe('hand-over from other departments (A7)', () => {
  it('discipline hands over a sealed, signed conclusion; it is reviewed, acknowledged and archived with its receipt', async () => {
    const h = await api('POST', `${F()}/handovers`, org.claims.discipline, {
      entry: {
        type: 'sanction',
        occurredOn: '2026-06-06',
        title: '警告处分',
        content: { sanction: 'warning', decision: { documentNumber: '纪决〔2026〕2号', decidedOn: '2026-06-06', decidedBy: '纪检组' } },
      },
      handover: { fromDepartment: 'discipline', confirmedBy: '纪检组', leaderSignature: '组长签字', sealed: true, documentNumber: '纪移〔2026〕2号', relatesToEnforcement: true },
    });
    expect(h.status, h.text).toBe(201);
    expect(h.json.handover).toMatchObject({ fromDepartment: 'discipline', sealed: true, receipt: { receivedBy: 'dist-discipline' } });
    const unsealed = await api('POST', `${F()}/handovers`, org.claims.discipline, {
      entry: training('x'),
      handover: { fromDepartment: 'discipline', confirmedBy: 'a', leaderSignature: 'b', sealed: false, documentNumber: 'c', relatesToEnforcement: true },
    });
    expect(unsealed.status).toBe(400);
    expect(unsealed.json.errors[0]).toMatchObject({ path: 'body.handover.sealed', message: '移交材料须加盖公章' });
    const s = await api('POST', `${F()}/drafts/${h.json.entryId}/submit`, org.claims.discipline, undefined, { 'if-match': h.headers.etag! });
    expect(s.status, s.text).toBe(200);
  });
});

describe('attachments: direct upload with the client SHA-256, verified on arrival', () => {
  const upload = async (bytes: Buffer, declared = sha256Hex(bytes)) => {
    const a = await api('POST', `${F()}/attachments`, org.claims.officer, { fileName: '培训证书.pdf', contentType: 'application/pdf', size: bytes.length, sha256: declared });
    expect(a.status, a.text).toBe(201);
    expect(a.json.upload.headers['x-amz-checksum-sha256']).toBe(Buffer.from(declared, 'hex').toString('base64'));
    const put = await fetch(a.json.upload.url, { method: 'PUT', headers: a.json.upload.headers, body: bytes });
    expect(put.status).toBe(200);
    return a.json.attachment;
  };
  it('the S3 event verifies a matching upload; the entry archives with the attachment hash', async () => {
    const bytes = Buffer.from('%PDF-1.7 培训证书');
    const att = await upload(bytes);
    await attachmentArrived(objectCreatedEvent({ bucket: process.env.BUCKET_NAME!, key: att.key, size: bytes.length, eTag: 'x' }) as never);
    const got = await api('GET', `${F()}/attachments/${att.attachmentId}`, org.claims.deptHead);
    expect(got.json.attachment.status).toBe('verified');
    expect(got.json.downloadUrl).toMatch(/^http/);
    const link = await archived({ ...training('带附件的培训'), attachmentIds: [att.attachmentId] });
    expect(link.attachments).toEqual([{ attachmentId: att.attachmentId, fileName: '培训证书.pdf', sha256: sha256Hex(bytes), size: bytes.length }]);
  });
  it('a body that does not match the declared hash is marked mismatch and cannot be archived', async () => {
    const bytes = Buffer.from('真正的内容');
    const declared = sha256Hex(Buffer.from('声明的内容'));
    const a = await api('POST', `${F()}/attachments`, org.claims.officer, { fileName: '培训证书.pdf', contentType: 'application/pdf', size: bytes.length, sha256: declared });
    // the presigned PUT carries the declared SHA-256: S3 refuses the body (400 BadDigest)
    expect((await fetch(a.json.upload.url, { method: 'PUT', headers: a.json.upload.headers, body: bytes })).status).toBe(400);
    // only a write that bypasses the URL (a credential with s3:PutObject) can put other bytes there
    await s3Client().send(new PutObjectCommand({ Bucket: process.env.BUCKET_NAME!, Key: a.json.attachment.key, Body: bytes, IfNoneMatch: '*' }));
    const att = a.json.attachment;
    const v = await api('POST', `${F()}/attachments/${att.attachmentId}/verify`, org.claims.officer);
    expect(v.json).toMatchObject({ status: 'mismatch', actualSha256: sha256Hex(bytes) });
    const d = await api('POST', `${F()}/drafts`, org.claims.officer, { ...training('坏附件'), attachmentIds: [att.attachmentId] });
    const s = await api('POST', `${F()}/drafts/${d.json.entryId}/submit`, org.claims.officer, undefined, { 'if-match': d.headers.etag! });
    const r = await api('POST', `${F()}/drafts/${d.json.entryId}/review`, org.claims.deptHead, { decision: 'approve' }, { 'if-match': s.headers.etag! });
    const ar = await api('POST', `${F()}/drafts/${d.json.entryId}/archive`, org.claims.recorder, undefined, { 'if-match': r.headers.etag! });
    expect(ar.status).toBe(409);
    expect(ar.json.code).toBe('entry.attachmentNotVerified');
  });
});

describe('access grants (A8) and rules as data', () => {
  it('a grant is requested with a purpose, approved by leadership, used with its purpose audited', async () => {
    const reader = org.claims.otherOfficer;
    expect((await api('GET', F(), reader)).status).toBe(403);
    const g = await api('POST', `${F()}/grants`, reader, { purpose: '办理投诉核查', actions: ['file.read'], days: 7 });
    const self = await api('POST', `${F()}/grants/${g.json.grantId}/decision`, reader, { decision: 'approve' }, { 'if-match': g.headers.etag! });
    expect(self.status).toBe(403);
    const ok = await api('POST', `${F()}/grants/${g.json.grantId}/decision`, org.claims.leadership, { decision: 'approve' }, { 'if-match': g.headers.etag! });
    expect(ok.json).toMatchObject({ status: 'approved', decidedBy: 'dist-leader' });
    const read = await api('GET', F(), reader);
    expect(read.json.accessBasis).toBe(`grant:${g.json.grantId}`);
    const trail = await api('GET', `/audit?objectType=file&objectId=${org.officerId}&actor=lisi&limit=50`, org.claims.auditor);
    expect(trail.json.items.find((r: { action: string; outcome: string }) => r.action === 'file.read' && r.outcome === 'allowed')).toMatchObject({
      purpose: '办理投诉核查',
      basis: `grant:${g.json.grantId}`,
    });
    expect((await api('GET', `${F()}/drafts`, reader)).status).toBe(200);
    expect((await api('POST', `${F()}/drafts`, reader, training('越权'))).status).toBe(403);
  });
  it('an agency publishes its own A8 version; it takes effect for its files only', async () => {
    const bad = await api('POST', '/rules/A8/versions', org.claims.sysAdmin, {
      effectiveFrom: '2026-01-01',
      note: '收紧',
      parameters: { grantMaxDuration: { value: -1 } },
      source: { document: '区局规定', article: '第3条' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toContain('body.parameters.grantMaxDuration.value');
    const denied = await api('POST', '/rules/A8/versions', org.claims.leadership, { effectiveFrom: '2026-01-01', note: 'x', parameters: {}, source: { document: 'a', article: 'b' } });
    expect(denied.status).toBe(403);
    const current = (await api('GET', '/rules', org.claims.officer)).json.items.find((r: { ruleId: string }) => r.ruleId === 'A8');
    const pub = await api('POST', '/rules/A8/versions', org.claims.sysAdmin, {
      effectiveFrom: '2026-01-01',
      note: '区局规定查阅授权最长 5 日',
      parameters: { ...current.parameters, grantMaxDuration: { value: 5, unit: 'calendarDays' } },
      source: { document: '区司法局档案管理细则', article: '第12条' },
    });
    expect(pub.status, pub.text).toBe(201);
    expect(pub.json).toMatchObject({ jurisdiction: org.agencyId, source: { seed: '区司法局档案管理细则' } });
    const tooLong = await api('POST', `${F()}/grants`, org.claims.otherOfficer, { purpose: '长期查阅', actions: ['file.read'], days: 6 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.detail).toContain(pub.json.versionId);
    const versions = await api('GET', '/rules/A8/versions', org.claims.officer);
    expect(versions.json.items.map((v: { versionId: string }) => v.versionId)).toEqual(['A8-default-1', pub.json.versionId]);
  });
  it('a deadline rule with a grouped parameter (C4 escalation ladder) can be published; deeper nesting is refused', async () => {
    const current = (await api('GET', '/rules', org.claims.officer)).json.items.find((r: { ruleId: string }) => r.ruleId === 'C4');
    const escalation = { warnWithin: { value: 3, unit: 'workingDays' }, reportAfter: { value: 2, unit: 'workingDays' } };
    const pub = await api('POST', '/rules/C4/versions', org.claims.sysAdmin, {
      effectiveFrom: '2026-01-01',
      note: '提前 3 个工作日提醒',
      parameters: { ...current.parameters, escalation },
      source: { document: '区司法局投诉办理细则', article: '第5条' },
    });
    expect(pub.status, pub.text).toBe(201);
    const now = (await api('GET', '/rules', org.claims.officer)).json.items.find((r: { ruleId: string }) => r.ruleId === 'C4');
    expect(now.parameters.escalation).toEqual(escalation);
    const deep = await api('POST', '/rules/C4/versions', org.claims.sysAdmin, {
      effectiveFrom: '2026-01-01',
      note: 'x',
      parameters: { ...current.parameters, escalation: { warnWithin: { value: { n: 3 } } } },
      source: { document: 'a', article: 'b' },
    });
    expect(deep.status).toBe(400);
  });
});

describe('audit', () => {
  it('every read and write is audited, denials too; auditors query, export CSV and verify the chain', async () => {
    await api('GET', F(), org.claims.otherHead); // denied
    const day = await api('GET', '/audit?limit=1000', org.claims.auditor);
    const actions = new Set(day.json.items.map((r: { action: string }) => r.action));
    for (const a of [
      'file.read',
      'file.readTimeline',
      'entry.draft',
      'entry.submit',
      'entry.approve',
      'entry.archive',
      'file.transfer',
      'grant.request',
      'grant.approve',
      'rule.publish',
      'qualification.issue',
      'file.open',
    ]) {
      expect(actions, a).toContain(a);
    }
    expect(day.json.items.some((r: { outcome: string; actor: { userId: string } }) => r.outcome === 'denied' && r.actor.userId === 'head-u2')).toBe(true);
    const csv = await api('GET', '/audit/export.csv', org.claims.auditor);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('\uFEFFat,actor,roles,actorAgency,action,objectType,objectId,objectAgency,outcome,basis,purpose,reason,ip,requestId,chainId,seq,hash');
    const v = await api('GET', '/audit/verify', org.claims.auditor);
    expect(v.json.ok).toBe(true);
    expect((await api('GET', '/audit', org.claims.sysAdmin)).status).toBe(403);
    expect((await api('GET', '/audit', org.claims.leadership)).status).toBe(403);
  });
  it('fails closed: when the audit record cannot be written, the read returns no data', async () => {
    const client = documentClient();
    const original = client.send.bind(client);
    const spy = vi.spyOn(client, 'send').mockImplementation(((cmd: unknown) => {
      if (cmd instanceof TransactWriteCommand) return Promise.reject(Object.assign(new Error('simulated outage'), { name: 'InternalServerError' }));
      return original(cmd as never);
    }) as never);
    try {
      const r = await api('GET', `${F()}/entries`, org.claims.officer);
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({ code: 'audit.unavailable', title: '服务暂时不可用' });
      expect(r.text).not.toContain('training');
    } finally {
      spy.mockRestore();
    }
    expect((await api('GET', `${F()}/entries`, org.claims.officer)).status).toBe(200);
  });
});

describe('errors, identity and the API description', () => {
  it('problem+json with field paths; another agency gets 404, the same agency 403', async () => {
    const r = await api('POST', `${F()}/drafts`, org.claims.officer, { type: 'training', occurredOn: '2026-13-45', title: '', content: { course: 'x', hours: 'eight', result: 'passed', extra: 1 } });
    expect(r.status).toBe(400);
    const paths = r.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.occurredOn', 'body.title', 'body.content.hours', 'body.content']));
    expect(r.json.title).toBe('请求参数不合法');
    expect((await api('GET', F(), org.claims.otherAgency)).status).toBe(404);
    expect((await api('GET', `/officers/${org.officerId.slice(0, -1)}Z/file`, org.claims.leadership)).status).toBe(404);
    expect((await api('GET', F(), org.claims.otherHead)).status).toBe(403);
    expect((await api('GET', F(), undefined)).status).toBe(401);
  });
  it('serves /me, the agency tree within reach, and an OpenAPI 3.1 document of every route', async () => {
    expect((await api('GET', '/me', org.claims.deptHead)).json).toMatchObject({ userId: 'head-u1', roles: ['deptHead', 'officer'], roleLabels: ['部门负责人', '执法人员'] });
    const tree = await api('GET', '/agencies', org.claims.cityLeader);
    expect(tree.json.items.map((a: { agencyId: string }) => a.agencyId).sort()).toEqual([org.cityId, org.agencyId].sort());
    expect((await api('GET', '/agencies', org.claims.leadership)).json.items.map((a: { agencyId: string }) => a.agencyId)).toEqual([org.agencyId]);
    const units = await api('GET', `/agencies/${org.agencyId}/units`, org.claims.otherAgency);
    expect(units.status).toBe(404);
    const officers = await api('GET', `/agencies/${org.agencyId}/officers?unitId=${org.unitId}`, org.claims.leadership);
    expect(officers.json.items.some((o: { officerId: string }) => o.officerId === org.officerId)).toBe(true);
    const doc = await callRoute('GET', '/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toContain('/officers/{officerId}/file/drafts');
  });
});
