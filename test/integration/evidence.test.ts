import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as evidenceArrived } from '#functions/events/evidence-arrived.ts';
import { MIN_PART_BYTES } from '#shared/evidence/model.ts';
import { installClock } from '#shared/kernel/clock.ts';
import { callRoute, embedded, freshTable, objectCreatedEvent, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';

/**
 * Evidence upload and ingest end to end on the embedded services: declare → presigned single PUT or
 * multipart parts straight to the S3 server → complete → the ObjectCreated handler streams the
 * object once (SHA-256 + SM3) → verified with retention, or quarantined. Sizes at the edges (0 B,
 * 1 B, the part boundary ±1, several parts) and 100 single-bit flips.
 */
let org: FixtureOrg;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

const declare = async (claims: Claims, bytes: Buffer, over: Record<string, unknown> = {}) => {
  const r = await callRoute('POST', '/evidence', {
    claims,
    headers: { 'idempotency-key': idempotencyKey('ev') },
    body: {
      kind: 'patrol',
      title: '巡查执法记录',
      fileName: '执法记录仪_0001.mp4',
      mediaType: 'video/mp4',
      size: bytes.length,
      sha256: sha(bytes),
      capture: { officerId: org.officerId, deviceId: 'DSJ-001', startedAt: minutesAgo(30), endedAt: minutesAgo(5), place: '青山区某市场' },
      ...over,
    },
  });
  expect(r.status, r.text).toBe(201);
  return r.json as { evidence: { evidenceId: string; key: string }; upload: any };
};

/** send the bytes as the client would (single PUT or parts), complete, then deliver S3's event */
const upload = async (claims: Claims, d: Awaited<ReturnType<typeof declare>>, bytes: Buffer) => {
  if (d.upload.mode === 'single') {
    const put = await fetch(d.upload.url, { method: 'PUT', headers: d.upload.headers, body: bytes });
    expect(put.status, await put.text()).toBe(200);
  } else {
    const parts = [];
    for (const p of d.upload.parts as { partNumber: number; url: string }[]) {
      const chunk = bytes.subarray((p.partNumber - 1) * d.upload.partSize, p.partNumber * d.upload.partSize);
      const res = await fetch(p.url, { method: 'PUT', body: chunk });
      expect(res.status).toBe(200);
      parts.push({ partNumber: p.partNumber, etag: res.headers.get('etag')! });
    }
    const c = await callRoute('POST', `/evidence/${d.evidence.evidenceId}/complete`, { claims, body: { parts } });
    expect(c.status, c.text).toBe(200);
  }
  const [result] = await evidenceArrived(objectCreatedEvent({ bucket: embedded().bucketName, key: d.evidence.key, size: bytes.length, eTag: 'x' }));
  return result!;
};

const get = async (claims: Claims, id: string) => {
  const r = await callRoute('GET', `/evidence/${id}`, { claims });
  expect(r.status, r.text).toBe(200);
  return r;
};

beforeAll(async () => {
  await freshTable('evidence');
  org = await buildFixtureOrg();
}, 120_000);

describe('evidence upload and ingest', () => {
  it.each([
    ['0 B', 0],
    ['1 B', 1],
    ['one byte under the part size', MIN_PART_BYTES - 1],
    ['exactly the part size', MIN_PART_BYTES],
    ['one byte over the part size (two parts)', MIN_PART_BYTES + 1],
    ['several parts', 2 * MIN_PART_BYTES + 12_345],
  ])(
    '%s: stored straight to S3, hashed once (SHA-256 + SM3), verified with its retention',
    async (_label, size) => {
      const bytes = randomBytes(size);
      const d = await declare(org.claims.officer, bytes);
      expect(d.upload.mode).toBe(size > MIN_PART_BYTES ? 'multipart' : 'single');
      if (d.upload.mode === 'multipart') expect(d.upload.parts).toHaveLength(d.upload.partCount);
      const r = await upload(org.claims.officer, d, bytes);
      expect(r.outcome).toBe('verified');
      const e = (await get(org.claims.officer, d.evidence.evidenceId)).json;
      expect(e.status).toBe('verified');
      expect(e.sha256).toBe(sha(bytes));
      expect(e.sm3).toMatch(/^[0-9a-f]{64}$/);
      expect(e.late).toBe(false);
      expect(e.retention).toMatchObject({ retentionClass: 'routine', legalHold: false });
      expect(e.retention.retainUntil > e.capture.startedAt.slice(0, 10)).toBe(true);
      // s3rver has no Object Lock: the domain enforces it and says so
      expect(e.objectLock).toMatchObject({ applied: false });
    },
    60_000,
  );

  it('100 of 100 single-bit flips are refused by the store (the signed SHA-256); a flipped part is caught at ingest and quarantined', async () => {
    let refused = 0;
    for (let batch = 0; batch < 10; batch++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const bytes = randomBytes(1024 + Math.floor(Math.random() * 4096));
          const d = await declare(org.claims.officer, bytes);
          const flipped = Buffer.from(bytes);
          const bit = Math.floor(Math.random() * flipped.length * 8);
          flipped[bit >> 3]! ^= 1 << (bit & 7);
          const put = await fetch(d.upload.url, { method: 'PUT', headers: d.upload.headers, body: flipped });
          const code = /<Code>([^<]+)<\/Code>/.exec(await put.text())?.[1];
          // nothing was stored: the item waits for the right bytes
          const e = (await get(org.claims.officer, d.evidence.evidenceId)).json;
          return put.status === 400 && code === 'BadDigest' && e.status === 'uploading';
        }),
      );
      refused += results.filter(Boolean).length;
    }
    expect(refused).toBe(100);
    // part URLs carry no per-part checksum: the ingest hashes the whole object and quarantines
    const bytes = randomBytes(MIN_PART_BYTES + 100);
    const d = await declare(org.claims.officer, bytes);
    const flipped = Buffer.from(bytes);
    flipped[MIN_PART_BYTES + 7]! ^= 0x20;
    expect((await upload(org.claims.officer, d, flipped)).outcome).toBe('quarantined');
    expect((await get(org.claims.officer, d.evidence.evidenceId)).json).toMatchObject({ status: 'quarantined', quarantine: { reason: 'sha256Mismatch' } });
    // the uploader, the unit head and the security administrator are told
    for (const claims of [org.claims.officer, org.claims.deptHead, org.claims.secAdmin]) {
      const inbox = await callRoute('GET', '/inbox', { claims, query: { limit: 200 } });
      expect(inbox.json.items.some((n: any) => n.title.startsWith('【隔离】'))).toBe(true);
    }
  }, 120_000);

  it('flags a recording stored after the end of the working day of capture (D2)', async () => {
    const bytes = randomBytes(64);
    const d = await declare(org.claims.officer, bytes, {
      capture: { officerId: org.officerId, deviceId: 'DSJ-001', startedAt: minutesAgo(5 * 24 * 60), endedAt: minutesAgo(5 * 24 * 60 - 20), place: '某路口' },
    });
    expect((await upload(org.claims.officer, d, bytes)).late).toBe(true);
    // counted against the officer's record-keeping for the year (D2, B1)
    const year = Number(new Date(Date.now() - 5 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 4));
    const rk = await callRoute('GET', `/officers/${org.officerId}/record-keeping`, { claims: org.claims.deptHead, query: { year } });
    expect(rk.status, rk.text).toBe(200);
    expect(rk.json.lateItems.map((i: any) => i.evidenceId)).toContain(d.evidence.evidenceId);
    expect(rk.json.stored).toBeGreaterThan(rk.json.late);
    expect((await callRoute('GET', `/officers/${org.officerId}/record-keeping`, { claims: org.claims.otherHead, query: { year } })).status).toBe(403);
  });

  it('an original is stored once: completing again or re-uploading over it is refused and audited (D7)', async () => {
    const bytes = randomBytes(MIN_PART_BYTES + 10);
    const d = await declare(org.claims.officer, bytes);
    await upload(org.claims.officer, d, bytes);
    const again = await callRoute('POST', `/evidence/${d.evidence.evidenceId}/complete`, {
      claims: org.claims.officer,
      body: {
        parts: [
          { partNumber: 1, etag: 'x' },
          { partNumber: 2, etag: 'y' },
        ],
      },
    });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('evidence.alreadyStored');
    // a second ObjectCreated for the key is no re-ingest: it is tampering (evidence-integrity.test.ts), the hashes stay
    const before = (await get(org.claims.officer, d.evidence.evidenceId)).json;
    const [second] = await evidenceArrived(objectCreatedEvent({ bucket: embedded().bucketName, key: d.evidence.key, size: bytes.length, eTag: 'x' }));
    expect(second!.outcome).toBe('tampered');
    expect((await get(org.claims.officer, d.evidence.evidenceId)).json).toMatchObject({ status: 'verified', sha256: before.sha256, sm3: before.sm3 });
    const audit = await callRoute('GET', '/audit', { claims: org.claims.auditor, query: { objectType: 'evidence', objectId: d.evidence.evidenceId } });
    expect(audit.json.items.some((a: any) => a.action === 'evidence.complete' && a.outcome === 'denied')).toBe(true);
  }, 60_000);

  it('a 50 GB declaration answers with the first 100 part URLs; the rest come 100 at a time', async () => {
    const size = 50 * 1024 ** 3;
    const r = await callRoute('POST', '/evidence', {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('big') },
      body: {
        kind: 'patrol',
        title: '全天录像',
        fileName: 'day.mp4',
        mediaType: 'video/mp4',
        size,
        sha256: 'a'.repeat(64),
        capture: { officerId: org.officerId, deviceId: 'D', startedAt: minutesAgo(60), endedAt: minutesAgo(1), place: 'p' },
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json.upload.partCount).toBe(Math.ceil(size / r.json.upload.partSize));
    expect(r.json.upload.parts).toHaveLength(100);
    const rest = await callRoute('GET', `/evidence/${r.json.evidence.evidenceId}/upload`, { claims: org.claims.officer, query: { from: r.json.upload.partCount - 5 } });
    expect(rest.status, rest.text).toBe(200);
    expect(rest.json.parts.map((p: any) => p.partNumber)).toEqual([0, 1, 2, 3, 4, 5].map((i) => r.json.upload.partCount - 5 + i));
    expect((await callRoute('GET', `/evidence/${r.json.evidence.evidenceId}/upload`, { claims: org.claims.deptHead })).status).toBe(403);
  });
});

