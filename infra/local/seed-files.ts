import * as api from '../../shared/api/routes.ts';
import { ACTORS, DEMO_USERS, type DemoUser, type ReviewBody } from './seed-data-org.ts';
import { DEMO_ENTRIES, DEMO_GRANTS } from './seed-data-files.ts';
import type { SeedRun } from './seed-run.ts';

/** Seed steps 4–5 (infra/local/seed.ts): officer-file entries through the A6 workflow, and access grants (A8). */
export const seedFiles = async (run: SeedRun) => {
  const { step, call, idOf, daysAgo, failures, officerIds, usersById } = run;
  // 4. file entries, each driven through the A6 workflow to its target state
  const headOf = (u: DemoUser) => DEMO_USERS.find((h) => h.agency === u.agency && h.unit === u.unit && h.roles.includes('deptHead'))?.userId;
  for (const e of DEMO_ENTRIES) {
    const officer = usersById.get(e.officer)!;
    const officerId = officerIds.get(e.officer);
    const recorder = ACTORS[officer.agency]?.recorder;
    const head = headOf(officer);
    if (!officerId || !recorder || !head) {
      failures.push(`entry.${e.key}: officer, recorder or department head missing`);
      continue;
    }
    const created = await step(`entry.${e.key}`, async () => {
      const entry = e.entry(daysAgo);
      const res =
        typeof e.by === 'object'
          ? await call(e.by.handoverBy, api.createHandover, { officerId }, { body: { entry, handover: e.by.handover }, idempotencyKey: `entry.${e.key}` })
          : await call(e.by === 'self' ? e.officer : recorder, api.createDraft, { officerId }, { body: entry, idempotencyKey: `entry.${e.key}` });
      return { entryId: idOf(res.body, 'entryId') };
    });
    if (!created) continue;
    const entryId = created.entryId as string;
    // only the author submits (entries.ts: entry.notAuthor) — for a handover, the handing-over department
    const drafter = typeof e.by === 'object' ? e.by.handoverBy : e.by === 'self' ? e.officer : recorder;
    await step(`entry.${e.key}.${e.target}`, async () => {
      for (let guard = 0; guard < 8; guard++) {
        // read by the department head (A8): once entered, the entry is no longer the recorder's to read
        const d = await call(head, api.getDraft, { officerId, entryId });
        const state = d.body.state as string;
        if (state === e.target || state === 'archived' || state === 'rejected') return { state };
        const p = { officerId, entryId };
        switch (state) {
          case 'draft':
            await call(drafter, api.submitDraft, p, { ifMatch: d.etag });
            break;
          case 'underReview': {
            const body: ReviewBody = e.target === 'rejected' ? { decision: 'reject', reason: '案件尚未办结，请办结后再行记录' } : { decision: 'approve', comment: '情况属实，同意记录' };
            await call(head, api.reviewDraft, p, { body, ifMatch: d.etag });
            break;
          }
          case 'notified':
            await call(e.officer, api.acknowledgeDraft, p, { body: { comment: '本人已知悉' }, ifMatch: d.etag });
            break;
          case 'approved':
          case 'acknowledged':
            await call(recorder, api.archiveDraft, p, { ifMatch: d.etag });
            break;
          default:
            throw new Error(`unexpected draft state ${state}`);
        }
      }
      throw new Error('workflow did not reach its target state');
    });
  }

  // 5. access grants (A8): one approved, one pending
  for (const g of DEMO_GRANTS) {
    const officerId = officerIds.get(g.officer);
    if (!officerId) continue;
    const requested = await step(`grant.${g.key}`, async () => {
      const res = await call(g.requester, api.requestGrant, { officerId }, { body: g.body, idempotencyKey: `grant.${g.key}` });
      return { grantId: idOf(res.body, 'grantId'), etag: res.etag ?? '' };
    });
    if (!requested || !g.approveBy || !g.approve) continue;
    const approver = g.approveBy;
    const approve = g.approve;
    await step(`grant.${g.key}.decided`, async () => {
      const res = await call(approver, api.decideGrant, { officerId, grantId: requested.grantId as string }, { body: approve, ifMatch: requested.etag as string });
      return { status: String(res.body.status ?? '') };
    });
  }
};
