import { commit, type AuditContext, type IdempotentCreate } from '../adapters/dynamodb/commit.ts';
import { tableName } from '../adapters/dynamodb/client.ts';
import { agencyKey, agencyTreeIndex, unitIndex, unitKey } from '../adapters/dynamodb/keys/org.ts';
import { nowIso, systemClock } from '../kernel/clock.ts';
import { validationError } from '../kernel/errors.ts';
import { newId } from '../kernel/ids.ts';
import { findAgency, findUnit, type Agency, type Unit } from './store.ts';

/**
 * The organisation's own use cases: agencies (a tree, its root provisioned once) and their units.
 * The officers' use cases — registration, certificates, transfers — write into the officer's file in
 * the same transaction, so they live with the file (shared/archive/officers.ts).
 */
const now = (ctx: AuditContext) => nowIso(ctx.clock ?? systemClock);
type Idem = Omit<IdempotentCreate, 'response'> | undefined;
const withResponse = (i: Idem, response: unknown) => (i ? { ...i, response } : undefined);

const agencyItem = (agency: Agency) => ({
  ...agencyKey(agency.agencyId),
  ...agencyTreeIndex(agency),
  kind: 'agency',
  record: agency,
});

const putAgency = (ctx: AuditContext, agency: Agency, idem: Idem, reason?: string) =>
  commit(
    ctx,
    [{ item: { Put: { TableName: tableName(), Item: agencyItem(agency), ConditionExpression: 'attribute_not_exists(pk)' } } }],
    [{ action: 'agency.create', objectType: 'agency', objectId: agency.agencyId, objectAgencyId: agency.agencyId, outcome: 'allowed', reason }],
    withResponse(idem, agency),
  );

export const createAgency = async (ctx: AuditContext, input: { name: string; kind: string; parentId?: string | undefined; region?: string | undefined }, idem: Idem) => {
  let ancestors: string[] = [];
  if (input.parentId) {
    const parent = await findAgency(input.parentId);
    if (!parent) throw validationError('agency.parentUnknown', '上级机关不存在', [{ path: 'body.parentId', message: '上级机关不存在' }]);
    ancestors = [parent.agencyId, ...parent.ancestors];
  }
  const agency: Agency = { agencyId: newId(), name: input.name, kind: input.kind, parentId: input.parentId, ancestors, region: input.region, createdAt: now(ctx) };
  await putAgency(ctx, agency, idem);
  return agency;
};

/**
 * Bootstrap of a deployment: the root of an agency tree has a well-known id (the first
 * administrator's claims need it before anything exists) and is provisioned once, audited, never
 * through the public API (which only creates agencies below the caller's own).
 */
export const provisionRootAgency = async (ctx: AuditContext, input: { agencyId: string; name: string; kind: string; region?: string | undefined }, reason: string) => {
  const existing = await findAgency(input.agencyId);
  if (existing) return existing;
  const agency: Agency = { ...input, ancestors: [], createdAt: now(ctx) };
  await putAgency(ctx, agency, undefined, reason);
  return agency;
};

export const createUnit = async (ctx: AuditContext, agencyId: string, input: { name: string; function: string }, idem: Idem) => {
  const unit: Unit = { unitId: newId(), agencyId, name: input.name, function: input.function, createdAt: now(ctx) };
  await commit(
    ctx,
    [
      {
        item: { Put: { TableName: tableName(), Item: { ...unitKey(agencyId, unit.unitId), ...unitIndex(unit.unitId), kind: 'unit', record: unit }, ConditionExpression: 'attribute_not_exists(pk)' } },
      },
    ],
    [{ action: 'unit.create', objectType: 'agency', objectId: unit.unitId, objectAgencyId: agencyId, outcome: 'allowed' }],
    withResponse(idem, unit),
  );
  return unit;
};

export const requireUnitOf = async (agencyId: string, unitId: string, path: string) => {
  const unit = await findUnit(unitId);
  if (!unit || unit.agencyId !== agencyId) throw validationError('unit.unknown', '部门不存在或不属于该机关', [{ path, message: '部门不存在或不属于该机关' }]);
  return unit;
};
