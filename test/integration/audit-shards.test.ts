/**
 * The audit shard count is a per-agency setting that only grows (docs/scale.md): pinned at the
 * agency's first append, raised by the agency's own 系统管理员 through `PUT /audit/shards`, never
 * lowered; verification (`/audit/verify`, `npm run verify -- audit`) covers every chain that ever
 * existed, as does the nightly anchor of the chain heads, and a writer still holding an older count
 * (another Lambda container) stays inside it.
 * "Another container" is a second writer state (createAuditWriter), as the benchmark uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditWriter, type AuditContext } from '#shared/adapters/dynamodb/commit.ts';
import { tableName } from '#shared/adapters/dynamodb/client.ts';
import { verifyAgencyAudit } from '#shared/audit/query.ts';
import { MAX_AUDIT_SHARDS } from '#shared/audit/shard-setting.ts';
import type { AuditDraft } from '#shared/audit/record.ts';
import { resetConfig } from '#shared/config.ts';
import { auditHeads } from '#shared/audit/anchor.ts';
import { GENESIS_HASH } from '#shared/kernel/hash.ts';
import { conflict } from '#shared/kernel/errors.ts';
import { newId } from '#shared/kernel/ids.ts';
import { buildFixtureOrg, claimsOf, type FixtureOrg } from '../support/fixture-org.ts';
import { callRoute, freshTable, type CallResult, type Claims } from '../support/platform.ts';

let org: FixtureOrg;
const previousDefault = process.env.AUDIT_SHARDS;
const setDefault = (n: string | undefined) => {
  if (n === undefined) delete process.env.AUDIT_SHARDS;
  else process.env.AUDIT_SHARDS = n;
  resetConfig();
};

const get = (path: string, claims: Claims, query: Record<string, string | number> = {}) => callRoute('GET', path, { claims, query });
const put = (claims: Claims, body: unknown) => callRoute('PUT', '/audit/shards', { claims, body });
const ok = (r: CallResult) => {
  expect(r.status, r.text).toBe(200);
  return r.json;
};
type Verified = { ok: boolean; shards: number; chains: { chainId: string; count: number; ok: boolean }[] };
const verify = async () => ok(await get('/audit/verify', org.claims.auditor)) as Verified;
/** the chains that hold the agency's records of today, from the records themselves */
const chainsHoldingRecords = async () => {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = ok(await get('/audit', org.claims.auditor, { limit: 1000, ...(cursor ? { cursor } : {}) }));
    for (const r of page.items as { chainId: string }[]) ids.add(r.chainId);
    cursor = page.cursor;
  } while (cursor);
  return ids;
};
const shardOf = (chainId: string) => Number(chainId.slice(chainId.lastIndexOf('#') + 1));

const ctxOf = (userId: string, agencyId: string): AuditContext => ({ principal: { userId, agencyId, roles: ['leadership'] }, source: { requestId: newId() } });
const draft = (agencyId: string): AuditDraft => ({
  action: 'agency.read',
  objectType: 'agency',
  objectId: agencyId,
  objectAgencyId: agencyId,
  outcome: 'allowed',
});

beforeAll(async () => {
  setDefault('4');
  await freshTable('audit-shards');
  org = await buildFixtureOrg();
});
afterAll(() => setDefault(previousDefault));

