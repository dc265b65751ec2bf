import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as evidenceArrived } from '#functions/events/evidence-arrived.ts';
import { handler as evidenceJobs } from '#functions/jobs/evidence.ts';
import { handler as preservationHttp } from '#functions/http/preservation.ts';
import { documentClient, tableName } from '#shared/adapters/dynamodb/client.ts';
import type { AuditContext } from '#shared/adapters/dynamodb/commit.ts';
import { principalFromClaims } from '#shared/access/principal.ts';
import { readDisposition } from '#shared/evidence/custody.ts';
import { anchorKey, auditHeads, findAnchor } from '#shared/audit/anchor.ts';
import { anchorAudit } from '#shared/evidence/audit-anchoring.ts';
import { fixity, fixityChecksOf } from '#shared/evidence/fixity.ts';
import { exportPackage } from '#shared/evidence/job-records.ts';
import { findPackage, preservation } from '#shared/evidence/packaging.ts';
import { retentionSweep } from '#shared/evidence/retention-sweep.ts';
import { sampleSpotChecks, spotCheck, spotCheckEntries } from '#shared/evidence/spot-check.ts';
import { findEvidence, fixityBucketOf } from '#shared/evidence/model.ts';
import { canonicalJson, sha256Hex } from '#shared/kernel/hash.ts';
import { installClock, shanghaiDate } from '#shared/kernel/clock.ts';
import { validateBag } from '#shared/preservation/bagit.ts';
import { S3BagStore } from '#shared/preservation/s3-store.ts';
import { DEFAULT_RULES } from '#shared/rules/catalog.ts';
import { callRoute, embedded, freshTable, objectCreatedEvent, s3Client as testS3, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { overwriteStoredObject } from '../support/s3-storage.ts';

/**
 * The nightly evidence jobs (shared/evidence/job-support.ts) on the embedded services: the retention sweep
 * and the two-person disposition, fixity against bit rot, the BagIt preservation package of a
 * closed case, the D8 spot-check draw, the daily anchoring of the audit chain heads.
 */
let org: FixtureOrg;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const today = () => shanghaiDate(new Date());
const bucket = () => embedded().bucketName;
const ctxOf = (claims: Claims): AuditContext => ({ principal: principalFromClaims(claims), source: { requestId: 'test' } });

/** declare, PUT the bytes straight to S3, deliver S3's event: a verified original */
const store = async (bytes: Buffer, over: Record<string, unknown> = {}) => {
  const r = await callRoute('POST', '/evidence', {
    claims: org.claims.officer,
    headers: { 'idempotency-key': idempotencyKey('evj') },
    body: {
      kind: 'patrol',
      title: '巡查执法记录',
      fileName: '执法记录仪_0001.mp4',
      mediaType: 'video/mp4',
      size: bytes.length,
      sha256: sha(bytes),
      capture: { officerId: org.officerId, deviceId: 'DSJ-001', startedAt: daysAgo(0.02), endedAt: daysAgo(0.01), place: '青山区某市场' },
      ...over,
    },
  });
  expect(r.status, r.text).toBe(201);
  const put = await fetch(r.json.upload.url, { method: 'PUT', headers: r.json.upload.headers, body: bytes });
  expect(put.status).toBe(200);
  const [ingested] = await evidenceArrived(objectCreatedEvent({ bucket: bucket(), key: r.json.evidence.key, size: bytes.length, eTag: 'x' }));
  expect(ingested!.outcome).toBe('verified');
  return { evidenceId: r.json.evidence.evidenceId as string, key: r.json.evidence.key as string, bytes };
};

/** stored on a day long past (the platform's clock set back for the declaration and the ingest) */
const storeOn = async (daysBack: number, bytes: Buffer, over: Record<string, unknown> = {}) => {
  const at = new Date(Date.now() - daysBack * 86_400_000);
  installClock({ now: () => at });
  try {
    return await store(bytes, over);
  } finally {
    installClock(undefined);
  }
};

const objectExists = (key: string) =>
  testS3()
    .send(new HeadObjectCommand({ Bucket: bucket(), Key: key }))
    .then(
      () => true,
      () => false,
    );
const overwrite = (key: string, body: Buffer) => testS3().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body }));
const readText = async (key: string) => (await testS3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }))).Body!.transformToString('utf8');
const auditOf = async (objectType: string, objectId: string) =>
  (await callRoute('GET', '/audit', { claims: org.claims.auditor, query: { objectType, objectId, limit: 200 } })).json.items as { action: string; outcome: string; reason?: string }[];
