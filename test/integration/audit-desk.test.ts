/**
 * The auditor's desk (安全审计员) through the HTTP API: a superior agency's auditor audits its
 * subordinates read-only (`?agencyId=`), nobody else's; 三员分立 keeps the other administrators
 * out; the query refuses what it cannot filter by, and a page holds `limit` matching records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { newId } from '#shared/kernel/ids.ts';
import { buildFixtureOrg, claimsOf, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { callRoute, freshTable, type CallResult, type Claims } from '../support/platform.ts';

let org: FixtureOrg;
/** a second district under CITY: a sibling of DIST */
let sibId: string;
let sibLeader: Claims;
let sibAuditor: Claims;

const get = (path: string, claims: Claims, query: Record<string, string | number | undefined> = {}) => callRoute('GET', path, { claims, query });
type Rec = { action: string; outcome: string; objectId: string; objectAgencyId?: string; actor: { userId: string } };
const items = (r: CallResult) => {
  expect(r.status, r.text).toBe(200);
  return r.json.items as Rec[];
};
const expectProblem = (r: CallResult, status: number, what: string) => {
  expect(r.status, `${what}: ${r.text}`).toBe(status);
  expect(r.headers['content-type'], what).toMatch(/problem\+json/);
};
/** every matching record, page after page (bounded, so that a cursor that never ends fails the test) */
const allPages = async (claims: Claims, query: Record<string, string | number | undefined>) => {
  const pages: Rec[][] = [];
  let cursor: string | undefined;
  do {
    const r = await get('/audit', claims, { ...query, cursor });
    pages.push(items(r));
    cursor = r.json.cursor;
  } while (cursor && pages.length < 200);
  expect(cursor, 'the cursor ends').toBeUndefined();
  return pages;
};

beforeAll(async () => {
  await freshTable('audit-desk');
  org = await buildFixtureOrg();
  const sib = await callRoute('POST', '/agencies', {
    claims: org.claims.cityAdmin,
    body: { name: '兄弟区司法局', kind: 'districtBureau', parentId: org.cityId },
    headers: { 'idempotency-key': idempotencyKey('sib') },
  });
  expect(sib.status, sib.text).toBe(201);
  sibId = sib.json.agencyId;
  sibLeader = claimsOf('sib-leader', sibId, ['leadership']);
  sibAuditor = claimsOf('sib-auditor', sibId, ['auditor']);
});

describe('a superior agency audits its subordinates, read-only', () => {
  it("the city's auditor sees the district's refused and granted reads, its object trails, its export and its chains", async () => {
    // a sibling district's leader tries the district's file (404 to him), the other department's head is refused (403)
    expectProblem(await get(`/officers/${org.officerId}/file`, sibLeader), 404, 'sibling leader');
    expectProblem(await get(`/officers/${org.officerId}/file`, org.claims.otherHead), 403, 'other head');
    expect((await get(`/officers/${org.officerId}/file`, org.claims.deptHead)).status).toBe(200);

    const city = org.claims.cityAuditor;
    const notFound = items(await get('/audit', city, { agencyId: org.agencyId, actor: 'sib-leader', limit: 50 }));
    expect(notFound.map((r) => [r.action, r.outcome, r.objectId])).toContainEqual(['file.read', 'notFound', org.officerId]);
    const denied = items(await get('/audit', city, { agencyId: org.agencyId, outcome: 'denied', actor: 'head-u2', limit: 50 }));
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((r) => r.outcome === 'denied' && r.actor.userId === 'head-u2')).toBe(true);
    const trail = items(await get('/audit', city, { agencyId: org.agencyId, objectType: 'file', objectId: org.officerId, limit: 200 }));
    expect(trail.map((r) => r.actor.userId)).toEqual(expect.arrayContaining(['sib-leader', 'head-u2', 'head-u1']));
    // its own desk (no agencyId) is the city's: the district's records are not mixed in
    expect(items(await get('/audit', city, { actor: 'sib-leader', limit: 50 }))).toEqual([]);

    const csv = await get('/audit/export.csv', city, { agencyId: org.agencyId, actor: 'sib-leader' });
    expect(csv.status, csv.text).toBe(200);
    expect(csv.text).toContain('sib-leader');
    const v = await get('/audit/verify', city, { agencyId: org.agencyId });
    expect(v.status, v.text).toBe(200);
    expect(v.json.ok).toBe(true);
    expect(v.json.chains.every((c: { chainId: string }) => c.chainId.startsWith(`${org.agencyId}#`))).toBe(true);

    // the superior's reading is itself on the district's record, where the district's auditor sees it
    const seen = items(await get('/audit', org.claims.auditor, { objectType: 'audit', objectId: org.agencyId, actor: 'city-auditor', limit: 50 }));
    expect(new Set(seen.map((r) => r.action))).toEqual(new Set(['audit.read', 'audit.export', 'audit.verify']));
    expect(seen.every((r) => r.outcome === 'allowed' && r.objectAgencyId === org.agencyId)).toBe(true);
  });

  it('audits nothing outside its subtree: not its superior, not a sibling, not another tree, not an unknown agency', async () => {
    for (const path of ['/audit', '/audit/export.csv', '/audit/verify']) {
      expectProblem(await get(path, org.claims.auditor, { agencyId: org.cityId }), 404, `${path} district → city`);
      expectProblem(await get(path, sibAuditor, { agencyId: org.agencyId }), 404, `${path} sibling`);
      expectProblem(await get(path, org.claims.otherAuditor, { agencyId: org.agencyId }), 404, `${path} other tree`);
      expectProblem(await get(path, org.claims.cityAuditor, { agencyId: newId() }), 404, `${path} unknown agency`);
    }
    // a refused attempt stays on the caller's own agency's record (a token cannot write into the chains
    // of an agency it names), where its own auditor and the superior's see it
    const attempts = items(await get('/audit', org.claims.cityAuditor, { agencyId: org.agencyId, actor: 'dist-auditor', outcome: 'notFound', limit: 50 }));
    expect(attempts.map((r) => [r.action, r.objectId])).toEqual(
      expect.arrayContaining([
        ['audit.read', org.cityId],
        ['audit.export', org.cityId],
        ['audit.verify', org.cityId],
      ]),
    );
  });

  it('三员分立: the system and security administrators and the leadership of the superior agency do not audit', async () => {
    const cityAdmins = [org.claims.cityAdmin, claimsOf('city-secadmin', org.cityId, ['secAdmin']), org.claims.cityLeader];
    for (const c of cityAdmins) {
      for (const path of ['/audit', '/audit/export.csv', '/audit/verify']) expectProblem(await get(path, c, { agencyId: org.agencyId }), 403, `${path} ${c.sub}`);
    }
    // read-only: auditing the district gives no access to its files
    expectProblem(await get(`/officers/${org.officerId}/file`, org.claims.cityAuditor), 403, 'city auditor reads a file');
  });
});

