import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRoute, freshTable, type Claims } from '../support/platform.ts';
import { buildFixtureOrg, type FixtureOrg } from '../support/fixture-org.ts';
import { processCalls, processHarness, shanghai as T, type ProcessHarness } from '../support/processes.ts';

/**
 * Issue 8, item 9 — the 红黄牌 work list (GET /agencies/{id}/processes): `counts` are the totals of
 * the list's scope (the agency, or the department), whatever the status or kind filter; a filtered
 * page is filled up to its limit. Through the HTTP API on the embedded platform, on a manual clock.
 */
let org: FixtureOrg;
let h: ProcessHarness;
const ids: Record<string, string> = {};

const list = async (claims: Claims, query: Record<string, string>) => {
  const r = await callRoute('GET', `/agencies/${org.agencyId}/processes`, { claims, query });
  expect(r.status, r.text).toBe(200);
  return r.json as { items: { processId: string; status: { color: string } }[]; counts: Record<string, number>; cursor?: string };
};

beforeAll(async () => {
  await freshTable('worklist');
  h = processHarness(T('2026-11-02', '10:00'));
  const p = processCalls(h);
  org = await buildFixtureOrg();
  const supervise = async (key: string, unitId: string, officerId: string, dueOn: string) => {
    ids[key] = (await p.open(org.claims.leadership, { kind: 'supervised-case', title: key, unitId, officerId, dueOn, instructions: '报告' })).processId;
  };
  // one red and one yellow in U1; one yellow and one green in U2 (on 2026-11-06 09:05)
  await supervise('redU1', org.unitId, org.officerId, '2026-11-04');
  await supervise('yellowU1', org.unitId, org.officerId, '2026-11-10');
  await supervise('yellowU2', org.otherUnitId, org.otherOfficerId, '2026-11-10');
  await supervise('greenU2', org.otherUnitId, org.otherOfficerId, '2026-11-30');
  await h.advanceTo(T('2026-11-06', '09:05'));
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe('红黄牌 work list', () => {
  it('counts are the totals of the agency, whatever the status filter', async () => {
    const totals = { open: 4, red: 1, yellow: 2, green: 1 };
    const red = await list(org.claims.leadership, { status: 'red' });
    expect(red.items.map((i) => i.processId)).toEqual([ids.redU1]);
    expect(red.counts).toEqual(totals);
    expect((await list(org.claims.leadership, { status: 'yellow' })).counts).toEqual(totals);
    expect((await list(org.claims.leadership, { kind: 'complaint' })).counts).toEqual(totals);
    expect((await list(org.claims.leadership, {})).counts).toEqual(totals);
  });

  it('a department’s counts are the totals of the department', async () => {
    const u1 = await list(org.claims.deptHead, { unitId: org.unitId, status: 'yellow' });
    expect(u1.items.map((i) => i.processId)).toEqual([ids.yellowU1]);
    expect(u1.counts).toEqual({ open: 2, red: 1, yellow: 1, green: 0 });
    expect((await list(org.claims.otherHead, { unitId: org.otherUnitId, status: 'red' })).counts).toEqual({ open: 2, red: 0, yellow: 1, green: 1 });
  });

  it('a filtered page is filled up to its limit, and the cursor continues after it', async () => {
    const first = await list(org.claims.leadership, { status: 'yellow', limit: '1' });
    expect(first.items).toHaveLength(1);
    expect(first.cursor).toBeTruthy();
    const second = await list(org.claims.leadership, { status: 'yellow', limit: '1', cursor: first.cursor! });
    expect(second.items).toHaveLength(1);
    expect(second.cursor).toBeUndefined();
    expect([...first.items, ...second.items].map((i) => i.processId).sort()).toEqual([ids.yellowU1, ids.yellowU2].sort());
    const forged = await callRoute('GET', `/agencies/${org.agencyId}/processes`, { claims: org.claims.leadership, query: { status: 'yellow', cursor: second.cursor ?? 'eyJhIjoxfQ' } });
    expect(forged.status).toBe(400);
  });
});