const inbox = async (claims: Claims) => (await callRoute('GET', '/inbox', { claims, query: { limit: 200 } })).json.items as { title: string }[];

/** an mp4-looking recording (ftyp box first), so the format checks of 四性检测 recognise it */
const mp4 = (n: number) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(12), randomBytes(n)]);

beforeAll(async () => {
  await freshTable('evjobs');
  org = await buildFixtureOrg();
}, 180_000);

describe('retention sweep and disposition (D3, D4, D7)', () => {
  it('proposes the disposition of an expired routine recording and not of a held one; two distinct approvals, then the job destroys it', async () => {
    const old = { capture: { officerId: org.officerId, deviceId: 'DSJ-001', startedAt: daysAgo(240), endedAt: daysAgo(239.99), place: '某路口' } };
    const expired = await storeOn(239.9, randomBytes(300), old);
    const held = await storeOn(239.9, randomBytes(200), old);
    const e = await findEvidence(expired.evidenceId, true);
    expect(e!.retention!.retainUntil! < today()).toBe(true); // D3 patrol floor (6 months) long past
    const h = await callRoute('POST', `/evidence/${held.evidenceId}/holds`, { claims: org.claims.officer, body: { reason: 'complaint', note: '当事人投诉' }, headers: { 'if-match': '"2"' } });
    expect(h.status, h.text).toBe(200);

    const first = await retentionSweep();
    expect(first.proposed).toBeGreaterThanOrEqual(1);
    const d = await readDisposition(expired.evidenceId);
    expect(d).toMatchObject({ status: 'proposed', proposedBy: 'system:evidence-jobs', approvals: [], version: 1 });
    expect(await readDisposition(held.evidenceId)).toBeUndefined();
    // a rerun proposes nothing twice
    const again = await retentionSweep();
    expect(again.proposed).toBe(0);
    expect(again.alreadyProposed).toBeGreaterThanOrEqual(1);
    // the approvers are told
    expect((await inbox(org.claims.legal)).some((n) => n.title.includes('销毁申请'))).toBe(true);

    // two approvals by two different people; the same person twice is refused
    const approve = (claims: Claims, etag: string) => callRoute('POST', `/evidence/${expired.evidenceId}/disposition/approvals`, { claims, headers: { 'if-match': etag } });
    const a1 = await approve(org.claims.leadership, '"1"');
    expect(a1.status, a1.text).toBe(200);
    const twice = await approve(org.claims.leadership, a1.headers.etag!);
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('evidence.sameApprover');
    // one approval is not enough: nothing is destroyed
    expect((await retentionSweep()).destroyed).toBe(0);
    expect(await objectExists(expired.key)).toBe(true);
    const a2 = await approve(org.claims.legal, a1.headers.etag!);
    expect(a2.status, a2.text).toBe(200);
    expect(a2.json.status).toBe('approved');

    const done = await retentionSweep();
    expect(done.destroyed).toBe(1);
    expect(await objectExists(expired.key)).toBe(false);
    expect((await findEvidence(expired.evidenceId, true))!.status).toBe('disposed');
    expect((await readDisposition(expired.evidenceId))!.status).toBe('destroyed');
    const register = await documentClient().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `DESTRUCTION#${org.agencyId}` } }));
    const entry = register.Items!.map((i) => i.record).find((r) => r.evidenceId === expired.evidenceId);
    expect(entry).toMatchObject({ sha256: sha(expired.bytes), key: expired.key });
    expect(entry.approvals.map((a: { userId: string }) => a.userId).sort()).toEqual(['dist-leader', 'dist-legal']);
    expect((await auditOf('evidence', expired.evidenceId)).some((a) => a.action === 'evidence.destroy' && a.outcome === 'allowed')).toBe(true);
    // the held item is untouched
    expect(await objectExists(held.key)).toBe(true);
    expect((await findEvidence(held.evidenceId, true))!.status).toBe('verified');
  }, 120_000);

  it('S3 Object Lock refusing the deletion is audited as denied, never forced, and the item stays', async () => {
    // captured long ago and stored late, with a reason (D2), long ago too: its expiry month is before the sweep's cursor, the full sweep finds it
    const item = await storeOn(200, randomBytes(100), {
      capture: { officerId: org.officerId, deviceId: 'DSJ-002', startedAt: daysAgo(400), endedAt: daysAgo(399.99), place: '某街道' },
      lateReason: '设备遗失后寻回',
    });
    expect((await retentionSweep({ full: true })).proposed).toBe(1);
    const a1 = await callRoute('POST', `/evidence/${item.evidenceId}/disposition/approvals`, { claims: org.claims.leadership, headers: { 'if-match': '"1"' } });
    const a2 = await callRoute('POST', `/evidence/${item.evidenceId}/disposition/approvals`, { claims: org.claims.legal, headers: { 'if-match': a1.headers.etag! } });
    expect(a2.json.status).toBe('approved');
    const lockRefusal = async () => {
      throw Object.assign(new Error('Access Denied because object protected by object lock.'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    };
    const r = await retentionSweep({ deleteVersion: lockRefusal });
    expect(r.objectLockRefused).toBe(1);
    expect(r.destroyed).toBe(0);
    expect(await objectExists(item.key)).toBe(true);
    expect((await findEvidence(item.evidenceId, true))!.status).toBe('verified');
    expect((await readDisposition(item.evidenceId))!.status).toBe('approved');
    const denied = (await auditOf('evidence', item.evidenceId)).find((a) => a.action === 'evidence.destroy');
    expect(denied).toMatchObject({ outcome: 'denied' });
    expect(denied!.reason).toContain('Object Lock');
  }, 60_000);
});