describe('the count is pinned per agency: the deployment default no longer decides what verification reads', () => {
  it('records written over 4 chains still verify, every one of those chains, after AUDIT_SHARDS drops to 1', async () => {
    // concurrent reads in one process spill over to the shards whose lock is free
    const reads = await Promise.all(Array.from({ length: 12 }, () => get(`/officers/${org.officerId}/file`, org.claims.deptHead)));
    for (const r of reads) expect(r.status, r.text).toBe(200);
    const holding = await chainsHoldingRecords();
    expect(
      [...holding].some((c) => shardOf(c) > 0),
      `records only in ${[...holding]}`,
    ).toBe(true);

    setDefault('1');
    try {
      const v = await verify();
      expect(v.ok).toBe(true);
      const verified = new Set(v.chains.map((c) => c.chainId));
      for (const c of holding) expect(verified.has(c), `${c} left out of verification`).toBe(true);
      expect(v.shards).toBe(4);
      // and a writer that starts now (a new container, default 1) still spreads over the pinned 4
      const fresh = createAuditWriter();
      const written = await Promise.all(Array.from({ length: 8 }, () => fresh.audit(ctxOf('pin-check', org.agencyId), [draft(org.agencyId)])));
      expect(new Set(written.map(([r]) => shardOf(r!.chainId))).size).toBe(4);
    } finally {
      setDefault('4');
    }
  });

  it('two containers with different defaults meeting at a new agency: the first append pins, the other follows it', async () => {
    // an agency nobody has appended for yet (its chains are all at genesis, its count unpinned)
    const lateAgency = newId();
    setDefault('8');
    const eight = createAuditWriter();
    // the 8-default container reads the (absent) setting and caches "8, not pinned", but its first
    // commit fails on a domain condition, so nothing is written and nothing pinned
    await expect(
      eight.commit(
        ctxOf('eight', lateAgency),
        [
          {
            item: { ConditionCheck: { TableName: tableName(), Key: { pk: `NOPE#${newId()}`, sk: 'META' }, ConditionExpression: 'attribute_exists(pk)' } },
            onConditionFailed: () => conflict('test.expected', '预期的冲突'),
          },
        ],
        [draft(lateAgency)],
      ),
    ).rejects.toMatchObject({ code: 'test.expected' });
    setDefault('2');
    const two = createAuditWriter();
    const [first] = await two.audit(ctxOf('two', lateAgency), [draft(lateAgency)]);
    expect(shardOf(first!.chainId)).toBeLessThan(2);
    // the 8-default container's pin now fails; it re-reads the pinned 2 and appends inside it
    const written = await Promise.all(Array.from({ length: 6 }, () => eight.audit(ctxOf('eight', lateAgency), [draft(lateAgency)])));
    for (const [r] of written) expect(shardOf(r!.chainId)).toBeLessThan(2);
    setDefault('4');
    // (no agency record, so no auditor: verify as the route and the CLI do)
    const v = await verifyAgencyAudit(lateAgency);
    expect(v.ok).toBe(true);
    expect(v.shards).toBe(2);
    expect(v.chains.reduce((n, c) => n + c.count, 0)).toBe(7);
  });
});

