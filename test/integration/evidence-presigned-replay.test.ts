import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as attachmentArrived } from '#functions/events/attachment-arrived.ts';
import { handler as evidenceArrived } from '#functions/events/evidence-arrived.ts';
import { MIN_PART_BYTES } from '#shared/evidence/model.ts';
import { installClock } from '#shared/kernel/clock.ts';
import { callRoute, embedded, freshTable, objectCreatedEvent, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';

/**
 * Acceptance (issue 8): every presigned URL the product issues, replayed after its purpose is
 * fulfilled, is refused — or is harmless: it can only ever give back the verified bytes to someone
 * who was entitled to them. Upload URLs (evidence single PUT, multipart parts, derived copies,
 * attachments) are refused once the upload is complete; view and download URLs never outlive the
 * grant and serve the verified version only. Against the embedded platform's S3, whose guard
 * (infra/local/s3-guard.ts) refuses what the bucket refuses in AWS.
 */
let org: FixtureOrg;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const bucket = () => embedded().bucketName;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codeOf = async (res: Response) => /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
const bytesOf = async (url: string) => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};
const record = async (id: string) => (await callRoute('GET', `/evidence/${id}`, { claims: org.claims.leadership })).json;

/** what POST /evidence answers for the upload (shared/evidence/service.ts createItem) */
interface Upload {
  mode: 'single' | 'multipart';
  url: string;
  headers: Record<string, string>;
  partSize: number;
  parts: { partNumber: number; url: string }[];
}
const declare = async (claims: Claims, bytes: Buffer) => {
  const r = await callRoute('POST', '/evidence', {
    claims,
    headers: { 'idempotency-key': idempotencyKey('rpl') },
    body: {
      kind: 'patrol',
      title: '巡查执法记录',
      fileName: '执法记录仪.mp4',
      mediaType: 'video/mp4',
      size: bytes.length,
      sha256: sha(bytes),
      capture: { officerId: org.officerId, deviceId: 'DSJ-7', startedAt: minutesAgo(20), endedAt: minutesAgo(2), place: '某街道' },
    },
  });
  expect(r.status, r.text).toBe(201);
  return r.json as { evidence: { evidenceId: string; key: string }; upload: Upload };
};
const ingest = async (key: string, size: number) => (await evidenceArrived(objectCreatedEvent({ bucket: bucket(), key, size, eTag: 'x' })))[0]!;
const approvedGrant = async (id: string, scope: 'view' | 'download', days = 1) => {
  const req = await callRoute('POST', `/evidence/${id}/view-requests`, { claims: org.claims.deptHead, body: { purpose: '复查执法过程', scope, days } });
  expect(req.status, req.text).toBe(201);
  return req;
};
const approve = (id: string, req: { json: { requestId: string }; headers: Record<string, string> }) =>
  callRoute('POST', `/evidence/${id}/view-requests/${req.json.requestId}/decision`, { claims: org.claims.leadership, body: { approve: true }, headers: { 'if-match': req.headers.etag! } });
const single = async (bytes = randomBytes(1024)) => {
  const d = await declare(org.claims.officer, bytes);
  expect((await fetch(d.upload.url, { method: 'PUT', headers: d.upload.headers, body: bytes })).status).toBe(200);
  expect((await ingest(d.evidence.key, bytes.length)).outcome).toBe('verified');
  return { id: d.evidence.evidenceId, bytes, d };
};

beforeAll(async () => {
  await freshTable('evreplay');
  org = await buildFixtureOrg();
}, 180_000);