describe('fixity (bit rot, D7)', () => {
  it('finds an original whose bytes changed in storage, flags it and alerts; an intact one passes; a rerun the same day checks nothing twice', async () => {
    const intact = await store(randomBytes(4096));
    const rotten = await store(randomBytes(4096));
    const flipped = Buffer.from(rotten.bytes);
    flipped[1000]! ^= 0x10;
    overwriteStoredObject(bucket(), rotten.key, flipped); // what bit rot (or someone with access to the disks) does: no S3 request, no event

    const buckets = [...new Set([fixityBucketOf(intact.evidenceId), fixityBucketOf(rotten.evidenceId)])];
    const results = [];
    for (const b of buckets) results.push(await evidenceJobs({ job: 'fixity', bucket: b }));
    const mismatched = results.flatMap((r) => (r as Awaited<ReturnType<typeof fixity>>).mismatched);
    expect(mismatched).toContain(rotten.evidenceId);
    expect(mismatched).not.toContain(intact.evidenceId);

    const [bad] = await fixityChecksOf(rotten.evidenceId);
    expect(bad).toMatchObject({ ok: false, expected: { sha256: sha(rotten.bytes) }, actual: { sha256: sha(flipped), bytes: 4096 } });
    const [good] = await fixityChecksOf(intact.evidenceId);
    expect(good).toMatchObject({ ok: true });
    // the storage-stage 四性检测 is recorded with each check. These test bytes are random, not the MP4 they
    // claim to be (authenticity, usability), the item has no case (integrity: caseId is required
    // metadata), and s3rver has no Object Lock, KMS or virus scan (security): every property says so
    expect(good!.fourProperties).toEqual({ overall: false, authenticity: false, integrity: false, usability: false, security: false });
    const flagged = (await findEvidence(rotten.evidenceId, true))!;
    expect(flagged.fixityMismatch).toMatchObject({ expectedSha256: sha(rotten.bytes), actualSha256: sha(flipped) });
    expect(flagged.version).toBe(3);
    expect(await findEvidence(intact.evidenceId, true)).not.toHaveProperty('fixityMismatch');
    // the security administrator and the leadership are told; the audit trail says so
    expect((await inbox(org.claims.secAdmin)).some((n) => n.title.startsWith('【告警】') && n.title.includes('固定性'))).toBe(true);
    expect((await inbox(org.claims.leadership)).some((n) => n.title.startsWith('【告警】'))).toBe(true);
    expect((await auditOf('evidence', rotten.evidenceId)).some((a) => a.action === 'evidence.fixity' && a.outcome === 'failed')).toBe(true);
    expect((await auditOf('evidence', intact.evidenceId)).some((a) => a.action === 'evidence.fixity' && a.outcome === 'allowed')).toBe(true);

    const rerun = await fixity({ bucket: fixityBucketOf(rotten.evidenceId) });
    expect(rerun.checked).toBe(0);
    expect(rerun.alreadyChecked).toBeGreaterThanOrEqual(1);
    expect(await fixityChecksOf(rotten.evidenceId)).toHaveLength(1);
  }, 60_000);

  it('refuses a rota bucket that does not exist', async () => {
    await expect(evidenceJobs({ job: 'fixity', bucket: 365 })).rejects.toThrow(/bucket/);
    await expect(evidenceJobs({ job: 'nonsense' } as never)).rejects.toThrow(/unknown evidence job/);
  });
});

