import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import { audit, commit, putVersioned, type AuditContext, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import { FILE_SK, filePartition, granteePartition, grantIndexes, grantKey } from '../adapters/dynamodb/keys/archive.ts';
import { nowIso, shanghaiDate, systemClock } from '../kernel/clock.ts';
import { conflict, DomainError, notFound, requireVersion, validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { findAgency, type Officer } from '../org/store.ts';
import { ruleInForce } from '../rules/store.ts';
import { can, type AccessGrant, type GrantableAction } from './decide.ts';
import { decideFor, type Allowed } from './gate.ts';

/**
 * A8 "anyone else only with approval": a request with a purpose → approval by an authorised person
 * (A8 grantApproverRoles) → a grant that expires (A8 grantMaxDuration). Every step is audited.
 */
export interface GrantRecord extends AccessGrant {
  requestedBy: string;
  requesterAgencyId: string;
  requestedDays: number;
  createdAt: string;
  decidedBy?: string | undefined;
  decidedAt?: string | undefined;
  reason?: string | undefined;
  ruleVersion: string;
  version: number;
}

const GRANT_CONFLICT = '授权记录已被他人修改，请刷新后重试';

const grantItem = (g: GrantRecord, custodyAgencyId: string) => ({
  ...grantKey(g.officerId, g.grantId),
  grantee: g.granteeUserId,
  ...grantIndexes(g, custodyAgencyId),
  kind: 'grant',
  record: g,
});

const a8For = async (ctx: AuditContext, o: Officer) => {
  const agency = await findAgency(o.agencyId);
  return ruleInForce('A8', [o.agencyId, ...(agency?.ancestors ?? [])], shanghaiDate((ctx.clock ?? systemClock).now()));
};

export const requestGrant = async (ctx: AuditContext, officer: Officer, input: { purpose: string; actions: GrantableAction[]; days: number }, idem: Omit<IdempotentCreate, 'response'> | undefined) => {
  const a8 = await a8For(ctx, officer);
  const max = a8.parameters.grantMaxDuration.value;
  if (input.days > max) throw validationError('grant.tooLong', `查阅授权期限不得超过 ${max} 日（${a8.versionId}）`, [{ path: 'body.days', message: `不得超过 ${max} 日` }]);
  const g: GrantRecord = {
    grantId: newId(),
    officerId: officer.officerId,
    granteeUserId: ctx.principal.userId,
    actions: input.actions,
    status: 'requested',
    purpose: input.purpose,
    requestedBy: ctx.principal.userId,
    requesterAgencyId: ctx.principal.agencyId,
    requestedDays: input.days,
    createdAt: nowIso(ctx.clock ?? systemClock),
    ruleVersion: a8.versionId,
    version: 1,
  };
  await commit(
    ctx,
    [{ item: { Put: { TableName: tableName(), Item: grantItem(g, officer.agencyId), ConditionExpression: 'attribute_not_exists(pk)' } } }],
    [{ action: 'grant.request', objectType: 'grant', objectId: g.grantId, objectAgencyId: officer.agencyId, outcome: 'allowed', purpose: input.purpose }],
    idem ? { ...idem, response: g } : undefined,
  );
  return g;
};

export const readGrant = async (officerId: string, grantId: string) => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: grantKey(officerId, grantId), ConsistentRead: true }));
  if (!r.Item) throw notFound('grant.notFound', '授权申请不存在');
  return r.Item.record as GrantRecord;
};

const saveGrant = (ctx: AuditContext, prev: GrantRecord, next: GrantRecord, custodyAgencyId: string, action: string, reason?: string) =>
  commit(
    ctx,
    [putVersioned(grantItem(next, custodyAgencyId), prev.version, () => conflict('grant.versionConflict', GRANT_CONFLICT))],
    [{ action, objectType: 'grant', objectId: next.grantId, objectAgencyId: custodyAgencyId, outcome: 'allowed', purpose: next.purpose, reason }],
  );

export const decideGrant = async (
  ctx: AuditContext,
  gate: Allowed,
  grantId: string,
  input: { decision: 'approve'; days?: number | undefined; comment?: string | undefined } | { decision: 'reject'; reason: string },
  ifMatch: string | undefined,
) => {
  const g = await readGrant(gate.officer.officerId, grantId);
  requireVersion(g, ifMatch, 'grant.versionConflict', GRANT_CONFLICT);
  if (g.status !== 'requested') throw conflict('grant.alreadyDecided', '该授权申请已处理');
  if (g.requestedBy === ctx.principal.userId) throw new DomainError('forbidden', 'grant.selfApproval', '不得审批本人的查阅申请');
  const a8 = await a8For(ctx, gate.officer);
  const at = (ctx.clock ?? systemClock).now();
  let next: GrantRecord;
  if (input.decision === 'approve') {
    const days = Math.min(input.days ?? g.requestedDays, a8.parameters.grantMaxDuration.value);
    next = {
      ...g,
      status: 'approved',
      decidedBy: ctx.principal.userId,
      decidedAt: nowIso({ now: () => at }),
      expiresAt: nowIso({ now: () => new Date(at.getTime() + days * 86_400_000) }),
      reason: input.comment,
      version: g.version + 1,
    };
  } else {
    next = { ...g, status: 'rejected', decidedBy: ctx.principal.userId, decidedAt: nowIso({ now: () => at }), reason: input.reason, version: g.version + 1 };
  }
  await saveGrant(ctx, g, next, gate.officer.agencyId, `grant.${input.decision}`, input.decision === 'reject' ? input.reason : undefined);
  return next;
};

export const revokeGrant = async (ctx: AuditContext, officer: Officer, grantId: string, reason: string, ifMatch: string | undefined) => {
  const g = await readGrant(officer.officerId, grantId);
  // the security administrator of the custody agency, an approver (A8), or the grantee giving it up
  const approver = await decideFor(ctx, officer, 'grant.approve');
  if (!(can(ctx.principal, 'grant.revoke') && ctx.principal.agencyId === officer.agencyId) && !approver.allowed && g.granteeUserId !== ctx.principal.userId) {
    await audit(ctx, [{ action: 'grant.revoke', objectType: 'grant', objectId: grantId, objectAgencyId: officer.agencyId, outcome: 'denied' }]);
    throw new DomainError('forbidden', 'grant.revokeForbidden', '无权撤销该授权');
  }
  requireVersion(g, ifMatch, 'grant.versionConflict', GRANT_CONFLICT);
  if (g.status !== 'approved' && g.status !== 'requested') throw conflict('grant.notActive', '该授权已失效');
  const next: GrantRecord = { ...g, status: 'revoked', reason, version: g.version + 1, decidedBy: ctx.principal.userId, decidedAt: nowIso(ctx.clock ?? systemClock) };
  await saveGrant(ctx, g, next, officer.agencyId, 'grant.revoke', reason);
  return next;
};

export const listGrantsOfFile = async (officerId: string) => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :g)',
      ExpressionAttributeValues: { ':p': filePartition(officerId), ':g': FILE_SK.grant },
      ScanIndexForward: false,
    }),
  );
  return (r.Items ?? []).map((i) => i.record as GrantRecord);
};

export const listGrantsOfGrantee = async (userId: string) => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': granteePartition(userId) },
      ScanIndexForward: false,
      Limit: 200,
    }),
  );
  return (r.Items ?? []).map((i) => i.record as GrantRecord);
};
