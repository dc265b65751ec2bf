/**
 * Every key of the notifications (docs/data-model.md §3 "Deadline processes and notifications"): the
 * record, one inbox item per recipient address, the agency's undelivered notices and a user's read
 * marks. The one place these strings are built (test/unit/keys.test.ts keeps it so).
 */

/** A recipient address as an inbox is keyed: an officer, a user, or a role of an agency (or of one department, else `*`). */
export type InboxAddress = { type: 'officer'; officerId: string } | { type: 'user'; userId: string } | { type: 'role'; agencyId: string; role: string; unitId?: string | undefined };
export const inboxAddress = (a: InboxAddress) => (a.type === 'officer' ? `OFFICER#${a.officerId}` : a.type === 'user' ? `USER#${a.userId}` : `ROLE#${a.agencyId}#${a.unitId ?? '*'}#${a.role}`);

export const notificationKey = (notificationId: string) => ({ pk: `NOTE#${notificationId}`, sk: 'META' });

/** one address's inbox, newest last by `<at>#<notification>` */
export const inboxPartition = (address: string) => `INBOX#${address}`;
export const inboxItemKey = (address: string, at: string, notificationId: string) => ({ pk: inboxPartition(address), sk: `${at}#${notificationId}` });

/** the notices of an agency that reached nobody */
export const undeliveredPartition = (agencyId: string) => `UNDELIVERED#${agencyId}`;
export const undeliveredKey = (agencyId: string, at: string, notificationId: string) => ({ pk: undeliveredPartition(agencyId), sk: `${at}#${notificationId}` });

/** a user's read mark of one notification (written once) */
export const readMarkKey = (userId: string, notificationId: string) => ({ pk: `READ#${userId}`, sk: notificationId });
