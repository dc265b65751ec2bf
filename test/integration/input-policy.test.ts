import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { callRoute, freshTable, testIssuer, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';

/**
 * Input the platform must refuse at the edge, through the HTTP API on the embedded platform:
 *  - tokens whose `iat`/`nbf` lie in the future beyond the clock skew (API Gateway's JWT authorizer
 *    requires both to be before the current time; infra/local/tokens.ts);
 *  - empty query values (`amount=` is not 0; shared/http/handler.ts);
 *  - control characters, bidi overrides and unnormalised text in free text, and path traversal,
 *    quotes and line breaks in file names: one text policy and one file-name policy for every
 *    field (shared/kernel/text-policy.ts).
 */
let org: FixtureOrg;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const F = () => `/officers/${org.officerId}/file`;
const now = () => Math.floor(Date.now() / 1000);
const DAY = 86_400;

beforeAll(async () => {
  await freshTable('input-policy');
  org = await buildFixtureOrg();
}, 120_000);

const expectFieldRefused = (r: { status: number; text: string; json: any; headers: Record<string, string> }, path: string) => {
  expect(r.status, r.text).toBe(400);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  const issue = (r.json.errors as { path: string; message: string }[]).find((e) => e.path === path);
  expect(issue, `${path} in ${r.text}`).toBeDefined();
  expect(issue!.message).toMatch(/\p{Script=Han}/u);
  return issue!;
};

describe('tokens issued in the future (API Gateway: iat and nbf must be before the current time)', () => {
  const user = { userId: 'u-iat', agencyId: '01J0C1TY000000000000000000', roles: ['officer' as const] };
  const token = async (opts: { issuedAt?: number; notBefore?: number; lifetimeSeconds?: number }) => (await testIssuer()).issueToken(user, opts);

  it('refuses a token whose iat is a day ahead (401 problem+json, Chinese detail)', async () => {
    const r = await callRoute('GET', '/me', { token: await token({ issuedAt: now() + DAY }) });
    expect(r.status, r.text).toBe(401);
    expect(r.headers['content-type']).toBe('application/problem+json');
    expect(r.json.code).toBe('auth.invalidToken');
    expect(r.json.detail).toMatch(/签发时间/);
  });

  it('refuses a token whose iat is just beyond the clock skew, accepts one within it', async () => {
    expect((await callRoute('GET', '/me', { token: await token({ issuedAt: now() + 5 * 60 }) })).status).toBe(401);
    expect((await callRoute('GET', '/me', { token: await token({ issuedAt: now() + 20 }) })).status).toBe(200);
  });

  it('refuses a token that is not yet valid (nbf ahead) and, with no skew, an expired one', async () => {
    expect((await callRoute('GET', '/me', { token: await token({ notBefore: now() + DAY }) })).status).toBe(401);
    expect((await callRoute('GET', '/me', { token: await token({ notBefore: now() + 20 }) })).status).toBe(200);
    expect((await callRoute('GET', '/me', { token: await token({ issuedAt: now() - 2 * DAY, lifetimeSeconds: DAY }) })).status).toBe(401);
    const justExpired = await callRoute('GET', '/me', { token: await token({ lifetimeSeconds: -10 }) });
    expect(justExpired.status).toBe(401);
    expect(justExpired.json.detail).toMatch(/已过期/);
    expect((await callRoute('GET', '/me', { token: await token({}) })).status).toBe(200);
  });
});

describe('empty query values are refused, not coerced', () => {
  it('amount= on the due-date calculator is a 400 naming query.amount (was a due date for 0 days)', async () => {
    const r = await callRoute('GET', '/calendar/due?start=2026-03-02&unit=workingDays&amount=', { claims: org.claims.officer });
    const issue = expectFieldRefused(r, 'query.amount');
    expect(issue.message).toMatch(/不得为空/);
  });

  it('a blank value (spaces only) is refused like an empty one', async () => {
    const r = await callRoute('GET', '/calendar/due?start=2026-03-02&unit=workingDays&amount=%20%20', { claims: org.claims.officer });
    expectFieldRefused(r, 'query.amount');
  });

  it('limit= on a paginated route is refused too; the same request without it is answered', async () => {
    expectFieldRefused(await callRoute('GET', `${F()}/entries?limit=`, { claims: org.claims.officer }), 'query.limit');
    const fine = await callRoute('GET', `${F()}/entries`, { claims: org.claims.officer });
    expect(fine.status, fine.text).toBe(200);
  });
});

describe('one file-name policy for evidence and attachments', () => {
  const evidence = (fileName: string) => {
    const bytes = Buffer.from('录像');
    const startedAt = new Date(Date.now() - 3_600_000).toISOString();
    return callRoute('POST', '/evidence', {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('policy') },
      body: {
        kind: 'patrol',
        title: '巡查',
        fileName,
        mediaType: 'video/mp4',
        size: bytes.length,
        sha256: sha(bytes),
        capture: { officerId: org.officerId, deviceId: 'DSJ-1', startedAt, endedAt: startedAt, place: '某地' },
      },
    });
  };
  const attachment = (fileName: string) =>
    callRoute('POST', `${F()}/attachments`, {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('policy') },
      body: { fileName, contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) },
    });

  for (const name of [
    '../../../etc/passwd',
    '..\\..\\boot.ini',
    '..',
    'a\r\nContent-Type: text/html.mp4',
    'say "hi".mp4',
    "it's.mp4",
    'clip\u0000.mp4',
    'gpj\u202e4pm.exe',
    `${'长'.repeat(86)}.mp4`,
  ]) {
    it(`refuses ${JSON.stringify(name).slice(0, 40)} on both routes with the same message`, async () => {
      const e = expectFieldRefused(await evidence(name), 'body.fileName');
      const a = expectFieldRefused(await attachment(name), 'body.fileName');
      expect(e.message).toBe(a.message);
    });
  }

  it('accepts an ordinary Chinese file name and stores it in NFC', async () => {
    const e = await evidence('执法记录仪 0001（现场）.mp4');
    expect(e.status, e.text).toBe(201);
    const a = await attachment('Cafe\u0301 证明.pdf');
    expect(a.status, a.text).toBe(201);
    expect(a.json.attachment.fileName).toBe('Caf\u00e9 证明.pdf');
  });
});

