import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { deliver } from '#shared/notify/channels.ts';

/** Channel adapters: SMS through SNS, e-mail through SES v2 when configured, logged otherwise. */
const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
const d = { notificationId: '01J0000000000000000000000A', subject: '【逾期催办】督办案件', text: '已逾期，请立即办理' };

afterEach(() => {
  sns.reset();
  ses.reset();
  delete process.env.SMS_ENABLED;
  delete process.env.EMAIL_FROM;
});

describe('notification channels', () => {
  it('sends SMS through SNS when enabled', async () => {
    process.env.SMS_ENABLED = 'true';
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
    await deliver({ ...d, channel: 'sms', to: '+8613800000000' });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({ PhoneNumber: '+8613800000000', Message: expect.stringContaining('逾期催办') });
  });

  it('sends e-mail through SES from the configured address', async () => {
    process.env.EMAIL_FROM = 'noreply@sfj.example.gov.cn';
    ses.on(SendEmailCommand).resolves({ MessageId: 'e1' });
    await deliver({ ...d, channel: 'email', to: 'head@sfj.example.gov.cn' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.FromEmailAddress).toBe('noreply@sfj.example.gov.cn');
    expect(input.Destination?.ToAddresses).toEqual(['head@sfj.example.gov.cn']);
    expect(input.Content?.Simple?.Subject?.Data).toBe(d.subject);
  });

  it('only logs when the channel is not configured (the embedded platform, aws-cn)', async () => {
    await deliver({ ...d, channel: 'sms', to: '+8613800000000' });
    await deliver({ ...d, channel: 'email', to: 'a@b.cn' });
    expect(sns.calls()).toHaveLength(0);
    expect(ses.calls()).toHaveLength(0);
  });

  it('a failed send rejects, so the outbox keeps the command pending', async () => {
    process.env.SMS_ENABLED = 'true';
    sns.on(PublishCommand).rejects(new Error('throttled'));
    await expect(deliver({ ...d, channel: 'sms', to: '+8613800000000' })).rejects.toThrow('throttled');
  });
});
