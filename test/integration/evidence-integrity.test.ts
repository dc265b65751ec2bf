import { createHash, randomBytes } from 'node:crypto';
import { GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as evidenceArrived } from '#functions/events/evidence-arrived.ts';
import { readDisposition } from '#shared/evidence/custody.ts';
import { retentionSweep } from '#shared/evidence/retention-sweep.ts';
import { installClock } from '#shared/kernel/clock.ts';
import { newId } from '#shared/kernel/ids.ts';
import { callRoute, embedded, freshTable, objectCreatedEvent, s3Client as testS3, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { overwriteStoredObject } from '../support/s3-storage.ts';

/**
 * Evidence integrity (issue 8) through the HTTP API and the S3 event path on the embedded platform:
 * a verified original cannot be replaced unnoticed (a second ObjectCreated is tampering, alerted
 * and audited; content is the verified version), and a declared capture time is plausible or
 * explained, with no original disposable before D3's minimum counted from its ingest.
 */
let org: FixtureOrg;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const bucket = () => embedded().bucketName;
const auditOf = async (objectId: string, claims: Claims = org.claims.auditor) =>
  (await callRoute('GET', '/audit', { claims, query: { objectType: 'evidence', objectId, limit: 200 } })).json.items as { action: string; outcome: string; reason?: string }[];
const inbox = async (claims: Claims) => (await callRoute('GET', '/inbox', { claims, query: { limit: 200 } })).json.items as { title: string }[];
const get = async (id: string) => await callRoute('GET', `/evidence/${id}`, { claims: org.claims.leadership });

const declare = (bytes: Buffer, over: Record<string, unknown> = {}) =>
  callRoute('POST', '/evidence', {
    claims: org.claims.officer,
    headers: { 'idempotency-key': idempotencyKey('evi') },
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
/** declare, PUT through the presigned URL, deliver S3's event: a verified original */
const stored = async (over: Record<string, unknown> = {}, bytes = randomBytes(512)) => {
  const d = await declare(bytes, over);
  expect(d.status, d.text).toBe(201);
  const put = await fetch(d.json.upload.url, { method: 'PUT', headers: d.json.upload.headers, body: bytes });
  expect(put.status, await put.text()).toBe(200);
  const event = objectCreatedEvent({ bucket: bucket(), key: d.json.evidence.key, size: bytes.length, eTag: put.headers.get('etag') ?? 'x', time: new Date(Date.now() - 1000) });
  const [r] = await evidenceArrived(event);
  expect(r!.outcome).toBe('verified');
  return { id: d.json.evidence.evidenceId as string, key: d.json.evidence.key as string, bytes, upload: d.json.upload, event };
};
/** a view grant of the leadership's, approved by supervision */
const grant = async (id: string, claims: Claims = org.claims.deptHead) => {
  const req = await callRoute('POST', `/evidence/${id}/view-requests`, { claims, body: { purpose: '核查', scope: 'download', days: 1 } });
  const ok = await callRoute('POST', `/evidence/${id}/view-requests/${req.json.requestId}/decision`, {
    claims: org.claims.leadership,
    body: { approve: true },
    headers: { 'if-match': req.headers.etag! },
  });
  expect(ok.status, ok.text).toBe(200);
  return req.json.requestId as string;
};
const content = async (id: string, grantId: string, claims: Claims = org.claims.deptHead) => callRoute('GET', `/evidence/${id}/content`, { claims, query: { grantId } });

beforeAll(async () => {
  await freshTable('evintegrity');
  org = await buildFixtureOrg();
}, 180_000);

describe('a verified original cannot be replaced unnoticed (D7)', () => {
  it('replaying the declaration’s presigned PUT after verification writes nothing: the record, the hashes and the served bytes stay the verified ones', async () => {
    const a = await stored();
    const before = (await get(a.id)).json;
    // the same bytes, as an attacker holding the URL would have to send (the checksum is signed)
    const replay = await fetch(a.upload.url, { method: 'PUT', headers: a.upload.headers, body: a.bytes });
    expect(replay.status).toBe(412);
    // other bytes: refused too (the key is taken, and they do not match the signed checksum)
    const other = randomBytes(a.bytes.length);
    expect([400, 412]).toContain((await fetch(a.upload.url, { method: 'PUT', headers: a.upload.headers, body: other })).status);
    // dropping the signed If-None-Match breaks the signature
    const { 'if-none-match': _dropped, ...noCondition } = a.upload.headers as Record<string, string>;
    expect((await fetch(a.upload.url, { method: 'PUT', headers: noCondition, body: a.bytes })).status).toBe(403);
    expect((await get(a.id)).json).toEqual(before);
    const c = await content(a.id, await grant(a.id));
    expect(c.status, c.text).toBe(200);
    expect(Buffer.from(await (await fetch(c.json.url)).arrayBuffer()).equals(a.bytes)).toBe(true);
  });

  it('a second ObjectCreated on a verified key is tampering: recorded, the custodians and the security administrator alerted, audited; a redelivered event is not', async () => {
    const a = await stored();
    // S3 delivers an event more than once at times: the very same event is no tampering
    const [again] = await evidenceArrived(a.event);
    expect(again!.outcome).toBe('alreadyIngested');
    // a new write of the key (what a replayed upload would be in a versioned bucket: a new version)
    const stray = objectCreatedEvent({ bucket: bucket(), key: a.key, size: a.bytes.length, eTag: 'f'.repeat(32) });
    const [r] = await evidenceArrived(stray);
    expect(r).toMatchObject({ outcome: 'tampered', intact: true });
    const e = (await get(a.id)).json;
    // the stored bytes are still the verified ones: the item stays verified, the stray arrival on its record
    expect(e).toMatchObject({ status: 'verified', sha256: sha(a.bytes) });
    expect(e.strayArrivals).toHaveLength(1);
    expect(e.strayArrivals[0]).toMatchObject({ intact: true, eTag: 'f'.repeat(32) });
    for (const claims of [org.claims.officer, org.claims.deptHead, org.claims.secAdmin]) {
      expect(
        (await inbox(claims)).some((n) => n.title.startsWith('【告警】') && n.title.includes('原始声像资料')),
        JSON.stringify(claims),
      ).toBe(true);
    }
    expect((await auditOf(a.id)).some((x) => x.action === 'evidence.tamper' && x.outcome === 'failed')).toBe(true);
    // the stray event redelivered: recorded once, alerted once
    const [twice] = await evidenceArrived(stray);
    expect(twice!.outcome).toBe('alreadyRecorded');
    expect((await get(a.id)).json.strayArrivals).toHaveLength(1);
  });

  it('when the verified bytes themselves were replaced behind S3 (an unversioned store), the item is quarantined and its content is no longer served', async () => {
    const a = await stored();
    const grantId = await grant(a.id);
    const forged = randomBytes(a.bytes.length);
    overwriteStoredObject(bucket(), a.key, forged);
    const [r] = await evidenceArrived(objectCreatedEvent({ bucket: bucket(), key: a.key, size: forged.length, eTag: 'x' }));
    expect(r).toMatchObject({ outcome: 'tampered', intact: false });
    const e = (await get(a.id)).json;
    expect(e).toMatchObject({ status: 'quarantined', sha256: sha(a.bytes), quarantine: { reason: 'overwritten', actualSha256: sha(forged) } });
    const c = await content(a.id, grantId);
    expect(c.status).toBe(409);
    expect((await inbox(org.claims.secAdmin)).some((n) => n.title.startsWith('【告警】'))).toBe(true);
  });

  it('an object under evidence/ that the product did not expect is isolated, the security administrator alerted, and audited', async () => {
    const id = newId();
    const key = `evidence/${org.agencyId}/${id}/original`;
    await testS3().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: 'stray', IfNoneMatch: '*' }));
    const [r] = await evidenceArrived(objectCreatedEvent({ bucket: bucket(), key, size: 5, eTag: 'x' }));
    expect(r).toMatchObject({ outcome: 'unexpected' });
    const tags = await testS3().send(new GetObjectTaggingCommand({ Bucket: bucket(), Key: key }));
    expect(tags.TagSet).toEqual(expect.arrayContaining([{ Key: 'quarantine', Value: 'true' }]));
    expect((await inbox(org.claims.secAdmin)).some((n) => n.title.includes('未登记'))).toBe(true);
    expect((await auditOf(id)).some((x) => x.action === 'evidence.unexpectedObject' && x.outcome === 'failed')).toBe(true);
    // a key outside the layout is not ignored either
    const odd = `evidence/${org.agencyId}/stray-${randomBytes(3).toString('hex')}.bin`;
    await testS3().send(new PutObjectCommand({ Bucket: bucket(), Key: odd, Body: 'stray', IfNoneMatch: '*' }));
    const [o] = await evidenceArrived(objectCreatedEvent({ bucket: bucket(), key: odd, size: 5, eTag: 'x' }));
    expect(o).toMatchObject({ outcome: 'unexpected' });
    expect((await auditOf(odd)).some((x) => x.action === 'evidence.unexpectedObject')).toBe(true);
  });

  it('upload URLs live minutes (D2 uploadUrlMinutes), not hours', async () => {
    const bytes = randomBytes(64);
    const d = await declare(bytes);
    expect(d.json.upload.expiresIn).toBe(30 * 60);
    expect(new URL(d.json.upload.url).searchParams.get('X-Amz-Expires')).toBe('1800');
    const more = await callRoute('GET', `/evidence/${d.json.evidence.evidenceId}/upload`, { claims: org.claims.officer });
    expect(new URL(more.json.url).searchParams.get('X-Amz-Expires')).toBe('1800');
  });
});