describe('one free-text policy for every free-text field', () => {
  const draft = (over: Record<string, unknown>, claims: Claims = org.claims.officer) =>
    callRoute('POST', `${F()}/drafts`, {
      claims,
      headers: { 'idempotency-key': idempotencyKey('policy') },
      body: { type: 'training', occurredOn: '2026-03-01', title: '执法培训', content: { course: '行政处罚法', hours: 8, result: 'passed' }, ...over },
    });

  for (const [label, bad] of [
    ['NUL', 'a\u0000b'],
    ['a C0 control (ESC)', 'a\u001b[31mb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control (NEL)', 'a\u0085b'],
    ['a C1 control (CSI)', 'a\u009bb'],
    ['RLO (U+202E)', '\u202e文字'],
    ['LRE (U+202A)', '\u202a文字'],
    ['RLI (U+2067)', '\u2067文字\u2069'],
    ['PDI (U+2069)', '文字\u2069'],
  ] as const) {
    it(`refuses ${label} in a title, a multi-line summary and a nested content field, each with its path`, async () => {
      const r = await draft({ title: `标题${bad}`, summary: `摘要${bad}`, content: { course: `课程${bad}`, hours: 8, result: 'passed' } });
      expectFieldRefused(r, 'body.title');
      expectFieldRefused(r, 'body.summary');
      expectFieldRefused(r, 'body.content.course');
    });
  }

  it('refuses line breaks and tabs in single-line fields, accepts them in multi-line ones', async () => {
    expectFieldRefused(await draft({ title: '第一行\n第二行' }), 'body.title');
    expectFieldRefused(await draft({ title: '名称\t制表' }), 'body.title');
    const ok = await draft({ summary: '第一段\r\n第二段\n\t缩进' });
    expect(ok.status, ok.text).toBe(201);
  });

  it('stores free text in NFC', async () => {
    const r = await draft({ title: 'Re\u0301sume\u0301 培训', summary: '\u1100\u1161 组合' });
    expect(r.status, r.text).toBe(201);
    const got = await callRoute('GET', `${F()}/drafts/${r.json.entryId}`, { claims: org.claims.officer });
    expect(got.status, got.text).toBe(200);
    expect(JSON.stringify(got.json)).toContain('R\u00e9sum\u00e9 培训');
    expect(JSON.stringify(got.json)).toContain('\uac00 组合');
  });

  it('applies the same policy to free text in other areas (a case, a process, a query)', async () => {
    const c = await callRoute('POST', '/cases', {
      claims: org.claims.officer,
      headers: { 'idempotency-key': idempotencyKey('policy') },
      body: {
        kind: 'penalty',
        title: '案件\u202e',
        caseNumber: '测〔2026〕1号',
        unitId: org.unitId,
        filedOn: '2026-06-01',
        parties: [{ partyKind: 'person', name: '张\u0000某' }],
        officers: [{ officerId: org.officerId, role: 'lead' }],
      },
    });
    expectFieldRefused(c, 'body.title');
    expectFieldRefused(c, 'body.parties.0.name');
    const p = await callRoute('POST', '/processes', {
      claims: org.claims.leadership,
      headers: { 'idempotency-key': idempotencyKey('policy') },
      body: { kind: 'complaint', title: '投诉', channel: 'phone', content: '态度\u009b问题', complainant: { anonymous: true } },
    });
    expectFieldRefused(p, 'body.content');
    const q = await callRoute('GET', `/audit?actor=${encodeURIComponent('x\u2066y')}`, { claims: org.claims.auditor });
    expectFieldRefused(q, 'query.actor');
  });
});
