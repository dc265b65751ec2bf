import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IScheduleTarget, Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { ArchiveFunction } from './archive-function.ts';
import type { DataKey } from './keys.ts';

/**
 * The AWS side of audiovisual evidence besides the bucket itself (infra/aws/evidence-store.ts) and
 * the rows of infra/aws/access.ts:
 *
 * - the ingest function (functions/events/evidence-arrived.ts), invoked by S3 ObjectCreated under
 *   `evidence/`;
 * - the evidence jobs function (functions/jobs/evidence.ts) and the nightly EventBridge Scheduler
 *   schedules that run it, one per job, in their own schedule group, through a role that may invoke
 *   that function and nothing else.
 *
 * Both functions exist only once their handler file does (infra/aws/archive-stack.ts, the same
 * guard as attachment-arrived), so the app synthesizes either way.
 */

export const EVIDENCE_ARRIVED_ENTRY = { surface: 'events', name: 'evidence-arrived' } as const;
export const EVIDENCE_JOBS_ENTRY = { surface: 'jobs', name: 'evidence' } as const;

/**
 * The ingest streams an original of up to MAX_EVIDENCE_BYTES (50 GiB, shared/api/evidence-routes.ts)
 * once through SHA-256 and SM3 (native OpenSSL). The time goes to reading from S3, whose throughput
 * grows with the memory Lambda allots (and CPU with it), so it gets the memory of the jobs and all
 * the time an invocation may run: at ~100 MB/s a 50 GiB file takes about 9 minutes.
 */
export const EVIDENCE_ARRIVED_FUNCTION = {
  id: 'Event-evidence-arrived',
  description: 'Enforcement archive: ingest originals arriving under evidence/ (hash SHA-256 + SM3, tag, lock; S3 ObjectCreated)',
  memorySize: 3008,
  timeout: Duration.minutes(15),
  // S3 invokes asynchronously: events that keep failing are kept
  deadLetterQueue: true,
} as const;

export const EVIDENCE_JOBS_FUNCTION = {
  id: 'Job-evidence',
  description: 'Enforcement archive: evidence jobs (retention sweep and disposition, fixity, preservation packages, spot checks, audit anchors)',
  memorySize: 3008,
  timeout: Duration.minutes(15),
  // EventBridge Scheduler invokes asynchronously: failed invocations are kept
  deadLetterQueue: true,
} as const;

/** The jobs the schedules run; the function receives `{"job": <name>}`. */
export const EVIDENCE_JOB_NAMES = ['anchorAudit', 'retentionSweep', 'fixity', 'preservation', 'spotCheck'] as const;
export type EvidenceJobName = (typeof EVIDENCE_JOB_NAMES)[number];

/** The time zone every schedule is read in: the agencies' day (docs/architecture.md §12, Asia/Shanghai). */
export const EVIDENCE_JOBS_TIME_ZONE = TimeZone.ASIA_SHANGHAI;

/**
 * When each job runs, every night, Shanghai time: one an hour apart so that no two share the
 * function's reserved concurrency and each ends (15 minutes at most) long before the next starts.
 * The anchor first, right after midnight, so yesterday's audit chain heads are anchored before
 * anything else writes today; the sweep and disposition before fixity and packaging, so those do
 * not read what is about to go; the spot-check draw last, ready for the morning's reviewers (D8).
 */
export const EVIDENCE_JOB_SCHEDULE: Readonly<Record<EvidenceJobName, { hour: number; minute: number }>> = {
  anchorAudit: { hour: 0, minute: 30 },
  retentionSweep: { hour: 1, minute: 0 },
  fixity: { hour: 2, minute: 0 },
  preservation: { hour: 3, minute: 0 },
  spotCheck: { hour: 4, minute: 0 },
};

/**
 * A missed night is worth a late run until the morning, not later: Scheduler retries delivering an
 * invocation this long; the function's own failures go to its dead-letter queue after Lambda's
 * asynchronous retries (so every job must be idempotent).
 */
export const EVIDENCE_JOB_MAX_EVENT_AGE = Duration.hours(3);

/** The schedule target: the jobs function, invoked with the scheduler role (written out: CDK's LambdaInvoke grants `<fn>:*` too). */
const jobTarget = (functionArn: string, role: Role, job: EvidenceJobName): IScheduleTarget => ({
  bind: () => ({
    arn: functionArn,
    role,
    input: ScheduleTargetInput.fromObject({ job }),
    retryPolicy: { maximumEventAgeInSeconds: EVIDENCE_JOB_MAX_EVENT_AGE.toSeconds(), maximumRetryAttempts: 3 },
  }),
});

export interface EvidenceJobsProps {
  jobs: ArchiveFunction;
  /** data keys whose key policy must deny the scheduler's role the destructive actions */
  protectKeys: DataKey[];
}

/** The nightly schedules of the evidence jobs function, their group and their role. */
export class EvidenceJobs extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  readonly schedulerRole: Role;
  readonly schedulerPolicy: ManagedPolicy;
  readonly schedules = new Map<EvidenceJobName, Schedule>();

  constructor(scope: Construct, id: string, props: EvidenceJobsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!props.jobs.deadLetterQueue) throw new Error('the evidence jobs function needs its dead-letter queue (EVIDENCE_JOBS_FUNCTION.deadLetterQueue)');
    this.scheduleGroup = new ScheduleGroup(this, 'Schedules', { scheduleGroupName: `${stack.stackName}-evidence` });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      // confused-deputy guard: only schedules of this group, in this account
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn } },
      }),
      description: 'Enforcement archive: EventBridge Scheduler invoking the evidence jobs function',
    });
    for (const key of props.protectKeys) key.protectFrom(this.schedulerRole);
    this.schedulerPolicy = new ManagedPolicy(this, 'SchedulerPolicy', {
      roles: [this.schedulerRole],
      description: 'Enforcement archive: EventBridge Scheduler invoking the evidence jobs function',
      statements: [new PolicyStatement({ sid: 'InvokeEvidenceJobs', actions: ['lambda:InvokeFunction'], resources: [props.jobs.fn.functionArn] })],
    });

    for (const job of EVIDENCE_JOB_NAMES) {
      const at = EVIDENCE_JOB_SCHEDULE[job];
      const schedule = new Schedule(this, `Job-${job}`, {
        schedule: ScheduleExpression.cron({ minute: String(at.minute), hour: String(at.hour), timeZone: EVIDENCE_JOBS_TIME_ZONE }),
        scheduleGroup: this.scheduleGroup,
        description: `Enforcement archive: nightly evidence job ${job}`,
        target: jobTarget(props.jobs.fn.functionArn, this.schedulerRole, job),
      });
      // Scheduler checks at creation that the role may invoke the target
      schedule.node.addDependency(this.schedulerPolicy);
      this.schedules.set(job, schedule);
    }
  }
}
