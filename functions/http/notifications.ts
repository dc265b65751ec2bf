import * as r from '#shared/api/process-routes.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind, type RequestContext } from '#shared/http/handler.ts';
import { nowIso, systemClock } from '#shared/kernel/clock.ts';
import { notFound } from '#shared/kernel/errors.ts';
import { isAddressedTo, listInbox, markRead, readNotification } from '#shared/notify/store.ts';

/** The in-app inbox: reminders, 催办, 通报 and notices addressed to the caller or to a role they hold. */
/** a notice not addressed to the caller does not exist for them (the pipeline records the refusal) */
const addressed = async (ctx: RequestContext, notificationId: string) => {
  const n = await readNotification(notificationId);
  if (!n || !isAddressedTo(n, ctx.principal)) throw notFound('notification.notFound', '消息不存在或不是发给您的');
  return n;
};

export const handler = auditedHttpGroup([
  bind(r.listInbox, async ({ query, ctx }) => ({ body: { items: await listInbox(ctx.principal, { limit: query.limit, unreadOnly: query.unreadOnly === 'true' }) } })),
  bind(r.getNotification, async ({ params, ctx }) => {
    return { body: await addressed(ctx, params.notificationId) };
  }),
  bind(r.markNotificationRead, async ({ params, ctx }) => {
    await addressed(ctx, params.notificationId);
    await markRead(ctx.principal.userId, params.notificationId, nowIso(systemClock));
    return { body: { notificationId: params.notificationId, read: true } };
  }),
]);
