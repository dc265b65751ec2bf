import type { AreaConsumer } from '../outbox/dispatch.ts';
import { deliver } from './channels.ts';
import type { NotifyCommand } from './events.ts';

/** The notification area's consumer of the outbox (composed in shared/wiring.ts): SMS and e-mail deliveries. */
export const notifyConsumer = {
  area: 'notify',
  handlers: {
    deliver: (c) => deliver(c.delivery),
  },
} satisfies AreaConsumer<NotifyCommand>;
