import { BatchGetCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '../access/principal.ts';
import { documentClient, tableName } from '../adapters/dynamodb/client.ts';
import type { DomainWrite } from '../adapters/dynamodb/commit.ts';
import { inboxAddress, inboxItemKey, inboxPartition, notificationKey, readMarkKey, undeliveredKey, undeliveredPartition } from '../adapters/dynamodb/keys/notify.ts';
import { newId } from '../kernel/ids.ts';
import type { Address, Reached } from './address.ts';
import type { Delivery } from './channels.ts';

/**
 * Notifications (reminders, 催办, 通报, due dates moved, assignments). Each is an immutable record
 * with its recipients — evidence for the year-end assessment (C7) — fanned out to one inbox item per
 * address. Whether a user has read it is the only mutable fact, kept apart (`READ#<user>`).
 */
export const NOTIFICATION_KINDS = ['remind', 'chase', 'report', 'dueDateMoved', 'assigned', 'opened', 'decided'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** the inbox an address reads (the key spelling: shared/adapters/dynamodb/keys/notify.ts) */
export const addressKey = (a: Address) => inboxAddress(a);

/** The addresses a user's inbox collects: their own, their officer identity and each role they hold. */
export const addressesOf = (p: Principal): string[] => [
  addressKey({ type: 'user', userId: p.userId }),
  ...(p.officerId ? [addressKey({ type: 'officer', officerId: p.officerId })] : []),
  ...p.roles.flatMap((role) => [addressKey({ type: 'role', agencyId: p.agencyId, role }), ...(p.unitId ? [addressKey({ type: 'role', agencyId: p.agencyId, role, unitId: p.unitId })] : [])]),
];

export interface NotificationDraft {
  kind: NotificationKind;
  agencyId: string;
  processId?: string | undefined;
  title: string;
  body: string;
  recipients: Address[];
  /** SMS / e-mail deliveries requested besides the inbox */
  contacts?: { channel: 'sms' | 'email'; to: string }[] | undefined;
  /**
   * the people it reached (E3), when the sender resolved its roles to their holders; an empty list
   * means it reached nobody, which is recorded as an error of the agency's work list (never silent)
   */
  reached?: Reached[] | undefined;
  /** the process's department, for the department's work list */
  unitId?: string | undefined;
}

export interface Notification extends NotificationDraft {
  notificationId: string;
  createdAt: string;
}

const put = (Item: Record<string, unknown>): DomainWrite => ({
  item: { Put: { TableName: tableName(), Item, ConditionExpression: 'attribute_not_exists(pk)' } },
});

/** The writes of one notification (record + inbox items) and the deliveries it asks for. */
export const notificationWrites = (draft: NotificationDraft, at: string, notificationId = newId()) => {
  const n: Notification = { ...draft, notificationId, createdAt: at };
  const keys = [...new Set(n.recipients.map(addressKey))];
  const writes: DomainWrite[] = [
    put({ ...notificationKey(n.notificationId), kind: 'notification', record: n }),
    ...keys.map((k) => put({ ...inboxItemKey(k, at, n.notificationId), kind: 'inbox', notificationId: n.notificationId, title: n.title, noteKind: n.kind, processId: n.processId, createdAt: at })),
    ...(n.reached?.length === 0 ? [put({ ...undeliveredKey(n.agencyId, at, n.notificationId), kind: 'undelivered', record: undeliveredOf(n) })] : []),
  ];
  const deliveries: Delivery[] = (n.contacts ?? []).map((c) => ({ notificationId: n.notificationId, channel: c.channel, to: c.to, subject: n.title, text: n.body }));
  return { notification: n, writes, deliveries };
};

export interface Undelivered {
  notificationId: string;
  kind: NotificationKind;
  processId?: string | undefined;
  unitId?: string | undefined;
  title: string;
  recipients: Address[];
  createdAt: string;
}
const undeliveredOf = (n: Notification): Undelivered => ({
  notificationId: n.notificationId,
  kind: n.kind,
  processId: n.processId,
  unitId: n.unitId,
  title: n.title,
  recipients: n.recipients,
  createdAt: n.createdAt,
});

/** Notifications of an agency (or one department) that reached nobody, newest first: errors of its work list. */
export const listUndelivered = async (agencyId: string, unitId: string | undefined, limit: number): Promise<Undelivered[]> => {
  const out: Undelivered[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': undeliveredPartition(agencyId) },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) {
      const u = i.record as Undelivered;
      if (!unitId || u.unitId === unitId) out.push(u);
    }
    start = r.LastEvaluatedKey;
  } while (start && out.length < limit);
  return out.slice(0, limit);
};

export const readNotification = async (notificationId: string): Promise<Notification | undefined> =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: notificationKey(notificationId) }))).Item?.record as Notification | undefined;

export const isAddressedTo = (n: Notification, p: Principal) => {
  const mine = new Set(addressesOf(p));
  return n.recipients.some((a) => mine.has(addressKey(a)));
};

export interface InboxItem {
  notificationId: string;
  kind: NotificationKind;
  title: string;
  processId?: string | undefined;
  createdAt: string;
  read: boolean;
}

/** Newest first across all of the user's addresses, with read marks. */
export const listInbox = async (p: Principal, opts: { limit: number; unreadOnly: boolean; before?: string | undefined }): Promise<InboxItem[]> => {
  const pages = await Promise.all(
    addressesOf(p).map((k) =>
      documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: opts.before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': inboxPartition(k), ...(opts.before ? { ':before': opts.before } : {}) },
          ScanIndexForward: false,
          Limit: opts.limit,
        }),
      ),
    ),
  );
  const seen = new Set<string>();
  const items = pages
    .flatMap((r) => r.Items ?? [])
    .sort((a, b) => String(b.sk).localeCompare(String(a.sk)))
    .filter((i) => (seen.has(i.notificationId as string) ? false : (seen.add(i.notificationId as string), true)))
    .slice(0, opts.limit * 2);
  const read = await readMarks(
    p.userId,
    items.map((i) => i.notificationId as string),
  );
  return items
    .map((i) => ({
      notificationId: i.notificationId as string,
      kind: i.noteKind as NotificationKind,
      title: i.title as string,
      processId: i.processId as string | undefined,
      createdAt: i.createdAt as string,
      read: read.has(i.notificationId as string),
    }))
    .filter((i) => !opts.unreadOnly || !i.read)
    .slice(0, opts.limit);
};

const readMarks = async (userId: string, ids: string[]): Promise<Set<string>> => {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    if (!chunk.length) continue;
    const r = await documentClient().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: chunk.map((id) => readMarkKey(userId, id)) } } }));
    for (const item of r.Responses?.[tableName()] ?? []) out.add(item.sk as string);
  }
  return out;
};

/** Marking read is idempotent: the first mark stays (when it was first read is what counts). */
export const markRead = async (userId: string, notificationId: string, at: string) => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...readMarkKey(userId, notificationId), kind: 'readMark', readAt: at },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (e) {
    if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
  }
};