describe('retention: holds and case links only extend (D3, D4)', () => {
  it('a complaint hold keeps the item long-term under legal hold; release needs the approver and the long-term period stays', async () => {
    const bytes = randomBytes(256);
    const d = await declare(org.claims.officer, bytes);
    await upload(org.claims.officer, d, bytes);
    const before = await get(org.claims.officer, d.evidence.evidenceId);
    const held = await callRoute('POST', `/evidence/${d.evidence.evidenceId}/holds`, {
      claims: org.claims.officer,
      body: { reason: 'complaint', note: '当事人投诉执法态度' },
      headers: { 'if-match': before.headers.etag! },
    });
    expect(held.status, held.text).toBe(200);
    expect(held.json.retention).toMatchObject({ legalHold: true, retentionClass: 'longTerm' });
    const holdId = held.json.holds[0].holdId;
    expect(held.json.retention.retainUntil > before.json.retention.retainUntil).toBe(true);
    const byOfficer = await callRoute('POST', `/evidence/${d.evidence.evidenceId}/holds/${holdId}/release`, {
      claims: org.claims.officer,
      body: { note: '投诉已办结' },
      headers: { 'if-match': held.headers.etag! },
    });
    expect(byOfficer.status).toBe(403);
    const released = await callRoute('POST', `/evidence/${d.evidence.evidenceId}/holds/${holdId}/release`, {
      claims: org.claims.leadership,
      body: { note: '投诉已办结' },
      headers: { 'if-match': held.headers.etag! },
    });
    expect(released.status, released.text).toBe(200);
    expect(released.json.retention.legalHold).toBe(false);
    expect(released.json.retention.retainUntil).toBe(held.json.retention.retainUntil); // never shortened
  });

  it('linking footage to a case gives it the case file’s retention', async () => {
    const c = await callRoute('POST', '/cases', {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('c') },
      body: {
        kind: 'penalty',
        title: '证据关联案件',
        caseNumber: '证〔2026〕1号',
        unitId: org.unitId,
        filedOn: '2026-06-01',
        parties: [{ partyKind: 'person', name: '张某' }],
        officers: [{ officerId: org.officerId, role: 'lead' }],
      },
    });
    expect(c.status, c.text).toBe(201);
    const bytes = randomBytes(128);
    const d = await declare(org.claims.officer, bytes, { kind: 'evidence-general-procedure' });
    await upload(org.claims.officer, d, bytes);
    const cur = await get(org.claims.officer, d.evidence.evidenceId);
    const linked = await callRoute('POST', `/evidence/${d.evidence.evidenceId}/case`, { claims: org.claims.officer, body: { caseId: c.json.caseId }, headers: { 'if-match': cur.headers.etag! } });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.json.retention).toMatchObject({ retentionClass: 'case', pendingCaseClose: true });
    expect(linked.json.caseId).toBe(c.json.caseId);
    // the case closes: the recording now follows the case file from the close (D3)
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const stepOf = async (claims: Claims, body: Record<string, unknown>) => {
      const cur = await callRoute('GET', `/cases/${c.json.caseId}`, { claims: org.claims.leadership });
      const r = await callRoute('POST', `/cases/${c.json.caseId}/steps`, { claims, body, headers: { 'if-match': cur.headers.etag! } });
      expect(r.status, r.text).toBe(200);
    };
    await stepOf(org.claims.leadership, { step: 'decision', on: today, documentNumber: '证决〔2026〕1号', measures: { fine: 200 } });
    await stepOf(org.claims.officer, { step: 'closed', on: today });
    const after = (await get(org.claims.officer, d.evidence.evidenceId)).json;
    expect(after.retention).toMatchObject({ retentionClass: 'case', pendingCaseClose: false, legalHold: false });
    expect(after.retention.retainUntil > `${Number(today.slice(0, 4)) + 29}`).toBe(true);
  });

  it('only the officer or the unit’s custodian stores a recording; others do not even see it', async () => {
    const bytes = randomBytes(16);
    const r = await callRoute('POST', '/evidence', {
      claims: org.claims.otherOfficer,
      headers: { 'idempotency-key': idempotencyKey('ev') },
      body: {
        kind: 'patrol',
        title: 'x',
        fileName: 'a.mp4',
        mediaType: 'video/mp4',
        size: 16,
        sha256: sha(bytes),
        capture: { officerId: org.officerId, deviceId: 'D', startedAt: minutesAgo(10), endedAt: minutesAgo(5), place: 'p' },
      },
    });
    expect(r.status).toBe(403);
    const d = await declare(org.claims.officer, bytes);
    expect((await callRoute('GET', `/evidence/${d.evidence.evidenceId}`, { claims: org.claims.otherOfficer })).status).toBe(403);
    expect((await callRoute('GET', `/evidence/${d.evidence.evidenceId}`, { claims: org.claims.otherAgency })).status).toBe(404);
    expect((await callRoute('GET', `/evidence/${d.evidence.evidenceId}`, { claims: org.claims.deptHead })).status).toBe(200);
  });
});

