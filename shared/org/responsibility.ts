import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import { responsibilityKey } from '../adapters/dynamodb/keys/org.ts';
import { commit, putVersioned, type AuditContext } from '../adapters/dynamodb/commit.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { conflict, requireVersion, validationError, type FieldIssue } from '../kernel/errors.ts';
import type { LADDER_STEPS } from '../rules/catalog.ts';
import { findOfficer, listUnitsOf } from './store.ts';

/**
 * E3 责任制 of an agency: the director (局长, first responsible), the leaders in charge (分管领导,
 * second responsible, each for the departments they lead) and each department's head (科室负责人,
 * directly responsible), as registered officers. Reminders and escalations reach people through it
 * (shared/process/recipients.ts): a role is resolved to whoever holds it, and a department without a
 * head falls back along the ladder the E3 rule version sets — leader in charge, then director.
 * One versioned record per agency (`AGENCY#<id>` / `RESPONSIBILITY`), replaced with If-Match.
 */
export type LadderStep = (typeof LADDER_STEPS)[number];

interface Post {
  officerId: string;
  name: string;
}
export interface Responsibility {
  agencyId: string;
  director?: Post | undefined;
  leaders: (Post & { unitIds: string[] })[];
  heads: (Post & { unitId: string })[];
  version: number;
  updatedAt?: string | undefined;
  updatedBy?: string | undefined;
}

export interface ResponsibilityInput {
  directorOfficerId?: string | undefined;
  leaders: { officerId: string; unitIds: string[] }[];
  heads: { unitId: string; officerId: string }[];
}

const CONFLICT = '责任体系已被他人修改，请刷新后重试（ETag 不匹配）';

export const findResponsibility = async (agencyId: string, consistent = false): Promise<Responsibility | undefined> =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: responsibilityKey(agencyId), ConsistentRead: consistent }))).Item?.record as Responsibility | undefined;

/** The agency's record, or an empty one (version 0) while nobody has been named. */
export const responsibilityOf = async (agencyId: string): Promise<Responsibility> => (await findResponsibility(agencyId)) ?? { agencyId, leaders: [], heads: [], version: 0 };

/**
 * Replace the agency's responsibility record. Everyone named is an active officer of the agency and
 * every department is the agency's; a department has one head and one leader in charge. Creating it
 * needs no If-Match; replacing it does (a stale or missing ETag is a 409 naming the current version).
 */
export const setResponsibility = async (ctx: AuditContext, agencyId: string, input: ResponsibilityInput, ifMatch: string | undefined) => {
  const existing = await findResponsibility(agencyId, true);
  if (existing && ifMatch === undefined) {
    throw conflict('responsibility.ifMatchRequired', '本机关已设置责任体系：修改须带 If-Match（当前版本）', { currentVersion: existing.version });
  }
  requireVersion(existing ?? { version: 0 }, ifMatch, 'responsibility.versionConflict', CONFLICT);
  const issues: FieldIssue[] = [];
  const names = new Map<string, string>();
  const officer = async (officerId: string, path: string) => {
    const o = await findOfficer(officerId);
    if (!o || o.agencyId !== agencyId || o.status !== 'active') issues.push({ path, message: `执法人员 ${officerId} 不存在、不在岗或不属于本机关` });
    else names.set(officerId, o.name);
  };
  const units = new Set((await listUnitsOf(agencyId)).map((u) => u.unitId));
  const unit = (unitId: string, path: string) => {
    if (!units.has(unitId)) issues.push({ path, message: `部门 ${unitId} 不存在或不属于本机关` });
  };
  if (input.directorOfficerId) await officer(input.directorOfficerId, 'body.directorOfficerId');
  const ledBy = new Map<string, number>();
  for (const [i, l] of input.leaders.entries()) {
    await officer(l.officerId, `body.leaders.${i}.officerId`);
    if (input.leaders.findIndex((x) => x.officerId === l.officerId) !== i) issues.push({ path: `body.leaders.${i}.officerId`, message: '同一分管领导只能列一次' });
    for (const [j, u] of l.unitIds.entries()) {
      unit(u, `body.leaders.${i}.unitIds.${j}`);
      if (ledBy.has(u)) issues.push({ path: `body.leaders.${i}.unitIds.${j}`, message: '一个部门只能有一位分管领导' });
      ledBy.set(u, i);
    }
  }
  for (const [i, h] of input.heads.entries()) {
    await officer(h.officerId, `body.heads.${i}.officerId`);
    unit(h.unitId, `body.heads.${i}.unitId`);
    if (input.heads.findIndex((x) => x.unitId === h.unitId) !== i) issues.push({ path: `body.heads.${i}.unitId`, message: '一个部门只能有一位负责人' });
  }
  if (issues.length) throw validationError('responsibility.invalid', '责任体系中的人员或部门不合法（E3）', issues);
  const post = (officerId: string) => ({ officerId, name: names.get(officerId)! });
  const record: Responsibility = {
    agencyId,
    director: input.directorOfficerId ? post(input.directorOfficerId) : undefined,
    leaders: input.leaders.map((l) => ({ ...post(l.officerId), unitIds: [...l.unitIds] })),
    heads: input.heads.map((h) => ({ ...post(h.officerId), unitId: h.unitId })),
    version: (existing?.version ?? 0) + 1,
    updatedAt: nowIso(ctx.clock ?? systemClock),
    updatedBy: ctx.principal.userId,
  };
  await commit(
    ctx,
    [
      putVersioned({ ...responsibilityKey(agencyId), kind: 'responsibility', record: JSON.parse(JSON.stringify(record)) as Responsibility }, existing?.version, () =>
        conflict('responsibility.versionConflict', CONFLICT),
      ),
    ],
    [{ action: 'responsibility.set', objectType: 'agency', objectId: agencyId, objectAgencyId: agencyId, outcome: 'allowed', reason: `version ${record.version}` }],
  );
  return record;
};

export interface Holder extends Post {
  as: LadderStep;
}

/**
 * Who answers for a department (or, with no department, for the agency): the holders of the first
 * step of `ladder` that has an active officer in it — its head, its leader in charge, the director.
 */
export const answerableFor = async (r: Responsibility, unitId: string | undefined, ladder: readonly LadderStep[]): Promise<Holder[]> => {
  for (const step of ladder) {
    const posts: Post[] =
      step === 'director' ? (r.director ? [r.director] : []) : !unitId ? [] : step === 'deptHead' ? r.heads.filter((h) => h.unitId === unitId) : r.leaders.filter((l) => l.unitIds.includes(unitId));
    const active: Holder[] = [];
    for (const p of posts) {
      const o = await findOfficer(p.officerId);
      // a holder who left or moved away is nobody's address any more: the ladder goes on
      if (o && o.agencyId === r.agencyId && o.status === 'active') active.push({ officerId: p.officerId, name: o.name, as: step });
    }
    if (active.length) return active;
  }
  return [];
};
