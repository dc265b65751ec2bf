import type { Delivery } from './channels.ts';

/**
 * The command of the notification area that travels through the outbox (shared/outbox/store.ts):
 * send one SMS or e-mail of a notification committed with the change that calls for it. Carried out
 * by the notification area's consumer (consumers.ts); idempotent by its notification id.
 */
export type NotifyCommand = { type: 'deliver'; delivery: Delivery };