describe('custody: approved viewing (D6), the copy register (D5), disposition (D7)', () => {
  const stored = async (over: Record<string, unknown> = {}) => {
    const bytes = randomBytes(512);
    const d = await declare(org.claims.officer, bytes, over);
    await upload(org.claims.officer, d, bytes);
    return { id: d.evidence.evidenceId, bytes };
  };
  /** captured and stored on 2024-03-01 (the platform's clock set back for the upload): its D3 floor has long passed */
  const storedLongAgo = async () => {
    installClock({ now: () => new Date('2024-03-01T10:00:00+08:00') });
    try {
      return await stored({ capture: { officerId: org.officerId, deviceId: 'DSJ-9', startedAt: '2024-03-01T09:00:00+08:00', endedAt: '2024-03-01T09:30:00+08:00', place: '旧城区' } });
    } finally {
      installClock(undefined);
    }
  };
  const requestView = async (claims: Claims, id: string, scope: 'view' | 'download' = 'view') => {
    const r = await callRoute('POST', `/evidence/${id}/view-requests`, { claims, body: { purpose: '复查执法过程', scope, days: 3 } });
    expect(r.status, r.text).toBe(201);
    return r;
  };
  const decide = (claims: Claims, id: string, req: { json: any; headers: Record<string, string> }, approve = true) =>
    callRoute('POST', `/evidence/${id}/view-requests/${req.json.requestId}/decision`, { claims, body: { approve }, headers: { 'if-match': req.headers.etag! } });

  it('no content without a grant, with another item’s grant, or with an expired grant; an approved grant gives this version for minutes', async () => {
    const a = await stored();
    const b = await stored();
    const noGrant = await callRoute('GET', `/evidence/${a.id}/content`, { claims: org.claims.deptHead, query: { grantId: a.id } });
    expect(noGrant.status).toBe(403);
    expect(noGrant.json.code).toBe('evidence.noGrant');

    const req = await requestView(org.claims.deptHead, a.id);
    expect((await decide(org.claims.deptHead, a.id, req)).status).toBe(403); // not one's own
    const ok = await decide(org.claims.leadership, a.id, req);
    expect(ok.status, ok.text).toBe(200);
    const content = await callRoute('GET', `/evidence/${a.id}/content`, { claims: org.claims.deptHead, query: { grantId: req.json.requestId } });
    expect(content.status, content.text).toBe(200);
    expect(content.json.expiresIn).toBeLessThanOrEqual(300);
    expect(Buffer.from(await (await fetch(content.json.url)).arrayBuffer()).equals(a.bytes)).toBe(true);

    // the grant is for item a only, and for its holder only
    expect((await callRoute('GET', `/evidence/${b.id}/content`, { claims: org.claims.deptHead, query: { grantId: req.json.requestId } })).status).toBe(403);
    expect((await callRoute('GET', `/evidence/${a.id}/content`, { claims: org.claims.leadership, query: { grantId: req.json.requestId } })).status).toBe(403);
    // a view grant does not cover download
    expect((await callRoute('GET', `/evidence/${a.id}/content`, { claims: org.claims.deptHead, query: { grantId: req.json.requestId, download: 'true' } })).status).toBe(403);

    // expired: the same grant four days later
    installClock({ now: () => new Date(Date.now() + 4 * 86_400_000) });
    try {
      const expired = await callRoute('GET', `/evidence/${a.id}/content`, { claims: org.claims.deptHead, query: { grantId: req.json.requestId } });
      expect(expired.status).toBe(403);
      expect(expired.json.detail).toMatch(/过期/);
    } finally {
      installClock(undefined);
    }
    const audit = await callRoute('GET', '/audit', { claims: org.claims.auditor, query: { objectType: 'evidence', objectId: a.id } });
    const views = audit.json.items.filter((x: any) => x.action === 'evidence.view');
    expect(views.some((x: any) => x.outcome === 'allowed' && x.purpose === '复查执法过程')).toBe(true);
    expect(views.filter((x: any) => x.outcome === 'denied').length).toBeGreaterThanOrEqual(3);
  });

  it('copies for a review body or court are produced by the legal department and registered with the hashes', async () => {
    const a = await stored();
    const body = { recipient: '青山区人民法院', purpose: '行政诉讼举证', reference: '(2026)云0102行初 8 号' };
    expect((await callRoute('POST', `/evidence/${a.id}/copies`, { claims: org.claims.officer, body })).status).toBe(403);
    const c = await callRoute('POST', `/evidence/${a.id}/copies`, { claims: org.claims.legal, body });
    expect(c.status, c.text).toBe(201);
    expect(c.json.copy.sha256).toBe(sha(a.bytes));
    const list = await callRoute('GET', `/evidence/${a.id}/copies`, { claims: org.claims.leadership });
    expect(list.json.items.map((x: any) => x.recipient)).toEqual(['青山区人民法院']);
  });

  it('nothing disposes of an original while retained or held; disposition needs two different approvers', async () => {
    const fresh = await stored();
    const refused = await callRoute('POST', `/evidence/${fresh.id}/disposition`, { claims: org.claims.legal });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('evidence.retained');

    const old = await storedLongAgo();
    const e = (await get(org.claims.officer, old.id)).json;
    expect(e.retention.retainUntil).toBe('2024-09-01');
    const p = await callRoute('POST', `/evidence/${old.id}/disposition`, { claims: org.claims.legal });
    expect(p.status, p.text).toBe(201);
    const first = await callRoute('POST', `/evidence/${old.id}/disposition/approvals`, { claims: org.claims.leadership, headers: { 'if-match': p.headers.etag! } });
    expect(first.status, first.text).toBe(200);
    expect(first.json.status).toBe('proposed');
    const same = await callRoute('POST', `/evidence/${old.id}/disposition/approvals`, { claims: org.claims.leadership, headers: { 'if-match': first.headers.etag! } });
    expect(same.status).toBe(409);
    expect(same.json.code).toBe('evidence.sameApprover');
    expect((await callRoute('POST', `/evidence/${old.id}/disposition/approvals`, { claims: org.claims.officer, headers: { 'if-match': first.headers.etag! } })).status).toBe(403);
    const second = await callRoute('POST', `/evidence/${old.id}/disposition/approvals`, { claims: org.claims.legal, headers: { 'if-match': first.headers.etag! } });
    expect(second.status, second.text).toBe(200);
    expect(second.json.status).toBe('approved');

    // a hold placed after a proposal cancels it (D4)
    const other = await storedLongAgo();
    const proposal = await callRoute('POST', `/evidence/${other.id}/disposition`, { claims: org.claims.legal });
    expect(proposal.status).toBe(201);
    const cur2 = await get(org.claims.officer, other.id);
    expect((await callRoute('POST', `/evidence/${other.id}/holds`, { claims: org.claims.officer, body: { reason: 'petition' }, headers: { 'if-match': cur2.headers.etag! } })).status).toBe(200);
    const late = await callRoute('POST', `/evidence/${other.id}/disposition/approvals`, { claims: org.claims.leadership, headers: { 'if-match': '"2"' } });
    expect(late.status).toBe(409);
    expect(late.json.code).toBe('evidence.dispositionDecided');

    // a hold placed on an item makes a disposition impossible again
    const held = await storedLongAgo();
    const cur = await get(org.claims.officer, held.id);
    expect((await callRoute('POST', `/evidence/${held.id}/holds`, { claims: org.claims.officer, body: { reason: 'assault' }, headers: { 'if-match': cur.headers.etag! } })).status).toBe(200);
    const heldRefusal = await callRoute('POST', `/evidence/${held.id}/disposition`, { claims: org.claims.legal });
    expect(heldRefusal.status).toBe(409);
    expect(heldRefusal.json.detail).toMatch(/长期保存/);
  });
});