describe('capture times are plausible or explained; retention never counts from before the ingest (D2, D3)', () => {
  const capture = (startedAt: string, endedAt = startedAt) => ({ capture: { officerId: org.officerId, deviceId: 'DSJ-001', startedAt, endedAt, place: '某路口' } });

  it('a capture in the future beyond the clock skew is refused; a device clock a minute ahead is accepted', async () => {
    const ahead = new Date(Date.now() + 60 * 60_000).toISOString();
    const r = await declare(randomBytes(8), capture(minutesAgo(1), ahead));
    expect(r.status).toBe(400);
    expect(r.json.errors[0].path).toBe('body.capture.endedAt');
    const s = await declare(randomBytes(8), capture(ahead, ahead));
    expect(s.status).toBe(400);
    expect(s.json.errors.map((e: { path: string }) => e.path)).toContain('body.capture.startedAt');
    const slight = new Date(Date.now() + 60_000).toISOString();
    expect((await declare(randomBytes(8), capture(minutesAgo(10), slight))).status).toBe(201);
  });

  it.each([['1900-01-01T09:00:00+08:00'], ['0000-02-29T00:04:58+16:30'], ['2026-01-06T21:00:00+15:00']])(
    'a capture time no calendar can hold (%s: before 1949-10-01, or an offset beyond 14 hours) is refused at the edge, even with a reason',
    async (startedAt) => {
      const r = await declare(randomBytes(8), { ...capture(startedAt, startedAt), lateReason: '补存' });
      expect(r.status).toBe(400);
      expect(r.json.errors.map((e: { path: string }) => e.path)).toContain('body.capture.startedAt');
    },
  );

  it.each([['2020-01-06T21:00:00+08:00'], ['1949-10-01T09:00:00+08:00']])(
    'a patrol declared captured %s needs a reason, is stored late, flagged to the department head, kept 6 months from its ingest, and never swept',
    async (startedAt) => {
      const bytes = randomBytes(128);
      const bare = await declare(bytes, capture(startedAt, startedAt.replace(/T\d\d/, 'T23')));
      expect(bare.status).toBe(400);
      expect(bare.json.code).toBe('evidence.lateReasonRequired');
      expect(bare.json.errors[0].path).toBe('body.lateReason');
      const a = await stored({ ...capture(startedAt, startedAt.replace(/T\d\d/, 'T23')), lateReason: '执法记录仪故障送修，取回后补存' }, bytes);
      const e = (await get(a.id)).json;
      const storedOn = e.ingestedAt.slice(0, 10);
      expect(e.late).toBe(true);
      expect(e.lateDeclaration).toMatchObject({ reason: '执法记录仪故障送修，取回后补存' });
      // D3: at least 6 months from the ingest, whatever the declared capture
      expect(e.retention.retainUntil > storedOn).toBe(true);
      expect(e.retention.basis.some((b: { source: string; from: string }) => b.source === 'storedFloor' && b.from === storedOn)).toBe(true);
      expect((await inbox(org.claims.deptHead)).some((n) => n.title.startsWith('【迟延存储】'))).toBe(true);
      const p = await callRoute('POST', `/evidence/${a.id}/disposition`, { claims: org.claims.legal });
      expect(p.status).toBe(409);
      expect(p.json.code).toBe('evidence.retained');
      // the nightly job (01:00) proposes nothing for it
      await retentionSweep({ full: true });
      expect(await readDisposition(a.id)).toBeUndefined();
    },
  );

  it('an original ingested more than six months ago can be proposed for disposition; the proposal shows the capture and the ingest dates', async () => {
    const longAgo = new Date(Date.now() - 250 * 86_400_000);
    installClock({ now: () => longAgo });
    let a: Awaited<ReturnType<typeof stored>>;
    try {
      a = await stored(capture(new Date(longAgo.getTime() - 3_600_000).toISOString()));
    } finally {
      installClock(undefined);
    }
    const p = await callRoute('POST', `/evidence/${a.id}/disposition`, { claims: org.claims.legal });
    expect(p.status, p.text).toBe(201);
    const e = (await get(a.id)).json;
    expect(p.json).toMatchObject({ capturedOn: e.retention.capturedOn, storedOn: e.ingestedAt.slice(0, 10), retainUntil: e.retention.retainUntil });
    expect(p.json.capturedOn < p.json.storedOn || p.json.capturedOn === p.json.storedOn).toBe(true);
  });
});