describe('preservation package of a closed case (BagIt, 四性检测)', () => {
  let caseId: string;
  let caseNumber: string;
  let items: Awaited<ReturnType<typeof store>>[];

  beforeAll(async () => {
    caseNumber = `青司罚〔2026〕${Date.now() % 100000}号`;
    const c = await callRoute('POST', '/cases', {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('case') },
      body: {
        kind: 'penalty',
        title: '某商户占道经营',
        caseNumber,
        unitId: org.unitId,
        filedOn: '2026-06-01',
        parties: [{ partyKind: 'person', name: '张某' }],
        officers: [{ officerId: org.officerId, role: 'lead' }],
      },
    });
    expect(c.status, c.text).toBe(201);
    caseId = c.json.caseId;
    items = [
      await store(mp4(5000), { kind: 'evidence-general-procedure', caseId, title: '现场检查录像', fileName: '现场:执法记录仪 01.mp4' }),
      await store(mp4(7000), { kind: 'questioning', caseId, title: '询问录像', fileName: '询问笔录.mp4' }),
    ];
    let etag = (await callRoute('GET', `/cases/${caseId}`, { claims: org.claims.leadership })).headers.etag!;
    const decided = await callRoute('POST', `/cases/${caseId}/steps`, {
      claims: org.claims.leadership,
      headers: { 'if-match': etag },
      body: { step: 'decision', on: '2026-06-10', documentNumber: '青司罚决〔2026〕1号', measures: { fine: 200 } },
    });
    expect(decided.status, decided.text).toBe(200);
    etag = decided.headers.etag!;
    const closed = await callRoute('POST', `/cases/${caseId}/steps`, { claims: org.claims.officer, headers: { 'if-match': etag }, body: { step: 'closed', on: '2026-06-20' } });
    expect(closed.status, closed.text).toBe(200);
  }, 120_000);

  it('packages the closed case with its two originals into a bag that validates, once', async () => {
    const r = await evidenceJobs({ job: 'preservation' });
    expect(r, JSON.stringify(await findPackage(caseId))).toMatchObject({ packaged: 1, failed: 0, invalid: 0 });
    const pkg = (await findPackage(caseId))!;
    expect(pkg).toMatchObject({ status: 'packaged', caseNumber, attempts: 1, validation: { complete: true, valid: true } });
    expect(pkg.prefix).toBe(`packages/${org.agencyId}/${pkg.packageId}/`);
    expect(pkg.evidence!.map((e) => e.evidenceId).sort()).toEqual(items.map((i) => i.evidenceId).sort());
    for (const i of items) expect(pkg.evidence!.find((e) => e.evidenceId === i.evidenceId)!.sha256).toBe(sha(i.bytes));
    expect(pkg.tagFiles!.map((t) => t.path).sort()).toEqual(['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt', 'manifest-sm3.txt', 'tagmanifest-sha256.txt', 'tagmanifest-sm3.txt']);
    // 四性检测 at filing: the bag and both items are authentic, complete and usable (no Object Lock, KMS or virus scan on the local S3: security is reported as it is)
    expect(pkg.report!.stage).toBe('filing');
    expect(pkg.report!.authenticity.pass).toBe(true);
    expect(pkg.report!.integrity.pass).toBe(true);
    expect(pkg.report!.usability.pass).toBe(true);
    expect(pkg.report!.items).toHaveLength(2);

    const bag = new S3BagStore(pkg.prefix);
    const v = await validateBag(bag);
    expect(v.valid, JSON.stringify(v.problems)).toBe(true);
    expect(v.algorithms).toEqual(['sha256', 'sm3']);
    expect(v.oxum.declared).toBe(pkg.payloadOxum);
    const info = Object.fromEntries(v.bagInfo);
    expect(info).toMatchObject({ 'Source-Organization': '测试区司法局', 'External-Identifier': caseNumber, 'Bagging-Date': today() });
    const files = (await bag.list('data/')).sort();
    expect(files).toEqual(
      ['data/audit.json', 'data/case.json', `data/evidence/${items[0]!.evidenceId}/现场_执法记录仪 01.mp4`, `data/evidence/${items[1]!.evidenceId}/询问笔录.mp4`, 'data/premis.json'].sort(),
    );
    // the payload is the original, byte for byte
    const chunks: Uint8Array[] = [];
    for await (const c of bag.read(`data/evidence/${items[1]!.evidenceId}/询问笔录.mp4`)) chunks.push(c);
    expect(sha(Buffer.concat(chunks))).toBe(sha(items[1]!.bytes));
    const caseJson = JSON.parse(await readText(`${pkg.prefix}data/case.json`));
    expect(caseJson).toMatchObject({ caseId, caseNumber, state: 'closed' });
    const audit = JSON.parse(await readText(`${pkg.prefix}data/audit.json`));
    expect(audit.records.some((a: { action: string }) => a.action === 'case.step.closed')).toBe(true);
    expect(audit.records.filter((a: { action: string }) => a.action === 'evidence.ingest')).toHaveLength(2);
    const premis = JSON.parse(await readText(`${pkg.prefix}data/premis.json`));
    expect(premis.events.filter((e: { eventType: string }) => e.eventType === 'ingestion')).toHaveLength(2);
    expect(premis.events.at(-1)).toMatchObject({ eventType: 'information package creation' });
    expect(premis.objects.filter((o: { objectCategory: string }) => o.objectCategory === 'file')).toHaveLength(2);

    // not packaged twice
    const again = await preservation();
    expect(again.packaged).toBe(0);
    expect(again.alreadyPackaged).toBeGreaterThanOrEqual(1);
    expect((await findPackage(caseId))!.packageId).toBe(pkg.packageId);
    // every original's read is audited
    for (const i of items) expect((await auditOf('evidence', i.evidenceId)).some((a) => a.action === 'evidence.package')).toBe(true);
  }, 120_000);

  it('exports the bag to a court through the legal department only, with presigned URLs, audited', async () => {
    const out = await exportPackage(ctxOf(org.claims.legal), caseId, { recipient: '青山区人民法院', purpose: '行政诉讼举证' });
    // the handover-stage check: the bag re-validated as it leaves
    expect(out.handover).toMatchObject({ bagValid: true, complete: true, problems: 0 });
    expect(out.files.map((f) => f.path)).toContain('bagit.txt');
    expect(out.files).toHaveLength(5 + 6);
    expect(out.expiresIn).toBe(DEFAULT_RULES.D6.parameters.presignedUrlSeconds);
    const res = await fetch(out.files.find((f) => f.path === 'data/case.json')!.url);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { caseNumber: string }).caseNumber).toBe(caseNumber);
    await expect(exportPackage(ctxOf(org.claims.leadership), caseId, { recipient: 'x', purpose: 'y' })).rejects.toMatchObject({ code: 'package.forbidden' });
    await expect(exportPackage(ctxOf(org.claims.otherAgency), caseId, { recipient: 'x', purpose: 'y' })).rejects.toMatchObject({ code: 'package.notFound' });
    const trail = await auditOf('case', caseId);
    expect(trail.some((a) => a.action === 'case.exportPackage' && a.outcome === 'allowed' && a.reason!.includes('青山区人民法院'))).toBe(true);
    expect(trail.some((a) => a.action === 'case.exportPackage' && a.outcome === 'denied')).toBe(true);
  });

  it('serves the package record on its read-only route', async () => {
    const event = (claims: Claims) =>
      ({
        routeKey: 'GET /cases/{caseId}/package',
        rawPath: `/cases/${caseId}/package`,
        headers: {},
        pathParameters: { caseId },
        requestContext: { requestId: 'req-1', http: { method: 'GET', sourceIp: '127.0.0.1' }, authorizer: { jwt: { claims } } },
      }) as never;
    const ok = await preservationHttp(event(org.claims.leadership), {} as never);
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body as string)).toMatchObject({ caseId, status: 'packaged' });
    expect((await preservationHttp(event(org.claims.officer), {} as never)).statusCode).toBe(403);
    expect((await preservationHttp(event(org.claims.otherAgency), {} as never)).statusCode).toBe(404);
  });

  it('the S3 bag store streams a large file up in parts and never overwrites a file', async () => {
    const s = S3BagStore.forPackage(org.agencyId, `T${Date.now()}`);
    const h = createHash('sha256');
    const size = 2 * 16 * 1024 * 1024 + 12_345; // three parts
    async function* source() {
      for (let sent = 0; sent < size; ) {
        const c = randomBytes(Math.min(1024 * 1024 + 7, size - sent)); // chunks that straddle the part boundaries
        h.update(c);
        sent += c.length;
        yield c;
      }
    }
    await s.write('data/big.bin', source());
    const expected = h.digest('hex');
    const back = createHash('sha256');
    let n = 0;
    for await (const c of s.read('data/big.bin')) {
      back.update(c);
      n += c.byteLength;
    }
    expect(n).toBe(size);
    expect(back.digest('hex')).toBe(expected);
    await expect(s.write('data/big.bin', Buffer.from('x'))).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(s.write('../escape.txt', Buffer.from('x'))).rejects.toMatchObject({ code: 'EBAGPATH' });
    await expect(
      (async () => {
        for await (const _ of s.read('data/none.bin')) {
          /* nothing */
        }
      })(),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await s.list('')).toEqual(['data/big.bin']);
  }, 60_000);

  it('a payload file changed in the stored bag is reported by validateBag', async () => {
    const pkg = (await findPackage(caseId))!;
    const path = `data/evidence/${items[0]!.evidenceId}/现场_执法记录仪 01.mp4`;
    const tampered = Buffer.from(items[0]!.bytes);
    tampered[tampered.length - 1]! ^= 0xff;
    await overwrite(`${pkg.prefix}${path}`, tampered);
    const v = await validateBag(new S3BagStore(pkg.prefix));
    expect(v.valid).toBe(false);
    expect(v.complete).toBe(true);
    const problems = v.problems.filter((p) => p.code === 'checksumMismatch');
    expect(problems.map((p) => p.file)).toEqual([path, path]); // both manifests, SHA-256 and SM3
    expect(problems.map((p) => p.algorithm).sort()).toEqual(['sha256', 'sm3']);
  });
});

