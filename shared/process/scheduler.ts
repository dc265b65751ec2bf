import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';

/**
 * One-time schedules for clocks longer than a Standard execution may run (a year): EventBridge
 * Scheduler in AWS invokes the jobs function (`{"job":"resume"}`) at the checkpoint; the embedded
 * platform installs a local scheduler on its own clock (infra/local/stepfunctions.ts).
 */
export interface ResumePayload {
  processId: string;
  clockVersion: number;
}

export interface ClockScheduler {
  scheduleResume(name: string, at: string, payload: ResumePayload): Promise<void>;
}

/** `at(yyyy-mm-ddThh:mm:ss)` in Shanghai time, one minute before the checkpoint. */
export const atExpression = (iso: string) => {
  const shanghai = new Date(Date.parse(iso) - 60_000 + 8 * 3600_000).toISOString().slice(0, 19);
  return `at(${shanghai})`;
};

const awsScheduler = (): ClockScheduler => {
  const client = new SchedulerClient({});
  const env = (n: string) => {
    const v = process.env[n];
    if (!v) throw new Error(`missing environment variable ${n}`);
    return v;
  };
  return {
    scheduleResume: async (name, at, payload) => {
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: name.slice(0, 64),
            GroupName: env('SCHEDULER_GROUP'),
            ScheduleExpression: atExpression(at),
            ScheduleExpressionTimezone: 'Asia/Shanghai',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Target: { Arn: env('JOBS_FUNCTION_ARN'), RoleArn: env('SCHEDULER_ROLE_ARN'), Input: JSON.stringify({ job: 'resume', ...payload }) },
          }),
        );
      } catch (e) {
        if (!(e instanceof ConflictException)) throw e; // the same deferral scheduled before
      }
    },
  };
};

let installed: ClockScheduler | undefined;
export const installScheduler = (s: ClockScheduler | undefined) => {
  installed = s;
};
export const scheduler = (): ClockScheduler => (installed ??= awsScheduler());
