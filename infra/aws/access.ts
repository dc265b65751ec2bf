import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RouteGroup } from '../../shared/http/contract.ts';
import type { ArchiveTable } from './archive-table.ts';
import { ATTACHMENTS_PREFIX, type EvidenceStore } from './evidence-store.ts';

/**
 * What each function may touch, in one table, so a review of least privilege reads one page. Grants are written as explicit action lists instead of the CDK grant* helpers, whose
 * KMS and S3 grants use wildcard actions (kms:GenerateDataKey*, s3:GetObject*, s3:List*).
 *
 * - No function may delete: archived entries, audit records and recordings are never deleted by
 *   any code path (DESIGN.md §4), so DeleteItem, BatchWriteItem (which can delete) and
 *   s3:DeleteObject* are granted to nobody. Scan is not granted either: every access pattern is a
 *   key lookup or a Query (shared/adapters/dynamodb/table.ts).
 * - Every read is audited, and shared/adapters/dynamodb/commit.ts writes the audit record in the
 *   same transaction machinery as data, so a read-only surface still writes: `readAndAuditOnly`
 *   lets it write only items whose partition key is an audit chain (`AUDIT#…`), enforced with the
 *   dynamodb:LeadingKeys condition.
 */
export type TableAccess = 'none' | 'readAndAuditOnly' | 'readWrite';
export type EvidenceAccess = 'none' | 'read' | 'readWrite';

export interface FunctionAccess {
  table: TableAccess;
  evidence: EvidenceAccess;
  // --- deadline processes (issue 3; infra/aws/process-jobs.ts) ---
  /** start and stop executions of the process state machines (PROCESS_MACHINES); describe them too */
  executions?: 'startStop' | 'startStopDescribe';
  /** the clock's Defer: create one-time resume schedules in the process schedule group, passing its role */
  resumeSchedules?: boolean;
  /** consume the table's stream (the transactional outbox) */
  tableStream?: boolean;
  /** send notifications on the channels the settings turn on: SMS (SNS) and e-mail (SES v2) */
  notifications?: boolean;
}

// --- deadline processes (issue 3) ---
/**
 * functions/clock/process-clock.ts: the Task handler of every process state machine. Its Defer
 * creates one-time resume schedules; its reminders (remind / chase / report) commit SMS and e-mail
 * deliveries to the outbox and dispatch them at once (shared/process/service.ts escalate → outbox
 * dispatch → shared/notify/channels.ts), so it needs the notification channels as well.
 */
export const PROCESS_CLOCK_ACCESS: FunctionAccess = { table: 'readWrite', evidence: 'none', resumeSchedules: true, notifications: true };

/** functions/jobs/processes.ts: outbox consumer (stream), reconciler and resume target of the schedules */
export const PROCESS_JOBS_ACCESS: FunctionAccess = {
  table: 'readWrite',
  evidence: 'none',
  executions: 'startStopDescribe',
  tableStream: true,
  notifications: true,
};
// --- end deadline processes ---

/**
 * Per route group, what its handler (functions/http/<group>.ts) actually calls. A group that starts
 * using S3 or writing new kinds of items changes its row here, in the same change.
 */
export const HTTP_GROUP_ACCESS: Record<RouteGroup, FunctionAccess> = {
  /** health, OpenAPI and /me answer from the code and the caller's token alone */
  system: { table: 'none', evidence: 'none' },
  org: { table: 'readWrite', evidence: 'none' },
  /** entries only reference attachments by id; the bytes are the attachments group's business */
  files: { table: 'readWrite', evidence: 'none' },
  grants: { table: 'readWrite', evidence: 'none' },
  rules: { table: 'readWrite', evidence: 'none' },
  /** presigned PUT/GET URLs are signed with the function's own credentials; verify reads the object */
  attachments: { table: 'readWrite', evidence: 'readWrite' },
  /** auditors query, export and verify; reading the audit trail is itself audited */
  audit: { table: 'readAndAuditOnly', evidence: 'none' },
  // --- deadline processes (issue 3) ---
  /** decisions dispatch their outbox at once: start or stop the process's execution (the stream and the reconciler catch up otherwise) */
  processes: { table: 'readWrite', evidence: 'none', executions: 'startStop' },
  /** the in-app inbox */
  notifications: { table: 'readWrite', evidence: 'none' },
  /**
   * working-day calendars: publishing a year or adding a closure dispatches its recomputeClocks
   * command at once, which moves clocks, i.e. stops and starts executions (shared/process/outbox.ts)
   */
  calendar: { table: 'readWrite', evidence: 'none', executions: 'startStop' },
  // --- end deadline processes ---
  /** cases (一案一表): a major-penalty decision opens its C8 filing process and starts its clock at once */
  cases: { table: 'readWrite', evidence: 'none', executions: 'startStop' },
};

