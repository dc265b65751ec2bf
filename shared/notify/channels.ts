import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { logger } from '../http/logger.ts';

/**
 * Channel adapters for notifications beyond the in-app inbox (which always works): SMS through
 * SNS and e-mail through SES v2 where the deployment enables them (SMS_ENABLED, EMAIL_FROM); on the
 * embedded platform, and wherever a channel is off, the delivery is logged instead. Deliveries go
 * through the outbox (shared/outbox/, the `deliver` command of events.ts), so a failed send is retried.
 */
export interface Delivery {
  notificationId: string;
  channel: 'sms' | 'email';
  /** phone number (E.164) or e-mail address */
  to: string;
  subject: string;
  text: string;
}

let sns: SNSClient | undefined;
let ses: SESv2Client | undefined;

export const channelsEnabled = () => ({
  sms: process.env.SMS_ENABLED === 'true',
  email: !!process.env.EMAIL_FROM,
});

export const deliver = async (d: Delivery): Promise<void> => {
  const on = channelsEnabled();
  if (d.channel === 'sms' && on.sms) {
    sns ??= new SNSClient({});
    await sns.send(new PublishCommand({ PhoneNumber: d.to, Message: `${d.subject}：${d.text}`.slice(0, 300) }));
    return;
  }
  if (d.channel === 'email' && on.email) {
    ses ??= new SESv2Client({});
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: process.env.EMAIL_FROM,
        Destination: { ToAddresses: [d.to] },
        Content: { Simple: { Subject: { Data: d.subject, Charset: 'UTF-8' }, Body: { Text: { Data: d.text, Charset: 'UTF-8' } } } },
      }),
    );
    return;
  }
  logger.info('notification delivery (channel not configured: logged only)', { ...d, to: d.to.replace(/.(?=.{4})/g, '*') });
};
