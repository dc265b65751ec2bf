import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import { putVersioned, type DomainWrite } from '../adapters/dynamodb/commit.ts';
import { CALENDAR_PARTITION, CALENDAR_YEAR_SK_PREFIX, calendarYearKey, calendarYearVersionKey, closureKey, closurePartition } from '../adapters/dynamodb/keys/calendar.ts';
import { conflict } from '../kernel/errors.ts';
import { type Calendar, type LocalClosure, shippedCalendar, type YearCalendar } from './calendar.ts';

/**
 * The calendar in force: the years the product ships (shared/calendar/years) overlaid by years
 * published or corrected through the API (`CALENDAR` / `Y#<year>`, versioned; each version also kept
 * as `CALENDAR` / `V#<year>#<version>` so a due date's `calendarVersions` can always be explained),
 * plus each agency's local closures (`CALENDAR#<agency>` / `C#<date>`), inherited by agencies below.
 */
export interface PublishedYear extends YearCalendar {
  publishedAt: string;
  publishedBy: string;
  note?: string | undefined;
}

export interface StoredClosure extends LocalClosure {
  agencyId: string;
  addedBy: string;
  addedAt: string;
}

const CACHE_MS = 60_000;
let yearsCache: { at: number; years: Map<number, YearCalendar> } | undefined;
const closureCache = new Map<string, { at: number; closures: StoredClosure[] }>();

export const forgetCalendarCache = () => {
  yearsCache = undefined;
  closureCache.clear();
};

export const publishedYears = async (): Promise<PublishedYear[]> => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :y)',
      ExpressionAttributeValues: { ':pk': CALENDAR_PARTITION, ':y': CALENDAR_YEAR_SK_PREFIX },
    }),
  );
  return (r.Items ?? []).map((i) => i.record as PublishedYear);
};

const yearsInForce = async (): Promise<Map<number, YearCalendar>> => {
  if (yearsCache && Date.now() - yearsCache.at < CACHE_MS) return yearsCache.years;
  const years = new Map(shippedCalendar().years);
  for (const y of await publishedYears()) years.set(y.year, y);
  yearsCache = { at: Date.now(), years };
  return years;
};

export const yearInForce = async (year: number): Promise<YearCalendar | undefined> => (await yearsInForce()).get(year);

const closuresOf = async (agencyId: string): Promise<StoredClosure[]> => {
  const hit = closureCache.get(agencyId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.closures;
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': closurePartition(agencyId) },
    }),
  );
  const closures = (r.Items ?? []).map((i) => i.record as StoredClosure);
  closureCache.set(agencyId, { at: Date.now(), closures });
  return closures;
};

/** The calendar of an agency: national years plus its own and its superiors' local closures. */
export const calendarFor = async (agencyPath: readonly string[]): Promise<Calendar> => {
  const [years, ...closures] = await Promise.all([yearsInForce(), ...agencyPath.map(closuresOf)]);
  return { years: years as Map<number, YearCalendar>, closures: (closures as StoredClosure[][]).flat() };
};

export const listClosures = closuresOf;

/** Publish a new year (expectedVersion undefined) or correct one (the version read, If-Match). */
export const publishYearWrites = async (year: PublishedYear, ifMatch: number | undefined): Promise<DomainWrite[]> => {
  const current = (await documentClient().send(new GetCommand({ TableName: tableName(), Key: calendarYearKey(year.year), ConsistentRead: true }))).Item?.record as PublishedYear | undefined;
  const shipped = shippedCalendar().years.get(year.year);
  const base = current ?? shipped;
  if (base && ifMatch === undefined) {
    throw conflict('calendar.yearExists', `${year.year} 年日历已存在（版本 ${base.version}），更正须携带 If-Match`, { version: base.version });
  }
  if (base && ifMatch !== base.version) throw conflict('calendar.versionConflict', '日历已被他人更正，请刷新后重试（ETag 不匹配）');
  const next = { ...year, version: (base?.version ?? 0) + 1 };
  return [
    putVersioned({ ...calendarYearKey(year.year), kind: 'calendarYear', record: next }, current?.version, () => conflict('calendar.versionConflict', '日历已被他人更正，请刷新后重试')),
    {
      item: {
        Put: { TableName: tableName(), Item: { ...calendarYearVersionKey(year.year, next.version), kind: 'calendarYearVersion', record: next }, ConditionExpression: 'attribute_not_exists(pk)' },
      },
    },
  ];
};

export const closureWrite = (c: StoredClosure): DomainWrite => ({
  item: {
    Put: {
      TableName: tableName(),
      Item: { ...closureKey(c.agencyId, c.date), kind: 'calendarClosure', record: c },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
  onConditionFailed: () => conflict('calendar.closureExists', `${c.date} 已登记为本机关的停止办公日`),
});