describe('events raise holds on their own (D4); derived copies leave the original untouched', () => {
  it('a mass-incident recording is held from the start; a complaint about the case and an assault in the case hold the case’s recordings', async () => {
    const incident = randomBytes(300);
    const d = await declare(org.claims.officer, incident, { incident: 'massIncident' });
    await upload(org.claims.officer, d, incident);
    expect((await get(org.claims.officer, d.evidence.evidenceId)).json.retention).toMatchObject({ legalHold: true, retentionClass: 'longTerm', activeHoldReasons: ['massIncident'] });

    const c = await callRoute('POST', '/cases', {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('c') },
      body: {
        kind: 'penalty',
        title: '自动保存案件',
        caseNumber: '证〔2026〕2号',
        unitId: org.unitId,
        filedOn: '2026-06-01',
        parties: [{ partyKind: 'person', name: '刘某' }],
        officers: [{ officerId: org.officerId, role: 'lead' }],
      },
    });
    const caseId = c.json.caseId as string;
    const bytes = randomBytes(200);
    const e = await declare(org.claims.officer, bytes, { kind: 'evidence-general-procedure', caseId });
    await upload(org.claims.officer, e, bytes);
    const reasons = async () => (await get(org.claims.officer, e.evidence.evidenceId)).json.retention.activeHoldReasons as string[];
    expect(await reasons()).toEqual([]);

    const complaint = await callRoute('POST', '/processes', {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('p') },
      body: { kind: 'complaint', title: '当事人投诉执法过程', channel: 'letter', content: '认为执法过程粗暴', complainant: { anonymous: false, name: '刘某' }, about: { caseId } },
    });
    expect(complaint.status, complaint.text).toBe(201);
    expect(await reasons()).toEqual(['complaint']);

    const cur = await callRoute('GET', `/cases/${caseId}`, { claims: org.claims.leadership });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const inv = await callRoute('POST', `/cases/${caseId}/steps`, {
      claims: org.claims.officer,
      body: { step: 'investigation', on: today, evidence: '现场笔录', obstruction: 'assault' },
      headers: { 'if-match': cur.headers.etag! },
    });
    expect(inv.status, inv.text).toBe(200);
    expect((await reasons()).sort()).toEqual(['assault', 'complaint']);
  });

  it('a clip made under a download grant is an item of its own pointing to the original, which does not change', async () => {
    const bytes = randomBytes(1024);
    const d = await declare(org.claims.officer, bytes);
    await upload(org.claims.officer, d, bytes);
    const before = (await get(org.claims.officer, d.evidence.evidenceId)).json;
    const clip = randomBytes(100);
    const body = { derivation: 'clip', title: '片段', fileName: 'clip.mp4', mediaType: 'video/mp4', size: clip.length, sha256: sha(clip) };
    const noGrant = await callRoute('POST', `/evidence/${d.evidence.evidenceId}/derived`, {
      claims: org.claims.deptHead,
      body: { ...body, grantId: d.evidence.evidenceId },
      headers: { 'idempotency-key': idempotencyKey('dv') },
    });
    expect(noGrant.status).toBe(403);
    const req = await callRoute('POST', `/evidence/${d.evidence.evidenceId}/view-requests`, { claims: org.claims.deptHead, body: { purpose: '制作片段用于通报', scope: 'download', days: 1 } });
    expect(
      (
        await callRoute('POST', `/evidence/${d.evidence.evidenceId}/view-requests/${req.json.requestId}/decision`, {
          claims: org.claims.leadership,
          body: { approve: true },
          headers: { 'if-match': req.headers.etag! },
        })
      ).status,
    ).toBe(200);
    const derived = await callRoute('POST', `/evidence/${d.evidence.evidenceId}/derived`, {
      claims: org.claims.deptHead,
      body: { ...body, grantId: req.json.requestId },
      headers: { 'idempotency-key': idempotencyKey('dv') },
    });
    expect(derived.status, derived.text).toBe(201);
    expect(derived.json.evidence.derivedFrom).toEqual({ evidenceId: d.evidence.evidenceId, derivation: 'clip' });
    expect(await upload(org.claims.deptHead, derived.json, clip)).toMatchObject({ outcome: 'verified' });
    const after = (await get(org.claims.officer, d.evidence.evidenceId)).json;
    expect(after).toEqual(before);
  });
});
