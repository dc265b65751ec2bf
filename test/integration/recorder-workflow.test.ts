/**
 * The designated recorder (指定档案记录员) works on entries in the recording workflow (A6: it drafts,
 * and it enters what the department head approved), but it is no reader of the file (A8): the
 * archive — timeline, entries, verification, qualifications, record-keeping, the officer's record
 * and the attachments of archived entries — is refused to it, and every refusal is audited.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '#shared/kernel/hash.ts';
import { buildFixtureOrg, type FixtureOrg } from '../support/fixture-org.ts';
import { callRoute, freshTable, type Claims } from '../support/platform.ts';

let org: FixtureOrg;
let n = 0;
const key = () => `rec-${Date.now()}-${++n}`;
const api = (method: string, path: string, claims: Claims | undefined, body?: unknown, headers: Record<string, string> = {}) =>
  callRoute(method, path, { claims, body, headers: { 'idempotency-key': key(), ...headers } });
const F = () => `/officers/${org.officerId}/file`;
const training = (title: string) => ({ type: 'training', occurredOn: '2026-03-01', title, content: { course: title, hours: 4, result: 'passed' } });

/** an attachment uploaded (and verified) by `by` */
const attachment = async (by: Claims, text: string) => {
  const bytes = Buffer.from(text);
  const a = await api('POST', `${F()}/attachments`, by, { fileName: '培训证明.txt', contentType: 'text/plain', size: bytes.length, sha256: sha256Hex(bytes) });
  expect(a.status, a.text).toBe(201);
  expect((await fetch(a.json.upload.url, { method: 'PUT', headers: a.json.upload.headers, body: bytes })).status).toBe(200);
  const v = await api('POST', `${F()}/attachments/${a.json.attachment.attachmentId}/verify`, by);
  expect(v.json.status).toBe('verified');
  return a.json.attachment.attachmentId as string;
};

const expectForbidden = (r: { status: number; headers: Record<string, string>; json: { code?: string } }, what: string) => {
  expect(r.status, what).toBe(403);
  expect(r.headers['content-type'], what).toMatch(/problem\+json/);
};

beforeAll(async () => {
  await freshTable('recorder');
  org = await buildFixtureOrg();
});

describe('the designated recorder: the A6 workflow yes, the archive no (A8)', () => {
  it('drafts with an attachment, sees it through review and enters it; afterwards the entry is the archive', async () => {
    const rec = org.claims.recorder;
    const attId = await attachment(rec, '培训证明 记录员上传');
    const d = await api('POST', `${F()}/drafts`, rec, { ...training('记录员起草的培训'), attachmentIds: [attId] });
    expect(d.status, d.text).toBe(201);
    const entryId = d.json.entryId as string;

    // in the workflow: its draft, the attachment of it, the list of drafts, the approved entry in the unit queue
    expect((await api('GET', `${F()}/drafts/${entryId}`, rec)).status).toBe(200);
    expect((await api('GET', `${F()}/attachments/${attId}`, rec)).status).toBe(200);
    const s = await api('POST', `${F()}/drafts/${entryId}/submit`, rec, undefined, { 'if-match': d.headers.etag! });
    const a = await api('POST', `${F()}/drafts/${entryId}/review`, org.claims.deptHead, { decision: 'approve' }, { 'if-match': s.headers.etag! });
    expect(a.json.state).toBe('approved');
    const queue = await api('GET', `/units/${org.unitId}/queue?state=approved`, rec);
    expect(queue.json.items.map((i: { entryId: string }) => i.entryId)).toContain(entryId);
    const waiting = await api('GET', `${F()}/drafts/${entryId}`, rec);
    expect(waiting.json.state).toBe('approved');
    expect((await api('GET', `${F()}/attachments/${attId}`, rec)).status).toBe(200);
    const listed = await api('GET', `${F()}/drafts`, rec);
    expect(listed.json.items.map((i: { entryId: string }) => i.entryId)).toContain(entryId);

    const e = await api('POST', `${F()}/drafts/${entryId}/archive`, rec, undefined, { 'if-match': waiting.headers.etag! });
    expect(e.status, e.text).toBe(201);
    const seq = e.json.seq as number;

    // archived: the draft record, the entry, its attachment are the file now
    expectForbidden(await api('GET', `${F()}/drafts/${entryId}`, rec), 'archived draft');
    expectForbidden(await api('GET', `${F()}/attachments/${attId}`, rec), 'attachment of an archived entry');
    expectForbidden(await api('GET', `${F()}/entries/${seq}`, rec), 'archived entry');
    const after = await api('GET', `${F()}/drafts`, rec);
    expect(after.status).toBe(200);
    expect(after.json.items.map((i: { entryId: string }) => i.entryId)).not.toContain(entryId);
    expect(after.json.items.every((i: { state: string }) => i.state !== 'archived')).toBe(true);
    expect((await api('GET', `${F()}/drafts?state=archived`, rec)).json.items).toEqual([]);

    // the A8 readers still see all of it
    expect((await api('GET', `${F()}/drafts/${entryId}`, org.claims.deptHead)).json.state).toBe('archived');
    expect((await api('GET', `${F()}/attachments/${attId}`, org.claims.deptHead)).status).toBe(200);
    expect((await api('GET', `${F()}/drafts?state=archived`, org.claims.deptHead)).json.items.map((i: { entryId: string }) => i.entryId)).toContain(entryId);

    // every refusal is in the audit trail, with the recorder as the actor
    const byEntry = await callRoute('GET', '/audit', { claims: org.claims.auditor, query: { objectType: 'entry', objectId: entryId, outcome: 'denied', limit: 50 } });
    expect(byEntry.json.items.map((r: { actor: { userId: string } }) => r.actor.userId)).toContain('dist-recorder');
    const byAttachment = await callRoute('GET', '/audit', { claims: org.claims.auditor, query: { objectType: 'attachment', objectId: attId, outcome: 'denied', limit: 50 } });
    expect(byAttachment.json.items.map((r: { actor: { userId: string } }) => r.actor.userId)).toContain('dist-recorder');
  });

  it("reads nothing of any officer's archive: file, timeline, entry, verification, officer, qualifications, record-keeping, attachments", async () => {
    for (const officerId of [org.officerId, org.otherOfficerId]) {
      const o = `/officers/${officerId}`;
      for (const path of [o, `${o}/qualifications`, `${o}/record-keeping?year=2026`, `${o}/file`, `${o}/file/entries`, `${o}/file/entries/1`, `${o}/file/verify`]) {
        expectForbidden(await api('GET', path, org.claims.recorder), path);
      }
    }
    // an attachment the officer uploaded for a draft of his own that is not yet anywhere in the workflow is not the recorder's either
    const own = await attachment(org.claims.officer, '本人上传的材料');
    expectForbidden(await api('GET', `${F()}/attachments/${own}`, org.claims.recorder), "attachment of nobody's draft");
    const withIt = await api('POST', `${F()}/drafts`, org.claims.officer, { ...training('本人起草'), attachmentIds: [own] });
    expect(withIt.status).toBe(201);
    expect((await api('GET', `${F()}/attachments/${own}`, org.claims.recorder)).status).toBe(200);
  });
});
