import * as r from '#shared/api/process-routes.ts';
import { audit } from '#shared/adapters/dynamodb/commit.ts';
import { bind, httpGroup } from '#shared/http/handler.ts';
import { nowIso, systemClock } from '#shared/kernel/clock.ts';
import { notFound } from '#shared/kernel/errors.ts';
import { isAddressedTo, listInbox, markRead, readNotification } from '#shared/notify/store.ts';

/** The in-app inbox: reminders, 催办, 通报 and notices addressed to the caller or to a role they hold. */
const addressed = async (ctx: Parameters<Parameters<typeof bind>[1]>[0]['ctx'], notificationId: string, action: string) => {
  const n = await readNotification(notificationId);
  if (!n || !isAddressedTo(n, ctx.principal)) {
    await audit(ctx, [{ action, objectType: 'notification', objectId: notificationId, outcome: 'notFound' }]);
    throw notFound('notification.notFound', '消息不存在或不是发给您的');
  }
  return n;
};

export const handler = httpGroup([
  bind(r.listInbox, async ({ query, ctx }) => ({ body: { items: await listInbox(ctx.principal, { limit: query.limit, unreadOnly: query.unreadOnly === 'true' }) } })),
  bind(r.getNotification, async ({ params, ctx }) => {
    const n = await addressed(ctx, params.notificationId, 'notification.read');
    return { body: n };
  }),
  bind(r.markNotificationRead, async ({ params, ctx }) => {
    await addressed(ctx, params.notificationId, 'notification.markRead');
    await markRead(ctx.principal.userId, params.notificationId, nowIso(systemClock));
    return { body: { notificationId: params.notificationId, read: true } };
  }),
]);