/** The S3 ObjectCreated handler: reads what arrived, verifies it, records the result. */
export const ATTACHMENT_ARRIVED_ACCESS: FunctionAccess = { table: 'readWrite', evidence: 'read' };

/** Audit chains and heads: `AUDIT#<agency>#<shard>` (shared/adapters/dynamodb/commit.ts). */
export const AUDIT_PARTITION_PATTERN = 'AUDIT#*';

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'];
/** DynamoDB asks KMS for the table key on the caller's behalf */
const TABLE_KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_WRITE = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];
/** HeadObject and GetObject are both s3:GetObject; presigned multipart uploads are all s3:PutObject */
const OBJECT_READ = ['s3:GetObject'];
/**
 * Without s3:ListBucket, S3 answers a GetObject on a key that does not exist (yet) with 403 instead
 * of 404, and shared/adapters/s3/client.ts hashObject could no longer tell "not uploaded yet" from
 * "access denied". The grant names the bucket (no wildcard); object names are ULIDs.
 */
const BUCKET_READ = ['s3:ListBucket'];
const OBJECT_WRITE = ['s3:PutObject'];
/** SSE-KMS: a put needs a data key, a get (and completing a multipart upload) a decrypt */
const OBJECT_KEY_READ = ['kms:Decrypt'];
const OBJECT_KEY_WRITE = ['kms:GenerateDataKey'];

const via = (service: string, stack: Stack) => ({ StringEquals: { 'kms:ViaService': `${service}.${stack.region}.${stack.urlSuffix}` } });

/** A resource pattern a grant cannot avoid, and why (acknowledged for cdk-nag AwsSolutions-IAM5). */
export interface WildcardResource {
  resource: string;
  reason: string;
}

export interface Grants {
  statements: PolicyStatement[];
  wildcards: WildcardResource[];
}

const ATTACHMENT_OBJECTS_REASON =
  'Object keys under the attachments/ prefix are generated per upload (ULIDs), so the grant can only name the ' +
  'prefix, not the objects; the actions are listed one by one (no wildcard action) and the prefix is the only ' +
  'part of the evidence bucket the function can reach.';

// --- deadline processes (issue 3) ---
/** The process resources a grant can name (built by infra/aws/process-jobs.ts). */
export interface ProcessTargets {
  /** every process state machine, by ARN (fixed names: infra/aws/process-machine.ts) */
  machineArns: string[];
  /** executions of those machines: `arn:…:execution:<machineName>:*` each */
  executionArns: string[];
  /** schedules of the process schedule group: `arn:…:schedule/<group>/*` */
  resumeSchedulesArn: string;
  /** the role EventBridge Scheduler assumes to invoke the jobs function */
  schedulerRoleArn: string;
  /** SMS on: publish to phone numbers through SNS */
  sms: boolean;
  /** SES identities notification e-mail is sent from (the sender address and its domain); none = no e-mail */
  emailIdentityArns: string[];
}

const EXECUTIONS_REASON =
  'Execution names are chosen per process when it starts, so StopExecution/DescribeExecution can only name ' +
  'the executions of each process state machine (execution:<machine>:*), one fixed machine name per resource; ' +
  'the actions are listed (no wildcard action) and no other state machine is reachable.';
const RESUME_SCHEDULES_REASON =
  'The clock names each one-time resume schedule after its process when it defers a clock, so CreateSchedule can ' +
  'only name the schedules of the process schedule group (schedule/<group>/*); the schedules can only assume the ' +
  'scheduler role passed with them, which may invoke the jobs function and nothing else.';
const SMS_REASON =
  'SMS notifications publish straight to a phone number (sns:Publish with PhoneNumber), which has no resource ' +
  'ARN: IAM evaluates it against Resource::*. The statement lists the one action; it is present only where the ' +
  'smsEnabled setting turns SMS on (never in aws-cn, which does not offer SNS SMS).';