describe('D8 spot checks', () => {
  it('draws deterministically from the date, per D8, and a rerun draws nothing new', async () => {
    const date = today();
    await store(randomBytes(64)); // with the originals stored today by the tests above: at least D8's minimum of five
    const first = (await evidenceJobs({ job: 'spotCheck', date })) as Awaited<ReturnType<typeof spotCheck>>;
    const mine = first.agencies.find((a) => a.agencyId === org.agencyId)!;
    expect(mine.alreadyDrawn).toBe(false);
    expect(mine.population).toBeGreaterThanOrEqual(5);
    const d8 = DEFAULT_RULES.D8.parameters;
    expect(d8.dailySample.mode).toBe('rate');
    expect(mine.sampled).toBe(Math.min(mine.population, Math.max((d8.dailySample as { atLeast: number }).atLeast, Math.ceil((d8.dailySample as { rate: number }).rate * mine.population))));
    expect(mine.written).toBe(mine.sampled);
    const ledger = await spotCheckEntries(org.agencyId, date);
    expect(ledger).toHaveLength(mine.sampled);
    expect(ledger.every((e) => e.officerId === org.officerId && e.reviewer === null && e.ruleVersion === 'D8-default-1')).toBe(true);

    const rerun = await spotCheck({ date });
    expect(rerun.agencies.find((a) => a.agencyId === org.agencyId)).toMatchObject({ alreadyDrawn: true, written: 0, sampled: mine.sampled });
    expect((await spotCheckEntries(org.agencyId, date)).map((e) => e.evidenceId).sort()).toEqual(ledger.map((e) => e.evidenceId).sort());
    // every sampled item's trail shows it; the supervision department is told
    expect((await auditOf('evidence', ledger[0]!.evidenceId)).some((a) => a.action === 'evidence.spotCheckSampled')).toBe(true);
    expect((await inbox({ sub: 'dist-supervision', 'custom:agencyId': org.agencyId, 'cognito:groups': ['supervision'] } as Claims)).some((n) => n.title.startsWith('【抽检】'))).toBe(true);
    // the ledger route (read-only)
    const res = await preservationHttp(
      {
        routeKey: 'GET /agencies/{agencyId}/spot-checks',
        rawPath: `/agencies/${org.agencyId}/spot-checks`,
        headers: {},
        pathParameters: { agencyId: org.agencyId },
        queryStringParameters: { date },
        requestContext: { requestId: 'req-2', http: { method: 'GET', sourceIp: '127.0.0.1' }, authorizer: { jwt: { claims: org.claims.leadership } } },
      } as never,
      {} as never,
    );
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body as string).items).toHaveLength(mine.sampled);
  }, 60_000);

  it('the draw depends on the seed only, not on the order of the candidates; officers under the minimum are topped up', () => {
    const d8 = { dailySample: { mode: 'rate' as const, rate: 0.02, atLeast: 5 }, perOfficer: { minimum: 2, period: { value: 1, unit: 'months' as const } }, countsInAssessment: true };
    const population = Array.from({ length: 40 }, (_, i) => ({ evidenceId: `E${String(i).padStart(3, '0')}`, officerId: i < 36 ? 'A' : 'B' }));
    const a = sampleSpotChecks(population, 'seed-2026-11-22', d8, new Map());
    const b = sampleSpotChecks([...population].reverse(), 'seed-2026-11-22', d8, new Map());
    expect(a.map((p) => p.evidenceId)).toEqual(b.map((p) => p.evidenceId));
    expect(a.filter((p) => p.reason === 'dailySample')).toHaveLength(5);
    for (const o of ['A', 'B']) expect(a.filter((p) => p.officerId === o).length).toBeGreaterThanOrEqual(2);
    // an officer who already had his minimum this period gets no top-up
    const c = sampleSpotChecks(population, 'seed-2026-11-22', d8, new Map([['B', 2]]));
    expect(c.filter((p) => p.officerId === 'B' && p.reason === 'perOfficerMinimum')).toHaveLength(0);
    const other = sampleSpotChecks(population, 'seed-2026-11-23', d8, new Map());
    expect(other.map((p) => p.evidenceId)).not.toEqual(a.map((p) => p.evidenceId));
  });
});

