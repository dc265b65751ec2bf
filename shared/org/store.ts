import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import {
  AGENCY_TREE_PARTITION,
  agencyKey,
  agencyPartition,
  officerKey,
  officerPartition,
  QUALIFICATION_SK_PREFIX,
  staffPartition,
  staffUnitPrefix,
  UNIT_SK_PREFIX,
  unitIdPartition,
} from '../adapters/dynamodb/keys/org.ts';
import { notFound } from '../kernel/errors.ts';
import type { Qualification } from './qualification.ts';

/** Records of the organisation: agencies (a tree), units, officers, certificates. */
export interface Agency {
  agencyId: string;
  name: string;
  kind: string;
  parentId?: string | undefined;
  /** superiors, nearest first (A8: higher agencies read lower ones) */
  ancestors: string[];
  region?: string | undefined;
  createdAt: string;
}

export interface Unit {
  unitId: string;
  agencyId: string;
  name: string;
  function: string;
  createdAt: string;
}

export interface Officer {
  officerId: string;
  name: string;
  staffNumber: string;
  agencyId: string;
  unitId: string;
  post: string;
  employment: string;
  /** A5: 'left' once the officer leaves enforcement; the file is then held by personnel */
  status: 'active' | 'left';
  fileOpened: boolean;
  createdAt: string;
  version: number;
}

const get = async (key: Record<string, string>, consistent = false) => (await documentClient().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: consistent }))).Item;

const AGENCY_CACHE_MS = 60_000;
const agencyCache = new Map<string, { at: number; agency: Agency }>();

export const findAgency = async (agencyId: string): Promise<Agency | undefined> => {
  const hit = agencyCache.get(agencyId);
  if (hit && Date.now() - hit.at < AGENCY_CACHE_MS) return hit.agency;
  const item = await get(agencyKey(agencyId));
  if (!item) return undefined;
  const agency = item.record as Agency;
  agencyCache.set(agencyId, { at: Date.now(), agency });
  return agency;
};

export const getAgency = async (agencyId: string) => {
  const a = await findAgency(agencyId);
  if (!a) throw notFound('agency.notFound', '机关不存在');
  return a;
};

export const listAllAgencies = async (): Promise<Agency[]> => {
  const out: Agency[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': AGENCY_TREE_PARTITION },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) out.push(i.record as Agency);
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

export const findUnit = async (unitId: string): Promise<Unit | undefined> => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': unitIdPartition(unitId) },
      Limit: 1,
    }),
  );
  return r.Items?.[0]?.record as Unit | undefined;
};

export const listUnitsOf = async (agencyId: string): Promise<Unit[]> => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :u)',
      ExpressionAttributeValues: { ':p': agencyPartition(agencyId), ':u': UNIT_SK_PREFIX },
    }),
  );
  return (r.Items ?? []).map((i) => i.record as Unit);
};

export const findOfficer = async (officerId: string, consistent = false): Promise<Officer | undefined> => (await get(officerKey(officerId), consistent))?.record as Officer | undefined;

export const listOfficersOf = async (agencyId: string, unitId?: string): Promise<Officer[]> => {
  const out: Officer[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: unitId ? 'gsi1pk = :p AND begins_with(gsi1sk, :u)' : 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': staffPartition(agencyId), ...(unitId ? { ':u': staffUnitPrefix(unitId) } : {}) },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) out.push(i.record as Officer);
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

export const listQualificationsOf = async (officerId: string): Promise<Qualification[]> => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :q)',
      ExpressionAttributeValues: { ':p': officerPartition(officerId), ':q': QUALIFICATION_SK_PREFIX },
      ConsistentRead: true,
    }),
  );
  return (r.Items ?? []).map((i) => i.record as Qualification);
};

export const forgetAgencyCache = () => agencyCache.clear();
