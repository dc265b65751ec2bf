import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '#shared/kernel/ids.ts';
import { callRoute, freshTable, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, claimsOf, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { processCalls, processHarness, shanghai as T, type ProcessHarness } from '../support/processes.ts';

/**
 * Issue 8, item 7 — escalations reach people (E3). Every rung of the reminder ladder reaches at least
 * one person: a role is resolved to whoever holds it in the agency's responsibility record (PUT
 * /agencies/{id}/responsibility), a role nobody holds falls back along the ladder (department head →
 * leader in charge → director), the process's owner (its opener, C12) hears the rungs the E3 version
 * names, and a notice that still reaches nobody is an error listed in the agency's work list.
 * Through the HTTP API on the embedded platform, on a manual clock.
 */
let org: FixtureOrg;
let h: ProcessHarness;
let p: ReturnType<typeof processCalls>;
/** people of DIST the responsibility record names, each signed in with their own officer identity */
const people: Record<'director' | 'leaderU2' | 'headU1', { officerId: string; claims: Claims }> = {} as never;
let officeUnitId: string;

const ok = async (method: string, path: string, claims: Claims, body?: unknown, headers: Record<string, string> = {}) => {
  const r = await callRoute(method, path, { claims, body, headers: { 'idempotency-key': idempotencyKey('e3'), ...headers } });
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r;
};
const responsibility = async (body: Record<string, unknown>) => {
  const cur = await ok('GET', `/agencies/${org.agencyId}/responsibility`, org.claims.sysAdmin);
  return ok('PUT', `/agencies/${org.agencyId}/responsibility`, org.claims.sysAdmin, { leaders: [], heads: [], ...body }, { 'if-match': cur.headers.etag! });
};
const note = async (claims: Claims, notificationId: string) => (await ok('GET', `/notifications/${notificationId}`, claims)).json;

beforeAll(async () => {
  await freshTable('e3');
  h = processHarness(T('2026-11-02', '09:30'));
  p = processCalls(h);
  org = await buildFixtureOrg();
  officeUnitId = (await ok('POST', `/agencies/${org.agencyId}/units`, org.claims.sysAdmin, { name: '办公室', function: 'office' })).json.unitId;
  const person = async (key: keyof typeof people, name: string, unitId: string, roles: ('leadership' | 'deptHead' | 'officer')[]) => {
    const o = await ok('POST', '/officers', org.claims.sysAdmin, { name, staffNumber: `E3-${newId().slice(-6)}`, agencyId: org.agencyId, unitId, post: name, employment: 'civilServant' });
    people[key] = { officerId: o.json.officerId, claims: claimsOf(`e3-${key}`, org.agencyId, roles, { unitId, officerId: o.json.officerId, name }) };
  };
  await person('director', '局长', officeUnitId, ['leadership']);
  await person('leaderU2', '分管副局长', officeUnitId, ['leadership']);
  await person('headU1', '执法一科科长', org.unitId, ['deptHead', 'officer']);
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe('E3: reminders, 催办 and 通报 reach people', () => {
  it('an overdue filing: nobody holds 执法监督 here, so 提醒 and 催办 reach the director — and the opener (法制) hears each rung', async () => {
    await responsibility({ directorOfficerId: people.director.officerId });
    h.clock.set(T('2026-11-02', '10:00'));
    const f = await p.open(org.claims.legal, { kind: 'filing', title: '吊销执法证备案', filingKind: 'certificateWithdrawal', basisDate: '2026-11-02', reference: '证号 E3-1' });
    expect(f.clock.due).toBe('2026-11-12');

    await h.advanceTo(T('2026-11-10', '09:05'));
    expect((await p.inbox(people.director.claims, f.processId)).map((n) => n.kind)).toEqual(['remind']);
    expect((await p.inbox(org.claims.legal, f.processId)).map((n) => n.kind)).toEqual(['remind']);
    await h.advanceTo(T('2026-11-13', '00:05'));
    const director = await p.inbox(people.director.claims, f.processId);
    expect(director.map((n) => n.kind)).toEqual(['chase', 'remind']);
    expect((await p.inbox(org.claims.legal, f.processId)).map((n) => n.kind)).toEqual(['chase', 'remind']);

    const chase = await note(people.director.claims, director[0]!.notificationId);
    expect(chase.recipients).toEqual(expect.arrayContaining([{ type: 'role', agencyId: org.agencyId, role: 'supervision' }]));
    expect(chase.reached).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ as: 'director', address: { type: 'officer', officerId: people.director.officerId }, for: { type: 'role', agencyId: org.agencyId, role: 'supervision' } }),
        expect.objectContaining({ as: 'owner', address: expect.objectContaining({ type: 'user', userId: 'dist-legal' }) }),
      ]),
    );
    const chased = (await p.history(org.claims.leadership, f.processId)).find((e) => e.event === 'chase')!;
    expect(chased.detail.reached.map((x: any) => x.as).sort()).toEqual(['director', 'owner']);
    const work = await ok('GET', `/agencies/${org.agencyId}/processes`, org.claims.leadership);
    expect(work.json.undelivered).toEqual([]);
  });

  it('the ladder: a department’s head hears its 催办; a department without a head, its leader in charge; one without either, the director', async () => {
    await responsibility({
      directorOfficerId: people.director.officerId,
      leaders: [{ officerId: people.leaderU2.officerId, unitIds: [org.otherUnitId] }],
      heads: [{ unitId: org.unitId, officerId: people.headU1.officerId }],
    });
    h.clock.set(T('2026-11-16', '10:00'));
    const supervise = (title: string, unitId: string, officerId: string) =>
      p.open(org.claims.leadership, { kind: 'supervised-case', title, unitId, officerId, dueOn: '2026-11-20', instructions: '报告' });
    const u1 = await supervise('一科督办', org.unitId, org.officerId);
    const u2 = await supervise('二科督办', org.otherUnitId, org.otherOfficerId);
    const office = await supervise('办公室督办', officeUnitId, org.officerId);
    await h.advanceTo(T('2026-11-21', '00:05'));
    const chases = async (who: Claims) => (await p.inbox(who)).filter((n) => n.kind === 'chase').map((n) => n.processId);
    expect(await chases(people.headU1.claims)).toEqual([u1.processId]);
    expect(await chases(people.leaderU2.claims)).toEqual([u2.processId]);
    expect(await chases(people.director.claims)).toEqual(expect.arrayContaining([office.processId]));
    expect(await chases(people.director.claims)).not.toContain(u1.processId);
    expect(await chases(people.director.claims)).not.toContain(u2.processId);
    const [n] = (await p.inbox(people.leaderU2.claims, u2.processId)).filter((x) => x.kind === 'chase');
    expect((await note(people.leaderU2.claims, n!.notificationId)).reached).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ as: 'assignee', address: { type: 'officer', officerId: org.otherOfficerId } }),
        expect.objectContaining({ as: 'leaderInCharge', for: { type: 'role', agencyId: org.agencyId, role: 'deptHead', unitId: org.otherUnitId } }),
        expect.objectContaining({ as: 'owner', address: expect.objectContaining({ userId: 'dist-leader' }) }),
      ]),
    );
  });

  it('the responsibility record names active officers of the agency and departments of it, one head per department; a change needs If-Match', async () => {
    const cur = await ok('GET', `/agencies/${org.agencyId}/responsibility`, org.claims.officer);
    expect(cur.json.director).toMatchObject({ officerId: people.director.officerId, name: '局长' });
    const put = (body: unknown, headers: Record<string, string> = {}) => callRoute('PUT', `/agencies/${org.agencyId}/responsibility`, { claims: org.claims.sysAdmin, body, headers });
    const stranger = await put(
      {
        directorOfficerId: org.cityOfficerId,
        leaders: [],
        heads: [
          { unitId: org.cityUnitId, officerId: org.officerId },
          { unitId: org.cityUnitId, officerId: org.otherOfficerId },
        ],
      },
      { 'if-match': cur.headers.etag! },
    );
    expect(stranger.status).toBe(400);
    expect(stranger.json.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['body.directorOfficerId', 'body.heads.0.unitId', 'body.heads.1.unitId']));
    expect((await put({ leaders: [], heads: [] })).status).toBe(409);
    expect((await put({ leaders: [], heads: [] }, { 'if-match': '"1"' })).status).toBe(409);
    expect(
      (await callRoute('PUT', `/agencies/${org.agencyId}/responsibility`, { claims: org.claims.leadership, body: { leaders: [], heads: [] }, headers: { 'if-match': cur.headers.etag! } })).status,
    ).toBe(403);
    expect((await ok('GET', `/agencies/${org.agencyId}/responsibility`, org.claims.officer)).json.version).toBe(cur.json.version);
  });
});