describe('audit queries: filter or refuse, and fill the page', () => {
  it('objectId without objectType is refused with the field path, not ignored', async () => {
    for (const path of ['/audit', '/audit/export.csv']) {
      const r = await get(path, org.claims.auditor, { objectId: org.officerId });
      expectProblem(r, 400, path);
      expect(r.json.errors.map((e: { path: string }) => e.path)).toContain('query.objectType');
    }
  });

  it('limit counts matching records: outcome=denied&limit=5 gives 5 denied records and a cursor to the rest', async () => {
    const filler = claimsOf('filler', org.agencyId, ['officer'], { unitId: org.otherUnitId });
    for (let i = 0; i < 7; i++) {
      expectProblem(await get(`/officers/${org.officerId}/file`, filler), 403, 'filler');
      expect((await get(`/officers/${org.officerId}/file`, org.claims.deptHead)).status).toBe(200);
    }
    const first = await get('/audit', org.claims.auditor, { outcome: 'denied', actor: 'filler', limit: 5 });
    const page1 = items(first);
    expect(page1).toHaveLength(5);
    expect(first.json.cursor).toEqual(expect.any(String));
    const second = await get('/audit', org.claims.auditor, { outcome: 'denied', actor: 'filler', limit: 5, cursor: first.json.cursor });
    const page2 = items(second);
    expect(page2).toHaveLength(2);
    expect(second.json.cursor).toBeUndefined();
    const all = [...page1, ...page2];
    expect(all.every((r) => r.outcome === 'denied' && r.actor.userId === 'filler')).toBe(true);
    expect(new Set(all.map((r) => JSON.stringify(r))).size).toBe(7);
  });

  describe('bounded: a query reads at most AUDIT_QUERY_BUDGET records, then hands back a cursor', () => {
    const saved = process.env.AUDIT_QUERY_BUDGET;
    beforeAll(() => {
      process.env.AUDIT_QUERY_BUDGET = '20';
      resetConfig();
    });
    afterAll(() => {
      if (saved === undefined) delete process.env.AUDIT_QUERY_BUDGET;
      else process.env.AUDIT_QUERY_BUDGET = saved;
      resetConfig();
    });
    it('a rare match under many other records comes after a few short pages, each with a cursor', async () => {
      const rare = claimsOf('rare', org.agencyId, ['officer'], { unitId: org.otherUnitId });
      expectProblem(await get(`/officers/${org.officerId}/file`, rare), 403, 'rare');
      for (let i = 0; i < 30; i++) expect((await get(`/officers/${org.officerId}/file`, org.claims.deptHead)).status).toBe(200);
      const first = await get('/audit', org.claims.auditor, { outcome: 'denied', actor: 'rare', limit: 5 });
      expect(items(first)).toEqual([]);
      expect(first.json.cursor).toEqual(expect.any(String));
      // the whole day, 20 records a page (the budget bounds an unfiltered page too)
      const day = await allPages(org.claims.auditor, { limit: 1000 });
      expect(day.slice(0, -1).every((p) => p.length === 20)).toBe(true);
      const total = day.flat().length;
      const pages = await allPages(org.claims.auditor, { outcome: 'denied', actor: 'rare', limit: 5 });
      expect(pages.flat().map((r) => [r.actor.userId, r.outcome])).toEqual([['rare', 'denied']]);
      // every page read its whole budget before handing back a cursor: about total/20 pages, not total/5
      expect(pages.length).toBeGreaterThanOrEqual(Math.floor(total / 20));
      expect(pages.length).toBeLessThanOrEqual(Math.ceil(total / 20) + 2);
    });
  });
});