describe("PUT /audit/shards: the agency's 系统管理员 raises its own count", () => {
  it('reads the pinned count, raises it; new chains start at genesis, old ones keep verifying, a stale container writes inside', async () => {
    const before = ok(await get('/audit/shards', org.claims.sysAdmin));
    expect(before).toMatchObject({ agencyId: org.agencyId, shards: 4, pinned: true, version: 1, max: MAX_AUDIT_SHARDS });
    expect(before.history).toEqual([expect.objectContaining({ shards: 4, by: 'system:audit-writer' })]);

    // another running container has read the count 4 (it appended once)
    const stale = createAuditWriter();
    await stale.audit(ctxOf('stale', org.agencyId), [draft(org.agencyId)]);

    const raised = ok(await put(org.claims.sysAdmin, { shards: 6, reason: '早高峰审计写入排队' }));
    expect(raised).toMatchObject({ shards: 6, version: 2 });
    expect(raised.history.at(-1)).toMatchObject({ shards: 6, by: 'dist-admin', reason: '早高峰审计写入排队' });

    // the stale container keeps its 4 until its cache expires: every record lands in a verified chain
    const staleWrites = await Promise.all(Array.from({ length: 10 }, () => stale.audit(ctxOf('stale', org.agencyId), [draft(org.agencyId)])));
    for (const [r] of staleWrites) expect(shardOf(r!.chainId)).toBeLessThan(4);
    // once it re-reads (its cache expired), it spreads over all 6
    stale.forgetShardCount();
    const spread = await Promise.all(Array.from({ length: 12 }, () => stale.audit(ctxOf('stale', org.agencyId), [draft(org.agencyId)])));
    const used = new Set(spread.map(([r]) => shardOf(r!.chainId)));
    expect([...used].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const genesis = spread.map(([r]) => r!).filter((r) => shardOf(r.chainId) >= 4 && r.seq === 1);
    expect(genesis.length).toBeGreaterThan(0);
    for (const r of genesis) expect(r.prevHash).toBe(GENESIS_HASH);

    const v = await verify();
    expect(v.ok).toBe(true);
    expect(v.shards).toBe(6);
    expect(v.chains.map((c) => shardOf(c.chainId))).toEqual([0, 1, 2, 3, 4, 5]);
    // and the nightly anchor lists every head, the new ones included
    expect((await auditHeads(org.agencyId)).map((h) => shardOf(h.chainId))).toEqual([0, 1, 2, 3, 4, 5]);
    const verified = new Set(v.chains.map((c) => c.chainId));
    for (const c of await chainsHoldingRecords()) expect(verified.has(c), c).toBe(true);
    // the raise is on the agency's record
    const trail = ok(await get('/audit', org.claims.auditor, { objectType: 'audit', objectId: org.agencyId, actor: 'dist-admin', limit: 50 }));
    expect(trail.items.map((r: { action: string; outcome: string }) => [r.action, r.outcome])).toContainEqual(['auditShards.raise', 'allowed']);
  });

  it('refuses a decrease with 409 naming body.shards, audited as denied; the same count again changes nothing', async () => {
    const r = await put(org.claims.sysAdmin, { shards: 2, reason: '想减少分片' });
    expect(r.status, r.text).toBe(409);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    expect(r.json).toMatchObject({ code: 'auditShards.decrease', currentShards: 6, errors: [{ path: 'body.shards' }] });
    expect(r.json.detail).toMatch(/只能增加/);
    const same = ok(await put(org.claims.sysAdmin, { shards: 6, reason: '重复提交' }));
    expect(same).toMatchObject({ shards: 6, version: 2 });
    expect(ok(await get('/audit/shards', org.claims.sysAdmin))).toMatchObject({ shards: 6, version: 2 });
    const denied = ok(await get('/audit', org.claims.auditor, { objectType: 'audit', objectId: org.agencyId, outcome: 'denied', limit: 50 }));
    expect(denied.items.map((x: { action: string; reason: string }) => x.action)).toContain('auditShards.raise');
    expect((await verify()).shards).toBe(6);
  });

  it('refuses hostile bodies at the edge (400 with errors[].path) and changes nothing', async () => {
    const bodies: unknown[] = [
      { shards: 0, reason: '零' },
      { shards: -8, reason: '负数' },
      { shards: 7.5, reason: '小数' },
      { shards: '8', reason: '字符串' },
      { shards: MAX_AUDIT_SHARDS + 1, reason: '超过上限' },
      { shards: 1e12, reason: '巨大' },
      { shards: null, reason: '空' },
      { reason: '缺少分片数' },
      { shards: 8 },
      { shards: 8, reason: '' },
      { shards: 8, reason: 'x'.repeat(201) },
      { shards: 8, reason: '越权', agencyId: org.otherRootId },
      [8],
      'shards=8',
      '{"shards":8,"reason":"原型","__proto__":{"shards":64}}',
      '{"shards":8,"reason":"构造","constructor":{"prototype":{"x":1}}}',
    ];
    for (const body of bodies) {
      const r =
        typeof body === 'string'
          ? await callRoute('PUT', '/audit/shards', { claims: org.claims.sysAdmin, body, headers: { 'content-type': 'application/json' } })
          : await put(org.claims.sysAdmin, body);
      expect(r.status, `${JSON.stringify(body)} → ${r.text}`).toBe(400);
      expect(r.json.errors?.length, JSON.stringify(body)).toBeGreaterThan(0);
      for (const e of r.json.errors) expect(e.path).toMatch(/^body/);
    }
    const json = { 'content-type': 'application/json' };
    const raw = await callRoute('PUT', '/audit/shards', { claims: org.claims.sysAdmin, body: '{"shards":1e309,"reason":"无穷大"}', headers: json });
    expect(raw.status, raw.text).toBe(400);
    expect(ok(await get('/audit/shards', org.claims.sysAdmin))).toMatchObject({ shards: 6, version: 2 });
  });

  it("is the 系统管理员's of the token's own agency only", async () => {
    for (const who of [org.claims.auditor, org.claims.secAdmin, org.claims.leadership, org.claims.officer, org.claims.cityAuditor, org.claims.otherAgency]) {
      const r = await put(who, { shards: 7, reason: '越权尝试' });
      expect(r.status, r.text).toBe(403);
      expect((await get('/audit/shards', who)).status).toBe(403);
    }
    // a superior's 系统管理员 acts on its own agency, never on the district's
    const city = ok(await get('/audit/shards', org.claims.cityAdmin));
    expect(city.agencyId).toBe(org.cityId);
    // a token whose agency does not exist
    const ghost = claimsOf('ghost-admin', newId(), ['sysAdmin']);
    expect((await put(ghost, { shards: 7, reason: '不存在的机关' })).status).toBe(404);
    expect(ok(await get('/audit/shards', org.claims.sysAdmin))).toMatchObject({ shards: 6, version: 2 });
  });

  it('goes up to the ceiling and no further', async () => {
    expect(ok(await put(org.claims.sysAdmin, { shards: MAX_AUDIT_SHARDS, reason: '上限' }))).toMatchObject({ shards: MAX_AUDIT_SHARDS, version: 3 });
    expect((await put(org.claims.sysAdmin, { shards: MAX_AUDIT_SHARDS + 1, reason: '超限' })).status).toBe(400);
    const v = await verify();
    expect(v.ok).toBe(true);
    expect(v.shards).toBe(MAX_AUDIT_SHARDS);
  });
});