describe('E3: a notice that reaches nobody', () => {
  it('is recorded and listed in the agency’s work list, never silent', async () => {
    // a second organisation: nobody named in its responsibility record, and its E3 version tells the owner nothing
    const lone = await buildFixtureOrg();
    await ok('POST', '/rules/E3/versions', lone.claims.sysAdmin, {
      effectiveFrom: '2026-01-01',
      note: '测试：发起人不接收提醒',
      parameters: { ladder: ['deptHead', 'leaderInCharge', 'director'], ownerHears: [] },
      source: { document: '测试规定', article: '第1条' },
    });
    h.clock.set(T('2026-11-23', '10:00'));
    const f = await p.open(lone.claims.legal, { kind: 'filing', title: '无人可达的备案', filingKind: 'certificateWithdrawal', basisDate: '2026-11-23', reference: '证号 E3-2' });
    await h.advanceTo(T('2026-12-01', '09:05'));
    const remind = (await p.history(lone.claims.leadership, f.processId)).find((e) => e.event === 'remind')!;
    expect(remind.detail.reached).toEqual([]);
    const work = await ok('GET', `/agencies/${lone.agencyId}/processes`, lone.claims.leadership);
    expect(work.json.undelivered).toEqual([expect.objectContaining({ processId: f.processId, kind: 'remind', notificationId: remind.detail.notificationId })]);
    // the other organisation's list is not affected
    expect((await ok('GET', `/agencies/${org.agencyId}/processes`, org.claims.leadership)).json.undelivered).toEqual([]);
  });
});

describe('E3: the owner', () => {
  it('hears each rung the E3 version names (C12 首问负责), whoever else is reached', async () => {
    h.clock.set(T('2026-12-07', '10:00'));
    const f = await p.open(org.claims.officer, { kind: 'complaint', title: '首问负责', channel: 'letter', content: '来信反映', complainant: { anonymous: true } });
    const accepted = await p.act(org.claims.leadership, f.processId, { action: 'signOff', decision: 'accept', unitId: org.unitId }, org.claims.leadership);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json.process.clock.due).toBe('2026-12-28');
    await h.advanceTo(T('2026-12-29', '00:05'));
    expect((await p.inbox(org.claims.officer, f.processId)).map((n) => n.kind)).toEqual(['chase', 'remind']);
  });
});
