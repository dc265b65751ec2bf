/**
 * Concurrency and tampering against the real store: many archive operations on ONE file at once
 * never lose an entry or fork the chain; the audit chains stay intact; a changed entry or audit
 * record is detected; concurrent retries of one create produce one record.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient, pad, tableName } from '#shared/adapters/dynamodb/client.ts';
import { buildFixtureOrg, type FixtureOrg } from '../support/fixture-org.ts';
import { callRoute, freshTable } from '../support/platform.ts';

let org: FixtureOrg;
let n = 0;
const key = () => `cc-${Date.now()}-${++n}`;
const PARALLEL = 20;
const ROUNDS = 5;

beforeAll(async () => {
  await freshTable('concurrency');
  org = await buildFixtureOrg();
});

const approvedDraft = async (officerId: string, i: number) => {
  const F = `/officers/${officerId}/file`;
  const d = await callRoute('POST', `${F}/drafts`, { claims: org.claims.officer, body: { type: 'training', occurredOn: '2026-04-01', title: `并发培训 ${i}`, content: { course: `课程 ${i}`, hours: 2, result: 'passed' } }, headers: { 'idempotency-key': key() } });
  const s = await callRoute('POST', `${F}/drafts/${d.json.entryId}/submit`, { claims: org.claims.officer, headers: { 'if-match': d.headers.etag! } });
  const r = await callRoute('POST', `${F}/drafts/${d.json.entryId}/review`, { claims: org.claims.deptHead, body: { decision: 'approve' }, headers: { 'if-match': s.headers.etag! } });
  expect(r.json.state).toBe('approved');
  return { id: d.json.entryId as string, etag: r.headers.etag! };
};

describe('concurrent appends to one officer file', () => {
  it(`${ROUNDS} rounds × ${PARALLEL} parallel archives: no lost entry, no fork, chains verify`, async () => {
    const F = `/officers/${org.officerId}/file`;
    const before = (await callRoute('GET', F, { claims: org.claims.officer })).json.headSeq as number;
    let retried = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const drafts = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => approvedDraft(org.officerId, round * PARALLEL + i)));
      const archive = async (d: { id: string; etag: string }): Promise<number> => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const r = await callRoute('POST', `${F}/drafts/${d.id}/archive`, { claims: org.claims.recorder, headers: { 'if-match': d.etag } });
          if (r.status === 201) return r.json.seq as number;
          // contention may surface as a clean 503 problem; anything else is a failure
          expect(r.status, r.text).toBe(503);
          expect(r.headers['content-type']).toMatch(/problem\+json/);
          retried++;
        }
        throw new Error('archive did not succeed after retries');
      };
      const seqs = await Promise.all(drafts.map(archive));
      expect(new Set(seqs).size).toBe(PARALLEL);
    }
    const expected = before + ROUNDS * PARALLEL;
    const chain = await documentClient().send(new QueryCommand({
      TableName: tableName(), KeyConditionExpression: 'pk = :p AND begins_with(sk, :e)', ExpressionAttributeValues: { ':p': `FILE#${org.officerId}`, ':e': 'E#' }, ConsistentRead: true,
    }));
    const seqs = (chain.Items ?? []).map((i) => i.record.seq as number);
    expect(seqs).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
    const titles = new Set((chain.Items ?? []).map((i) => i.record.title as string));
    for (let i = 0; i < ROUNDS * PARALLEL; i++) expect(titles.has(`并发培训 ${i}`)).toBe(true);
    expect((await callRoute('GET', `${F}/verify`, { claims: org.claims.officer })).json).toMatchObject({ ok: true, count: expected, headSeq: expected });
    expect((await callRoute('GET', '/audit/verify', { claims: org.claims.auditor })).json.ok).toBe(true);
    console.log(`concurrent appends: ${ROUNDS * PARALLEL} archives in ${ROUNDS} rounds of ${PARALLEL}, ${retried} client retries after 503`);
  });

  it('ten concurrent retries of one create with the same Idempotency-Key make one draft', async () => {
    const k = key();
    const body = { type: 'innovation', occurredOn: '2026-05-01', title: '移动执法终端改进', content: { description: '现场取证即时上传' } };
    const rs = await Promise.all(Array.from({ length: 10 }, () => callRoute('POST', `/officers/${org.officerId}/file/drafts`, { claims: org.claims.officer, body, headers: { 'idempotency-key': k } })));
    expect(rs.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(rs.map((r) => r.json.entryId)).size).toBe(1);
    const drafts = await callRoute('GET', `/officers/${org.officerId}/file/drafts?state=draft`, { claims: org.claims.officer });
    expect(drafts.json.items.filter((d: { title: string }) => d.title === '移动执法终端改进')).toHaveLength(1);
  });
});

describe('tampering with the stored records is detected', () => {
  it('an archived entry changed in the table breaks the file chain', async () => {
    const id = await org.newOfficerWithFile();
    const k = { pk: `FILE#${id}`, sk: `E#${pad(1)}` };
    const item = (await documentClient().send(new GetCommand({ TableName: tableName(), Key: k }))).Item!;
    expect((await callRoute('GET', `/officers/${id}/file/verify`, { claims: org.claims.leadership })).json.ok).toBe(true);
    await documentClient().send(new PutCommand({ TableName: tableName(), Item: { ...item, record: { ...item.record, title: '被篡改的标题' } } }));
    const v = await callRoute('GET', `/officers/${id}/file/verify`, { claims: org.claims.leadership });
    expect(v.json.ok).toBe(false);
    expect(v.json.problems).toContainEqual({ seq: 1, problem: 'hashMismatch' });
  });

  it('an audit record changed in the table breaks the audit chain', async () => {
    expect((await callRoute('GET', '/audit/verify', { claims: org.claims.auditor })).json.ok).toBe(true);
    const chains = await documentClient().send(new QueryCommand({
      TableName: tableName(), KeyConditionExpression: 'pk = :p AND sk < :h', ExpressionAttributeValues: { ':p': `AUDIT#${org.agencyId}#0`, ':h': 'HEAD' }, Limit: 1,
    }));
    const item = chains.Items![0]!;
    await documentClient().send(new PutCommand({ TableName: tableName(), Item: { ...item, record: { ...item.record, outcome: item.record.outcome === 'allowed' ? 'denied' : 'allowed' } } }));
    const v = await callRoute('GET', '/audit/verify', { claims: org.claims.auditor });
    expect(v.json.ok).toBe(false);
    expect(v.json.chains.find((c: { chainId: string }) => c.chainId === `${org.agencyId}#0`).problems).toContainEqual({ seq: item.record.seq, problem: 'hashMismatch' });
  });
});
