import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { type IScheduleTarget, Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { OUTBOX_PARTITION_PREFIX } from '../../shared/adapters/dynamodb/keys/outbox.ts';
import type { FunctionAccess, ProcessTargets } from './access.ts';
import type { ArchiveFunction } from './archive-function.ts';
import type { ArchiveTable } from './archive-table.ts';
import { OUTBOX_STREAM_RETRY_ATTEMPTS, outboxStreamMapping } from './evidence-outbox.ts';
import type { DataKey } from './keys.ts';
import { processExecutionsArn, processMachineArn } from './process-machine.ts';
import type { Settings } from './settings.ts';

/**
 * The AWS side of the deadline-bound processes besides the state machines themselves
 * (infra/aws/process-machine.ts):
 *
 * - the clock function (functions/clock/process-clock.ts), the Task handler of every machine; its
 *   Defer action turns a clock longer than a Standard execution may run into a one-time EventBridge
 *   Scheduler schedule in the process schedule group;
 * - the jobs function (functions/jobs/processes.ts): the transactional outbox consumer on the table
 *   stream (INSERTs of `OUTBOX#…` items only), the reconciler every RECONCILE_RATE, and the target of
 *   the one-time resume schedules;
 * - the schedule group, the role its schedules assume (it may invoke the jobs function, nothing
 *   else), and the recurring reconcile schedule.
 *
 * Who may do what stays in infra/aws/access.ts (PROCESS_CLOCK_ACCESS, PROCESS_JOBS_ACCESS, the
 * `processes` route group); this construct supplies the resources those rows name (`targets`) and
 * the environment the code reads (`environmentFor`).
 */

/** Partition keys of outbox items (the transactional outbox); the stream mapping passes only their inserts. */
export const OUTBOX_PREFIX = OUTBOX_PARTITION_PREFIX;
export const RECONCILE_RATE = Duration.minutes(5);
/** what the recurring schedule sends the jobs function; one-time schedules send {"job":"resume","processId":"…"} */
export const RECONCILE_INPUT = { job: 'reconcile' } as const;
/** stream batches that keep failing are retried this often (halved each time) before their pointer goes to the dead-letter queue */
export const OUTBOX_RETRY_ATTEMPTS = OUTBOX_STREAM_RETRY_ATTEMPTS;

export const PROCESS_CLOCK_ENTRY = { surface: 'clock', name: 'process-clock' } as const;
export const PROCESS_JOBS_ENTRY = { surface: 'jobs', name: 'processes' } as const;

/** Sizing and invocation facts of the two process functions (ids, descriptions: infra/aws/archive-stack.ts). */
export const PROCESS_CLOCK_FUNCTION = {
  id: 'Process-clock',
  description: 'Enforcement archive: deadline-process clock (Task handler of every process state machine)',
  noDeadLetterQueueReason:
    'Invoked synchronously by Step Functions Task states only: a failure returns to the execution, whose ' +
    'Retry/Catch in the ASL handle it, and Lambda retries nothing, so a dead-letter queue (which only receives ' +
    'failed asynchronous invocations) would stay empty.',
} as const;
export const PROCESS_JOBS_FUNCTION = {
  id: 'Job-processes',
  description: 'Enforcement archive: deadline-process jobs (outbox stream consumer, reconciler, resume target of schedules)',
  // a reconcile run must end well before the next one starts
  timeout: Duration.minutes(2),
  // EventBridge Scheduler invokes asynchronously: failed invocations are kept
  deadLetterQueue: true,
} as const;

/** The notification channels of one stack (settings smsEnabled, emailFrom; the in-app inbox always works). */
export interface NotificationChannels {
  sms: boolean;
  emailFrom?: string | undefined;
}

/**
 * SMS and e-mail where the partition offers them. Neither SNS SMS nor SES exists in aws-cn: SMS
 * defaults to off there, and asking for either fails the synthesis instead of deploying a channel
 * that can never deliver. In the global partition SMS is on unless `smsEnabled=false`; e-mail
 * needs a verified sender (`emailFrom`).
 */
export const notificationChannels = (settings: Pick<Settings, 'smsEnabled' | 'emailFrom'>, partition: string): NotificationChannels => {
  if (partition === 'aws-cn') {
    const asked = [settings.smsEnabled ? 'smsEnabled=true (SNS SMS)' : '', settings.emailFrom ? `emailFrom=${settings.emailFrom} (SES)` : ''].filter(Boolean);
    if (asked.length) throw new Error(`context ${asked.join(' and ')}: not offered in the aws-cn partition; notifications there use the in-app inbox`);
    return { sms: false };
  }
  return { sms: settings.smsEnabled ?? true, emailFrom: settings.emailFrom };
};

export interface ProcessJobsProps {
  /** the process kinds, one state machine each (infra/aws/process-machine.ts processKinds) */
  kinds: string[];
  table: ArchiveTable;
  channels: NotificationChannels;
  /** data keys whose key policy must deny the scheduler's role the destructive actions */
  protectKeys: DataKey[];
}

/**
 * The reconcile schedule's target: the jobs function, invoked with the scheduler role. Written out
 * because the CDK LambdaInvoke target grants itself `<fn>` and `<fn>:*` on the role (a wildcard).
 */
const reconcileTarget = (functionArn: string, role: Role, input: object): IScheduleTarget => ({
  bind: () => ({
    arn: functionArn,
    role,
    input: ScheduleTargetInput.fromObject(input),
    // a missed reconcile is superseded by the next one RECONCILE_RATE later
    retryPolicy: { maximumEventAgeInSeconds: RECONCILE_RATE.toSeconds() - 60, maximumRetryAttempts: 3 },
  }),
});

export class ProcessJobs extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  /** assumed by every schedule of the group (the recurring reconcile and the clock's one-time resumes) */
  readonly schedulerRole: Role;
  /** state machine ARN by process kind (the PROCESS_MACHINES environment) */
  readonly machineArns: Record<string, string>;
  readonly targets: ProcessTargets;
  readonly channels: NotificationChannels;
  schedulerPolicy?: ManagedPolicy;
  reconcileSchedule?: Schedule;
  outboxStream?: EventSourceMapping;
  private readonly table: ArchiveTable;

  constructor(scope: Construct, id: string, props: ProcessJobsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.table = props.table;
    this.channels = props.channels;
    this.scheduleGroup = new ScheduleGroup(this, 'Schedules', { scheduleGroupName: `${stack.stackName}-processes` });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      // confused-deputy guard: only schedules of this group, in this account
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn } },
      }),
      description: 'Enforcement archive: EventBridge Scheduler invoking the deadline-process jobs function',
    });
    for (const key of props.protectKeys) key.protectFrom(this.schedulerRole);

    this.machineArns = Object.fromEntries(props.kinds.map((kind) => [kind, processMachineArn(stack, kind)]));
    const emailFrom = props.channels.emailFrom;
    this.targets = {
      machineArns: Object.values(this.machineArns),
      executionArns: props.kinds.map((kind) => processExecutionsArn(stack, kind)),
      resumeSchedulesArn: stack.formatArn({
        service: 'scheduler',
        resource: 'schedule',
        resourceName: `${this.scheduleGroup.scheduleGroupName}/*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
      schedulerRoleArn: this.schedulerRole.roleArn,
      sms: props.channels.sms,
      // SES authorizes the identity the sender belongs to: the address itself or its domain, whichever is verified
      emailIdentityArns: emailFrom ? [emailFrom, emailFrom.slice(emailFrom.indexOf('@') + 1)].map((identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })) : [],
    };
  }

  /** The environment a function with `access` reads (shared/config.ts of the process code). */
  environmentFor(access: FunctionAccess): Record<string, string> {
    const stack = Stack.of(this);
    return {
      ...(access.executions ? { PROCESS_MACHINES: stack.toJsonString(this.machineArns) } : {}),
      ...(access.resumeSchedules ? { SCHEDULER_GROUP: this.scheduleGroup.scheduleGroupName, SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn } : {}),
      ...(access.notifications ? { SMS_ENABLED: String(this.channels.sms), EMAIL_FROM: this.channels.emailFrom ?? '' } : {}),
    };
  }

  /**
   * Wire the jobs function in: the scheduler role may invoke it (and nothing else), the recurring
   * reconcile schedule, and the outbox stream mapping (inserted `OUTBOX#…` items only; failing
   * batches bisected and retried, then their pointer kept in the function's dead-letter queue).
   */
  connectJobs(jobs: ArchiveFunction): void {
    if (!jobs.deadLetterQueue) throw new Error('the jobs function needs its dead-letter queue (PROCESS_JOBS_FUNCTION.deadLetterQueue)');
    if (!this.table.table.tableStreamArn) throw new Error('the archive table has no stream (infra/aws/archive-table.ts)');
    this.schedulerPolicy = new ManagedPolicy(this, 'SchedulerPolicy', {
      roles: [this.schedulerRole],
      description: 'Enforcement archive: EventBridge Scheduler invoking the deadline-process jobs function',
      statements: [new PolicyStatement({ sid: 'InvokeProcessJobs', actions: ['lambda:InvokeFunction'], resources: [jobs.fn.functionArn] })],
    });

    this.reconcileSchedule = new Schedule(this, 'Reconcile', {
      schedule: ScheduleExpression.rate(RECONCILE_RATE),
      scheduleGroup: this.scheduleGroup,
      description: 'Enforcement archive: reconcile deadline processes with their executions and schedules',
      target: reconcileTarget(jobs.fn.functionArn, this.schedulerRole, RECONCILE_INPUT),
    });
    // Scheduler checks at creation that the role may invoke the target
    this.reconcileSchedule.node.addDependency(this.schedulerPolicy);

    this.outboxStream = outboxStreamMapping(this, 'OutboxStream', jobs.fn, this.table, jobs.deadLetterQueue, OUTBOX_RETRY_ATTEMPTS);
  }
}
