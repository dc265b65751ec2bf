import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPlatform, type Platform } from '../../infra/local/platform.ts';
import { matchRoute } from '../../infra/local/router.ts';
import { manualClock, type ManualClock } from '../../infra/local/clock.ts';
import { CITY_BUREAU_ID, DEMO_AGENCIES, provisionRootAgency } from '../../infra/local/seed.ts';
import type { TokenUser } from '../../infra/local/tokens.ts';
import { callRoute, freshTable, tokenFor } from '../support/platform.ts';

/** Smoke test of the embedded platform (infra/local) and of the test helpers. */

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const AUTH_PROBLEM = { type: 'urn:problem:auth.invalidToken', title: '未登录或身份令牌无效', status: 401, code: 'auth.invalidToken' };

describe('embedded platform (startPlatform)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'archive-platform-test-'));
  const events: S3Event[] = [];
  let p: Platform | undefined;
  const start = () => startPlatform({ dataDir, onObjectCreated: async (e) => void events.push(e) });

  beforeAll(async () => {
    p = await start();
  });
  afterAll(async () => {
    await p?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /health with 200 through the router over HTTP', async () => {
    const res = await fetch(`${p!.apiUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    expect(p!.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('rejects an auth route without a valid token before the function runs (401 problem+json)', async () => {
    const missing = await fetch(`${p!.apiUrl}/me`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toMatchObject(AUTH_PROBLEM);

    const forged = await fetch(`${p!.apiUrl}/me`, { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject(AUTH_PROBLEM);
  });

  it('accepts a token of the local issuer and passes its claims to the function', async () => {
    const token = await p!.issueToken({ userId: 'u-smoke', name: '测试', agencyId: '01J0C1TY000000000000000000', roles: ['auditor'] });
    const res = await fetch(`${p!.apiUrl}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId: 'u-smoke', agencyId: '01J0C1TY000000000000000000', roles: ['auditor'] });
    const jwks = (await (await fetch(`${p!.apiUrl}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(1);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await fetch(`${p!.apiUrl}/no/such/route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, code: 'route.notFound' });
    const wrongMethod = await fetch(`${p!.apiUrl}/health`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);
  });

  it('refuses bodies over 10 MB like API Gateway (413)', async () => {
    const res = await fetch(`${p!.apiUrl}/agencies`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(10 * 1024 * 1024 + 1, 32) });
    expect(res.status).toBe(413);
  });

  it('serves the API reference at /docs', async () => {
    const html = await fetch(`${p!.apiUrl}/docs/`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('swagger-ui-bundle.js');
    expect((await fetch(`${p!.apiUrl}/docs/swagger-ui.css`)).status).toBe(200);
    expect(await (await fetch(`${p!.apiUrl}/docs/local-initializer.js`)).text()).toContain("url: '/openapi.json'");
    expect((await fetch(`${p!.apiUrl}/docs/..%2Fpackage.json`)).status).toBe(404);
  });

  it('hands ObjectCreated to the hook as a real-shaped S3 event', async () => {
    // attachments/ is written once: If-None-Match, as the bucket policy demands (infra/local/s3-guard.ts)
    await p!.s3.client.send(new PutObjectCommand({ Bucket: p!.bucketName, Key: 'attachments/a b/ü.txt', Body: 'hello', IfNoneMatch: '*' }));
    await p!.drainEvents();
    const rec = events.at(-1)?.Records[0];
    expect(rec?.eventName).toBe('ObjectCreated:Put');
    expect(rec?.awsRegion).toBe('cn-north-1');
    expect(rec?.s3.bucket.name).toBe(p!.bucketName);
    expect(rec?.s3.bucket.arn).toBe(`arn:aws-cn:s3:::${p!.bucketName}`);
    expect(rec?.s3.object).toMatchObject({ key: 'attachments/a+b/%C3%BC.txt', size: 5, eTag: '5d41402abc4b2a76b9719d911017c592' });
    expect(rec?.s3.object.versionId).toBeUndefined();
  });

  it('keeps the data across a stop and a start on the same data folder, and stops the java child', async () => {
    const first = p!;
    await first.dynamo.client.send(new PutItemCommand({ TableName: first.tableName, Item: { pk: { S: 'SMOKE#1' }, sk: { S: 'META' }, v: { S: 'kept' } } }));
    const pid = first.dynamo.pid;
    expect(isAlive(pid)).toBe(true);
    await first.stop();
    expect(isAlive(pid)).toBe(false);
    expect(process.env.DYNAMODB_ENDPOINT).not.toBe(first.dynamoEndpoint);

    p = await start();
    const table = await p.dynamo.client.send(new DescribeTableCommand({ TableName: p.tableName }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    const item = await p.dynamo.client.send(new GetItemCommand({ TableName: p.tableName, Key: { pk: { S: 'SMOKE#1' }, sk: { S: 'META' } } }));
    expect(item.Item?.v?.S).toBe('kept');
    const health = await fetch(`${p.apiUrl}/health`);
    expect(health.status).toBe(200);
  });
});

describe('test helpers (in-process router)', () => {
  beforeAll(async () => {
    await freshTable();
  });

  it('callRoute reaches the handler without a network', async () => {
    const res = await callRoute('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok' });
  });

  it('callRoute verifies tokens like the authorizer, or takes claims directly', async () => {
    const user = { userId: 'u-helper', agencyId: '01J0C1TY000000000000000000', roles: ['officer' as const], officerId: '01J0C1TY000000000000000001' };
    expect((await callRoute('GET', '/me')).json).toMatchObject(AUTH_PROBLEM);
    expect((await callRoute('GET', '/me', { token: 'not-a-jwt' })).status).toBe(401);
    const viaToken = await callRoute('GET', '/me', { token: await tokenFor(user) });
    expect(viaToken.status).toBe(200);
    expect(viaToken.json).toMatchObject({ userId: 'u-helper', officerId: user.officerId, roles: ['officer'] });
    const viaClaims = await callRoute('GET', '/me', { user });
    expect(viaClaims.json).toMatchObject({ userId: 'u-helper' });
    const expired = await callRoute('GET', '/me', { token: await tokenFor(user, { lifetimeSeconds: -10 }) });
    expect(expired.status).toBe(401);
  });

  it('callRoute answers unknown routes with 404 problem+json', async () => {
    const res = await callRoute('GET', '/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  it('matches literal segments before parameters and decodes parameters', () => {
    expect(matchRoute('GET', '/audit/verify')?.contract.operationId).toBe('verifyAudit');
    expect(matchRoute('GET', '/audit/export.csv')?.contract.operationId).toBe('exportAudit');
    expect(matchRoute('GET', '/me/grants')?.contract.operationId).toBe('myGrants');
    const m = matchRoute('GET', '/officers/a%20b/file/entries/7');
    expect(m?.contract.operationId).toBe('getEntry');
    expect(m?.params).toEqual({ officerId: 'a b', seq: '7' });
    expect(matchRoute('GET', '/officers//file')).toBeUndefined();
    expect(matchRoute('GET', '/health/')).toBeUndefined();
  });
});

describe('embedded platform: process clocks survive a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'archive-platform-clock-'));
  let p: Platform | undefined;
  afterAll(async () => {
    await p?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an open process resumes from DynamoDB on start and fires what fell due while the platform was down', async () => {
    const start = (at: string) => startPlatform({ dataDir, clock: manualClock(at), reconcileEveryMs: 0 });
    p = await start('2026-06-01T10:00:00.000+08:00');
    await provisionRootAgency(DEMO_AGENCIES[0]!);
    const as = async (user: TokenUser, method: string, path: string, body?: unknown) => {
      const r = await fetch(`${p!.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${await p!.issueToken(user)}`, 'content-type': 'application/json', 'idempotency-key': `restart-${Math.random()}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(r.status, path).toBeLessThan(300);
      return (await r.json()) as Record<string, any>;
    };
    const admin: TokenUser = { userId: 'admin', agencyId: CITY_BUREAU_ID, roles: ['sysAdmin'] };
    const unit = await as(admin, 'POST', `/agencies/${CITY_BUREAU_ID}/units`, { name: '执法科', function: 'enforcement' });
    const officer = await as(admin, 'POST', '/officers', { name: '刘洋', staffNumber: 'R001', agencyId: CITY_BUREAU_ID, unitId: unit.unitId, post: '执法人员', employment: 'civilServant' });
    const leader: TokenUser = { userId: 'leader', agencyId: CITY_BUREAU_ID, roles: ['leadership'] };
    const s = await as(leader, 'POST', '/processes', { kind: 'supervised-case', title: '重启督办', unitId: unit.unitId, officerId: officer.officerId, dueOn: '2026-06-10', instructions: '报告' });
    await p.engine.settle();
    const name = `${s.processId}-c1`;
    expect(p.engine.executions().get(name)?.status).toBe('RUNNING');

    await p.stop();
    // down from 06-01 to 06-11: the reminder (06-08 09:00) and the chase (06-11 00:00) fell due meanwhile
    p = await start('2026-06-11T08:00:00.000+08:00');
    await p.engine.settle();
    expect(p.engine.executions().get(name)?.status).toBe('RUNNING');
    const after = await as(leader, 'GET', `/processes/${s.processId}`);
    expect(after.escalations.map((e: { rung: string }) => e.rung)).toEqual(['remind', 'chase']);
    expect(after.clock.due).toBe('2026-06-10');
    expect(after.status.color).toBe('red');

    // the nightly jobs run at 01:00 on the platform clock: yesterday's audit heads get anchored
    (p.clock as ManualClock).set('2026-06-12T01:05:00.000+08:00');
    await vi.waitFor(
      async () => {
        const anchor = await p!.dynamo.client.send(new GetItemCommand({ TableName: p!.tableName, Key: { pk: { S: `ANCHOR#${CITY_BUREAU_ID}` }, sk: { S: '2026-06-11' } } }));
        expect(anchor.Item).toBeDefined();
      },
      { timeout: 30_000, interval: 200 },
    );
  }, 120_000);
});
