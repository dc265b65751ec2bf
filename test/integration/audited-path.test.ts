/**
 * The audited path (docs/security.md §3) through the HTTP API: a read of a file, a case or a
 * recording answers only after its audit record is committed (503 and no data when it cannot be),
 * and a refusal that no access check recorded — a use case's own 403, a record missing behind an
 * allowed check — is recorded by the pipeline before it is answered.
 */
import { createHash } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClient } from '#shared/adapters/dynamodb/client.ts';
import { buildFixtureOrg, idempotencyKey, type FixtureOrg } from '../support/fixture-org.ts';
import { callRoute, freshTable, type Claims } from '../support/platform.ts';

let org: FixtureOrg;
let caseId: string;
let evidenceId: string;
const SECRET_CASE = '某机密商贸公司无证经营案';
const SECRET_DEVICE = 'DSJ-SECRET-77';

const post = async (claims: Claims, path: string, body: unknown) => {
  const r = await callRoute('POST', path, { claims, body, headers: { 'idempotency-key': idempotencyKey('audited') } });
  expect(r.status, r.text).toBe(201);
  return r.json;
};

beforeAll(async () => {
  await freshTable('audited');
  org = await buildFixtureOrg();
  caseId = (
    await post(org.claims.officer, '/cases', {
      kind: 'penalty',
      title: SECRET_CASE,
      caseNumber: '青司罚〔2026〕901号',
      unitId: org.unitId,
      filedOn: '2026-06-01',
      parties: [{ partyKind: 'organisation', name: '某某商贸有限公司', idNumber: '91110000MA01ABCD1X', phone: '13800000000', address: '云州市青山区某路 1 号', legalRepresentative: '王某' }],
      officers: [
        { officerId: org.officerId, role: 'lead' },
        { officerId: org.otherOfficerId, role: 'assist' },
      ],
    })
  ).caseId;
  const bytes = Buffer.from('执法记录仪画面');
  const at = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
  evidenceId = (
    await post(org.claims.officer, '/evidence', {
      kind: 'patrol',
      title: '巡查执法记录',
      fileName: '执法记录仪_0901.mp4',
      mediaType: 'video/mp4',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      capture: { officerId: org.officerId, deviceId: SECRET_DEVICE, startedAt: at(30), endedAt: at(5), place: '青山区某市场' },
    })
  ).evidence.evidenceId;
}, 120_000);

/** every audit append fails while `fn` runs (a DynamoDB outage of the transaction path) */
const withAuditOutage = async (fn: () => Promise<void>) => {
  const client = documentClient();
  const original = client.send.bind(client);
  const spy = vi.spyOn(client, 'send').mockImplementation(((cmd: unknown) => {
    if (cmd instanceof TransactWriteCommand) return Promise.reject(Object.assign(new Error('simulated outage'), { name: 'InternalServerError' }));
    return original(cmd as never);
  }) as never);
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
};

const auditOf = async (objectType: string, objectId: string) => {
  const r = await callRoute('GET', `/audit?objectType=${objectType}&objectId=${encodeURIComponent(objectId)}&limit=100`, { claims: org.claims.auditor });
  expect(r.status, r.text).toBe(200);
  return r.json.items as { action: string; outcome: string; actor: { userId: string }; objectAgencyId?: string; basis?: string }[];
};

describe('a read answers only after its audit record', () => {
  it.each([
    ['a file (the pipeline writes the record)', () => `/officers/${org.officerId}/file`, '张三'],
    ['a case (its use case writes the record)', () => `/cases/${caseId}`, SECRET_CASE],
    ['a recording (the pipeline writes the record)', () => `/evidence/${evidenceId}`, SECRET_DEVICE],
  ])('%s: the audit append fails → 503 audit.unavailable and no data', async (_n, path, secret) => {
    const ok = await callRoute('GET', path(), { claims: org.claims.leadership });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.text).toContain(secret);
    await withAuditOutage(async () => {
      const r = await callRoute('GET', path(), { claims: org.claims.leadership });
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({ code: 'audit.unavailable' });
      expect(r.text).not.toContain(secret);
    });
  });
});

describe('refusals nothing recorded yet are recorded by the pipeline', () => {
  it("a use case's own 403 after the access check (A7: the handing-over department must be the caller's) is audited as denied", async () => {
    const r = await callRoute('POST', `/officers/${org.officerId}/file/handovers`, {
      claims: org.claims.discipline,
      headers: { 'idempotency-key': idempotencyKey('handover') },
      body: {
        entry: {
          type: 'sanction',
          occurredOn: '2026-04-01',
          title: '警告处分',
          content: { sanction: 'warning', decision: { documentNumber: '纪决〔2026〕9号', decidedOn: '2026-04-01', decidedBy: '局党组' } },
        },
        handover: { fromDepartment: 'supervision', confirmedBy: '督察组', leaderSignature: '组长', sealed: true, documentNumber: '督移〔2026〕9号', relatesToEnforcement: true },
      },
    });
    expect(r.status, r.text).toBe(403);
    expect(r.json.code).toBe('handover.department');
    const denied = (await auditOf('file', org.officerId)).filter((a) => a.action === 'entry.handover' && a.outcome === 'denied');
    expect(denied.map((a) => a.actor.userId)).toContain(org.claims.discipline.sub);
  });

  it("an entry missing behind an allowed check: 404, recorded as notFound with the basis, on the custody agency's record", async () => {
    const r = await callRoute('GET', `/officers/${org.officerId}/file/entries/9999`, { claims: org.claims.leadership });
    expect(r.status, r.text).toBe(404);
    const rec = (await auditOf('entry', `${org.officerId}#9999`)).find((a) => a.action === 'entry.read');
    expect(rec).toMatchObject({ outcome: 'notFound', objectAgencyId: org.agencyId, basis: 'agency:leadership' });
  });
});