describe('upload URLs stop working once the upload is complete', () => {
  it('evidence single PUT: a replay is refused (412), with other bytes too; the record is unchanged', async () => {
    const { id, bytes, d } = await single();
    const before = await record(id);
    const same = await fetch(d.upload.url, { method: 'PUT', headers: d.upload.headers, body: bytes });
    expect([same.status, await codeOf(same)]).toEqual([412, 'PreconditionFailed']);
    const other = await fetch(d.upload.url, { method: 'PUT', headers: d.upload.headers, body: randomBytes(bytes.length) });
    expect([
      [400, 'BadDigest'],
      [412, 'PreconditionFailed'],
    ]).toContainEqual([other.status, await codeOf(other)]);
    expect(await record(id)).toEqual(before);
    // and the API hands out no fresh upload URL for a stored original
    expect((await callRoute('GET', `/evidence/${id}/upload`, { claims: org.claims.officer })).status).toBe(409);
  });

  it('evidence multipart: part URLs replayed after completion are NoSuchUpload (404); completing again is 409', async () => {
    const bytes = randomBytes(MIN_PART_BYTES + 4096);
    const d = await declare(org.claims.officer, bytes);
    expect(d.upload.mode).toBe('multipart');
    const parts = [];
    for (const p of d.upload.parts) {
      const res = await fetch(p.url, { method: 'PUT', body: bytes.subarray((p.partNumber - 1) * d.upload.partSize, p.partNumber * d.upload.partSize) });
      expect(res.status).toBe(200);
      parts.push({ partNumber: p.partNumber, etag: res.headers.get('etag')! });
    }
    const done = await callRoute('POST', `/evidence/${d.evidence.evidenceId}/complete`, { claims: org.claims.officer, body: { parts } });
    expect(done.status, done.text).toBe(200);
    expect((await ingest(d.evidence.key, bytes.length)).outcome).toBe('verified');
    const before = await record(d.evidence.evidenceId);
    for (const p of d.upload.parts) {
      const replay = await fetch(p.url, { method: 'PUT', body: randomBytes(1024) });
      expect([replay.status, await codeOf(replay)]).toEqual([404, 'NoSuchUpload']);
    }
    expect((await callRoute('POST', `/evidence/${d.evidence.evidenceId}/complete`, { claims: org.claims.officer, body: { parts } })).status).toBe(409);
    expect(await record(d.evidence.evidenceId)).toEqual(before);
  }, 60_000);

  it('derived copy: its upload URL replayed after the ingest is refused (412); the clip and the original are unchanged', async () => {
    const original = await single();
    const req = await approvedGrant(original.id, 'download');
    expect((await approve(original.id, req)).status).toBe(200);
    const clip = randomBytes(300);
    const derived = await callRoute('POST', `/evidence/${original.id}/derived`, {
      claims: org.claims.deptHead,
      headers: { 'idempotency-key': idempotencyKey('dv') },
      body: { derivation: 'clip', grantId: req.json.requestId, title: '片段', fileName: 'clip.mp4', mediaType: 'video/mp4', size: clip.length, sha256: sha(clip) },
    });
    expect(derived.status, derived.text).toBe(201);
    const up = derived.json.upload;
    expect((await fetch(up.url, { method: 'PUT', headers: up.headers, body: clip })).status).toBe(200);
    expect((await ingest(derived.json.evidence.key, clip.length)).outcome).toBe('verified');
    const [clipBefore, originalBefore] = [await record(derived.json.evidence.evidenceId), await record(original.id)];
    const replay = await fetch(up.url, { method: 'PUT', headers: up.headers, body: clip });
    expect([replay.status, await codeOf(replay)]).toEqual([412, 'PreconditionFailed']);
    expect(await record(derived.json.evidence.evidenceId)).toEqual(clipBefore);
    expect(await record(original.id)).toEqual(originalBefore);
  });

  it('attachment: its upload URL replayed after verification is refused, with the same bytes or others; the download gives the verified bytes', async () => {
    const F = `/officers/${org.officerId}/file/attachments`;
    const bytes = Buffer.from(`%PDF-1.7 培训证书 ${randomBytes(16).toString('hex')}`);
    const a = await callRoute('POST', F, {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('att') },
      body: { fileName: '培训证书.pdf', contentType: 'application/pdf', size: bytes.length, sha256: sha(bytes) },
    });
    expect(a.status, a.text).toBe(201);
    const up = a.json.upload;
    expect((await fetch(up.url, { method: 'PUT', headers: up.headers, body: bytes })).status).toBe(200);
    await attachmentArrived(objectCreatedEvent({ bucket: bucket(), key: a.json.attachment.key, size: bytes.length, eTag: 'x' }) as never);
    const same = await fetch(up.url, { method: 'PUT', headers: up.headers, body: bytes });
    expect([same.status, await codeOf(same)]).toEqual([412, 'PreconditionFailed']);
    const forged = Buffer.from(bytes);
    forged[0]! ^= 1;
    expect([400, 412]).toContain((await fetch(up.url, { method: 'PUT', headers: up.headers, body: forged })).status);
    const got = await callRoute('GET', `${F}/${a.json.attachment.attachmentId}`, { claims: org.claims.officer });
    expect(got.status, got.text).toBe(200);
    expect(got.json.attachment.status).toBe('verified');
    expect((await bytesOf(got.json.downloadUrl)).equals(bytes)).toBe(true);
  });
});

describe('view and download URLs: the verified version only, never past the grant', () => {
  it('a view URL replayed after use gives the same verified bytes (harmless); it dies with the grant (403), and no new one is issued', async () => {
    const { id, bytes } = await single();
    const req = await approvedGrant(id, 'view');
    // the grant is approved so that it ends a few seconds from now
    const endsInMs = 4000;
    const realNow = Date.now();
    installClock({ now: () => new Date(realNow - 86_400_000 + endsInMs) });
    try {
      expect((await approve(id, req)).status).toBe(200);
    } finally {
      installClock(undefined);
    }
    const c = await callRoute('GET', `/evidence/${id}/content`, { claims: org.claims.deptHead, query: { grantId: req.json.requestId } });
    expect(c.status, c.text).toBe(200);
    expect(c.json.expiresIn).toBeLessThanOrEqual(Math.ceil(endsInMs / 1000));
    expect((await bytesOf(c.json.url)).equals(bytes)).toBe(true);
    expect((await bytesOf(c.json.url)).equals(bytes)).toBe(true); // used again: the same verified bytes
    await sleep(realNow + endsInMs + 1500 - Date.now());
    const late = await fetch(c.json.url);
    expect([late.status, await codeOf(late)]).toEqual([403, 'AccessDenied']);
    expect((await callRoute('GET', `/evidence/${id}/content`, { claims: org.claims.deptHead, query: { grantId: req.json.requestId } })).status).toBe(403);
  }, 30_000);

  it('a download URL and a court copy’s URL, replayed, give only the verified bytes, and live no longer than D6 allows', async () => {
    const { id, bytes } = await single();
    const req = await approvedGrant(id, 'download');
    expect((await approve(id, req)).status).toBe(200);
    const c = await callRoute('GET', `/evidence/${id}/content`, { claims: org.claims.deptHead, query: { grantId: req.json.requestId, download: 'true' } });
    expect(c.status, c.text).toBe(200);
    expect(Number(new URL(c.json.url).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    for (let i = 0; i < 2; i++) expect((await bytesOf(c.json.url)).equals(bytes)).toBe(true);
    const copy = await callRoute('POST', `/evidence/${id}/copies`, { claims: org.claims.legal, body: { recipient: '青山区人民法院', purpose: '行政诉讼举证', reference: '(2026)云0102行初 9 号' } });
    expect(copy.status, copy.text).toBe(201);
    expect(Number(new URL(copy.json.download.url).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    for (let i = 0; i < 2; i++) expect((await bytesOf(copy.json.download.url)).equals(bytes)).toBe(true);
    expect(copy.json.copy.sha256).toBe(sha(bytes));
  });
});