describe('daily anchoring of the audit chain heads', () => {
  it('writes one anchor per agency and day to S3, with the heads and their SHA-256; a rerun writes nothing', async () => {
    const date = today();
    const first = await anchorAudit({ date });
    expect(first.written).toBeGreaterThanOrEqual(3);
    const rec = (await findAnchor(org.agencyId, date))!;
    expect(rec.key).toBe(anchorKey(date, org.agencyId));
    const text = await readText(rec.key);
    expect(sha256Hex(Buffer.from(text))).toBe(rec.sha256);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ agencyId: org.agencyId, date, agencyName: '测试区司法局' });
    expect(doc.headsSha256).toBe(sha256Hex(canonicalJson(doc.heads)));
    expect(doc.heads).toEqual(rec.heads);
    // the heads were the live heads: each has moved on since only by records written after the anchor
    const now = await auditHeads(org.agencyId);
    for (const h of doc.heads) expect(now.find((x) => x.chainId === h.chainId)!.seq).toBeGreaterThanOrEqual(h.seq);
    expect(doc.heads.some((h: { seq: number }) => h.seq > 0)).toBe(true);

    const again = (await evidenceJobs({ job: 'anchorAudit', date })) as Awaited<ReturnType<typeof anchorAudit>>;
    expect(again.written).toBe(0);
    expect(again.alreadyAnchored).toBe(first.written + first.alreadyAnchored);
    expect(await readText(rec.key)).toBe(text);
  });
});