const processStatements = (
  access: FunctionAccess,
  table: ArchiveTable,
  processes: ProcessTargets | undefined,
  wildcards: WildcardResource[],
): PolicyStatement[] => {
  const needs = access.executions || access.resumeSchedules || access.notifications;
  if (needs && !processes) throw new Error('the access row needs the process resources (grantsFor(..., processes))');
  const statements: PolicyStatement[] = [];
  if (access.executions && processes) {
    statements.push(
      new PolicyStatement({ sid: 'StartProcessExecutions', actions: ['states:StartExecution'], resources: processes.machineArns }),
      new PolicyStatement({
        sid: access.executions === 'startStopDescribe' ? 'StopAndDescribeProcessExecutions' : 'StopProcessExecutions',
        actions: access.executions === 'startStopDescribe' ? ['states:StopExecution', 'states:DescribeExecution'] : ['states:StopExecution'],
        resources: processes.executionArns,
      }),
    );
    wildcards.push(...processes.executionArns.map((resource) => ({ resource, reason: EXECUTIONS_REASON })));
  }
  if (access.resumeSchedules && processes) {
    statements.push(
      new PolicyStatement({ sid: 'CreateResumeSchedules', actions: ['scheduler:CreateSchedule'], resources: [processes.resumeSchedulesArn] }),
      new PolicyStatement({
        sid: 'PassSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [processes.schedulerRoleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    wildcards.push({ resource: processes.resumeSchedulesArn, reason: RESUME_SCHEDULES_REASON });
  }
  if (access.tableStream) {
    if (access.table === 'none' || !table.table.tableStreamArn) throw new Error('tableStream needs table access and the table stream');
    statements.push(
      new PolicyStatement({
        sid: 'ReadOutboxStream',
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
        resources: [table.table.tableStreamArn],
      }),
    );
  }
  if (access.notifications && processes) {
    if (processes.sms) {
      statements.push(new PolicyStatement({ sid: 'SendSms', actions: ['sns:Publish'], resources: ['*'] }));
      wildcards.push({ resource: '*', reason: SMS_REASON });
    }
    if (processes.emailIdentityArns.length) {
      statements.push(new PolicyStatement({ sid: 'SendEmail', actions: ['ses:SendEmail'], resources: processes.emailIdentityArns }));
    }
  }
  return statements;
};
// --- end deadline processes ---

/** The policy statements granting `access`, every resource named, every action listed. */
export const grantsFor = (
  stack: Stack,
  access: FunctionAccess,
  table: ArchiveTable,
  evidence: EvidenceStore,
  processes?: ProcessTargets,
): Grants => {
  const statements: PolicyStatement[] = [];
  if (access.table !== 'none') {
    statements.push(
      new PolicyStatement({ sid: 'ReadArchiveTable', actions: TABLE_READ, resources: [table.table.tableArn, ...table.indexArns] }),
      access.table === 'readWrite'
        ? new PolicyStatement({ sid: 'WriteArchiveTable', actions: TABLE_WRITE, resources: [table.table.tableArn] })
        : new PolicyStatement({
            sid: 'WriteAuditChainsOnly',
            actions: TABLE_WRITE,
            resources: [table.table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [AUDIT_PARTITION_PATTERN] } },
          }),
      new PolicyStatement({
        sid: 'UseArchiveTableKey',
        actions: [...TABLE_KEY_READ, ...TABLE_KEY_WRITE],
        resources: [table.key.key.keyArn],
        conditions: via('dynamodb', stack),
      }),
    );
  }
  const wildcards: WildcardResource[] = [];
  if (access.evidence !== 'none') {
    const write = access.evidence === 'readWrite';
    const attachments = evidence.objectArn(`${ATTACHMENTS_PREFIX}*`);
    wildcards.push({ resource: attachments, reason: ATTACHMENT_OBJECTS_REASON });
    statements.push(
      new PolicyStatement({ sid: 'TellMissingAttachments', actions: BUCKET_READ, resources: [evidence.bucketArn] }),
      new PolicyStatement({
        sid: write ? 'ReadWriteAttachments' : 'ReadAttachments',
        actions: write ? [...OBJECT_READ, ...OBJECT_WRITE] : OBJECT_READ,
        resources: [attachments],
      }),
      new PolicyStatement({
        sid: 'UseEvidenceKey',
        actions: write ? [...OBJECT_KEY_READ, ...OBJECT_KEY_WRITE] : OBJECT_KEY_READ,
        resources: [evidence.key.key.keyArn],
        conditions: via('s3', stack),
      }),
    );
  }
  statements.push(...processStatements(access, table, processes, wildcards));
  return { statements, wildcards };
};
