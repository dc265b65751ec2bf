import { Duration, Stack } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping, FilterCriteria, FilterRule, type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { OUTBOX_PARTITION_PREFIX } from '../../shared/adapters/dynamodb/keys/outbox.ts';
import { TABLE } from '../../shared/adapters/dynamodb/table.ts';
import type { ArchiveFunction } from './archive-function.ts';
import type { ArchiveTable } from './archive-table.ts';
import type { DataKey } from './keys.ts';

/**
 * The evidence area's consumer of the outbox in AWS (docs/architecture.md §6): its own function
 * (functions/jobs/evidence-outbox.ts), so that neither the HTTP groups nor the process jobs bundle
 * the S3 client for it, and so that the nightly evidence jobs' role — the one that disposes of
 * originals — never also places or lifts a legal hold (infra/aws/access.ts). It gets the table's
 * outbox inserts from the stream, as the process jobs function does, and its own reconcile schedule
 * for what a failed or missed run left pending for the evidence area.
 */
export const EVIDENCE_OUTBOX_ENTRY = { surface: 'jobs', name: 'evidence-outbox' } as const;

export const EVIDENCE_OUTBOX_FUNCTION = {
  id: 'Job-evidence-outbox',
  description: "Enforcement archive: the evidence area's outbox consumer (case and complaint events re-apply the retention of a case's recordings; stream and reconciler)",
  // a reconcile run must end well before the next one starts
  timeout: Duration.minutes(2),
  // EventBridge Scheduler invokes asynchronously: failed invocations are kept
  deadLetterQueue: true,
} as const;

/** how often the evidence area's pending messages are reconciled (as the processes', infra/aws/process-jobs.ts) */
export const EVIDENCE_OUTBOX_RECONCILE_RATE = Duration.minutes(5);
export const EVIDENCE_OUTBOX_RECONCILE_INPUT = { job: 'reconcile' } as const;
/** a failing stream batch is bisected and retried this often, then its pointer goes to the dead-letter queue */
export const OUTBOX_STREAM_RETRY_ATTEMPTS = 5;

/**
 * A mapping of the table stream to an outbox consumer function: inserts of `OUTBOX#…` items only,
 * failing batches bisected and retried, then their pointer kept in the function's dead-letter queue.
 */
export const outboxStreamMapping = (scope: Construct, id: string, fn: IFunction, table: ArchiveTable, deadLetterQueue: IQueue, retryAttempts = OUTBOX_STREAM_RETRY_ATTEMPTS) => {
  if (!table.table.tableStreamArn) throw new Error('the archive table has no stream (infra/aws/archive-table.ts)');
  return new EventSourceMapping(scope, id, {
    target: fn,
    eventSourceArn: table.table.tableStreamArn,
    // outbox items written before the mapping existed are delivered too
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize: 10,
    filters: [
      FilterCriteria.filter({
        eventName: FilterRule.isEqual('INSERT'),
        dynamodb: { Keys: { [TABLE.partitionKey]: { S: FilterRule.beginsWith(OUTBOX_PARTITION_PREFIX) } } },
      }),
    ],
    // the handler may return {batchItemFailures}; returning nothing means the whole batch succeeded
    reportBatchItemFailures: true,
    bisectBatchOnError: true,
    retryAttempts,
    maxRecordAge: Duration.days(1),
    onFailure: new SqsDlq(deadLetterQueue),
  });
};

export interface EvidenceOutboxProps {
  consumer: ArchiveFunction;
  table: ArchiveTable;
  /** data keys whose key policy must deny the scheduler's role the destructive actions */
  protectKeys: DataKey[];
}

/** The evidence outbox function's stream mapping, its reconcile schedule, their group and role. */
export class EvidenceOutbox extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  readonly schedulerRole: Role;
  readonly schedulerPolicy: ManagedPolicy;
  readonly reconcileSchedule: Schedule;
  readonly stream: EventSourceMapping;

  constructor(scope: Construct, id: string, props: EvidenceOutboxProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const fn = props.consumer;
    if (!fn.deadLetterQueue) throw new Error('the evidence outbox function needs its dead-letter queue (EVIDENCE_OUTBOX_FUNCTION.deadLetterQueue)');
    this.scheduleGroup = new ScheduleGroup(this, 'Schedules', { scheduleGroupName: `${stack.stackName}-evidence-outbox` });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      // confused-deputy guard: only schedules of this group, in this account
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn } },
      }),
      description: 'Enforcement archive: EventBridge Scheduler invoking the evidence outbox function',
    });
    for (const key of props.protectKeys) key.protectFrom(this.schedulerRole);
    this.schedulerPolicy = new ManagedPolicy(this, 'SchedulerPolicy', {
      roles: [this.schedulerRole],
      description: 'Enforcement archive: EventBridge Scheduler invoking the evidence outbox function',
      statements: [new PolicyStatement({ sid: 'InvokeEvidenceOutbox', actions: ['lambda:InvokeFunction'], resources: [fn.fn.functionArn] })],
    });
    const role = this.schedulerRole;
    this.reconcileSchedule = new Schedule(this, 'Reconcile', {
      schedule: ScheduleExpression.rate(EVIDENCE_OUTBOX_RECONCILE_RATE),
      scheduleGroup: this.scheduleGroup,
      description: 'Enforcement archive: run the outbox messages still pending for the evidence area',
      // written out: CDK's LambdaInvoke grants `<fn>:*` too
      target: {
        bind: () => ({
          arn: fn.fn.functionArn,
          role,
          input: ScheduleTargetInput.fromObject(EVIDENCE_OUTBOX_RECONCILE_INPUT),
          // a missed reconcile is superseded by the next one
          retryPolicy: { maximumEventAgeInSeconds: EVIDENCE_OUTBOX_RECONCILE_RATE.toSeconds() - 60, maximumRetryAttempts: 3 },
        }),
      },
    });
    // Scheduler checks at creation that the role may invoke the target
    this.reconcileSchedule.node.addDependency(this.schedulerPolicy);
    this.stream = outboxStreamMapping(this, 'OutboxStream', fn.fn, props.table, fn.deadLetterQueue);
  }
}
