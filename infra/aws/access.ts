import type { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AUDIT_PARTITION_PREFIX } from '../../shared/adapters/dynamodb/keys/audit.ts';
import type { RouteGroup } from '../../shared/http/contract.ts';
import type { ArchiveTable } from './archive-table.ts';
import { ATTACHMENTS_PREFIX, type EvidenceStore } from './evidence-store.ts';
import { EVIDENCE_PREFIXES, type EvidencePrefix } from '../../shared/evidence/tiers.ts';

/**
 * What each function may touch, in one table, so a review of least privilege reads one page. Grants are written as explicit action lists instead of the CDK grant* helpers, whose
 * KMS and S3 grants use wildcard actions (kms:GenerateDataKey*, s3:GetObject*, s3:List*).
 *
 * - Archived entries and audit records are never deleted by any code path (docs/security.md §4, §5):
 *   DeleteItem and BatchWriteItem (which can delete) are granted to nobody. Originals are destroyed
 *   only by the disposition step of the jobs function, after two distinct approvals recorded in the
 *   table, and only once S3's own Object Lock retention has lapsed: the one S3 delete of the
 *   platform is s3:DeleteObjectVersion on `evidence/*` in EVIDENCE_JOBS_ACCESS, which S3 itself
 *   refuses for a version still under retention or a legal hold; no other s3:Delete* action is
 *   granted to anyone (grantsFor refuses it). That role cannot place, lift or shorten a retention or
 *   a legal hold on an original, and s3:BypassGovernanceRetention is granted to nobody. Scan is not
 *   granted either: every access pattern is a key lookup or a Query
 *   (shared/adapters/dynamodb/table.ts).
 * - Every read is audited, and shared/adapters/dynamodb/commit.ts writes the audit record in the
 *   same transaction machinery as data, so a read-only surface still writes: `readAndAuditOnly`
 *   lets it write only items whose partition key is an audit chain (`AUDIT#…`), enforced with the
 *   dynamodb:LeadingKeys condition.
 */
export type TableAccess = 'none' | 'readAndAuditOnly' | 'readWrite';
/** attachments (the `attachments/` prefix of the evidence bucket) */
export type EvidenceAccess = 'none' | 'read' | 'readWrite';

/**
 * The S3 object actions an audiovisual-evidence row may list (issue 4). A union of literals, so a
 * wildcard cannot even be written. Notes: s3:PutObject covers CreateMultipartUpload, UploadPart and
 * CompleteMultipartUpload (presigned or not) and an upload that carries Object Lock headers also
 * needs s3:PutObjectRetention / s3:PutObjectLegalHold; HeadObject is s3:GetObject; a request naming
 * a VersionId needs the *Version* action (GetObjectVersion, PutObjectVersionTagging), retention and
 * legal hold have no separate version action.
 */
export type EvidenceObjectAction =
  | 's3:GetObject'
  | 's3:GetObjectVersion'
  | 's3:PutObject'
  | 's3:AbortMultipartUpload'
  | 's3:ListMultipartUploadParts'
  | 's3:PutObjectTagging'
  | 's3:PutObjectVersionTagging'
  | 's3:PutObjectRetention'
  | 's3:PutObjectLegalHold'
  /** HeadObject returns the Object Lock headers only to a caller holding these two */
  | 's3:GetObjectRetention'
  | 's3:GetObjectLegalHold'
  | 's3:DeleteObjectVersion';

/** Per key prefix of the evidence bucket, the object actions a function may perform there. */
export type EvidenceObjectAccess = Partial<Record<EvidencePrefix, readonly EvidenceObjectAction[]>>;

export interface FunctionAccess {
  table: TableAccess;
  evidence: EvidenceAccess;
  // --- audiovisual evidence (issue 4) ---
  /** originals, derived copies, packages and anchors: the actions per prefix (EVIDENCE_PREFIXES) */
  evidenceObjects?: EvidenceObjectAccess;
  /**
   * read the bucket's Object Lock configuration (s3:GetBucketObjectLockConfiguration): the S3
   * adapter (shared/adapters/s3/evidence.ts bucketHasObjectLock) asks before it applies retention
   * or a legal hold, and without this grant the AccessDenied would read as "no Object Lock"
   */
  objectLockConfiguration?: boolean;
  /**
   * list keys of the evidence bucket (s3:ListBucket on the bucket): `all` also makes S3 answer a
   * HeadObject or GetObject on a key that does not exist with 404 instead of 403, which an
   * existence check needs (a condition on s3:prefix would not count for that); a list of prefixes
   * allows ListObjects under those prefixes only (s3:prefix condition)
   */
  listEvidence?: 'all' | readonly EvidencePrefix[];
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

/**
 * Re-applying a retention decision to an original's version (shared/evidence/service.ts: Object Lock
 * retention, legal hold, the schedule tags): the function that runs the evidence area's consumer of
 * case and complaint events (docs/architecture.md §6), EVIDENCE_OUTBOX_ACCESS.
 */
const RETENTION_OF_ORIGINALS = {
  objectLockConfiguration: true,
  evidenceObjects: { [EVIDENCE_PREFIXES.originals]: ['s3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'] },
} as const satisfies Pick<FunctionAccess, 'objectLockConfiguration' | 'evidenceObjects'>;

// --- deadline processes (issue 3) ---
/**
 * functions/clock/process-clock.ts: the Task handler of every process state machine. Its Defer
 * creates one-time resume schedules; its reminders (remind / chase / report) commit SMS and e-mail
 * deliveries to the outbox and dispatch them at once (shared/process/timer.ts escalate → the outbox's
 * `deliver` command → shared/notify/consumers.ts), so it needs the notification channels as well.
 */
export const PROCESS_CLOCK_ACCESS: FunctionAccess = { table: 'readWrite', evidence: 'none', resumeSchedules: true, notifications: true };

/**
 * functions/jobs/processes.ts: outbox consumer (stream), reconciler and resume target of the schedules;
 * it runs the process and notify areas' consumers (shared/wiring.ts): executions, deliveries.
 */
export const PROCESS_JOBS_ACCESS: FunctionAccess = { table: 'readWrite', evidence: 'none', executions: 'startStopDescribe', tableStream: true, notifications: true };

/** functions/jobs/evidence-outbox.ts: the evidence area's consumer of the outbox (stream, reconciler): a case's recordings. */
export const EVIDENCE_OUTBOX_ACCESS: FunctionAccess = { table: 'readWrite', evidence: 'none', tableStream: true, ...RETENTION_OF_ORIGINALS };
// --- end deadline processes ---

/**
 * Route groups whose routes and handler are written but not yet listed in RouteGroup
 * (shared/http/contract.ts): their rows are ready here, so listing them does not break the app.
 */
type PendingRouteGroup = 'preservation';

/**
 * Per route group, what its handler (functions/http/<group>.ts) actually calls. A group that starts
 * using S3 or writing new kinds of items changes its row here, in the same change.
 */
export const HTTP_GROUP_ACCESS: Record<RouteGroup | PendingRouteGroup, FunctionAccess> = {
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
  /**
   * decisions dispatch their outbox at once: start or stop the process's execution (the process
   * consumer, shared/wiring.ts); a complaint's hold on a case's recordings is the evidence outbox
   * function's. The stream and the reconciler catch up otherwise.
   */
  processes: { table: 'readWrite', evidence: 'none', executions: 'startStop' },
  /** the in-app inbox */
  notifications: { table: 'readWrite', evidence: 'none' },
  /**
   * working-day calendars: publishing a year or adding a closure dispatches its recomputeClocks
   * command at once, which moves clocks, i.e. stops and starts executions (shared/process/consumers.ts)
   */
  calendar: { table: 'readWrite', evidence: 'none', executions: 'startStop' },
  // --- end deadline processes ---
  /**
   * cases (一案一表): the process area's events of a case change run at once (the fast path,
   * shared/wiring.ts): a major-penalty decision opens its C8 filing process and starts its clock.
   * Closing a case, an obstruction, a review or a lawsuit re-apply the retention decision of its
   * linked recordings in the evidence outbox function (EVIDENCE_OUTBOX_ACCESS).
   */
  cases: { table: 'readWrite', evidence: 'none', executions: 'startStop' },
  // --- audiovisual evidence (issue 4) ---
  /**
   * functions/http/evidence.ts: declare presigns the upload of an original (single PUT or multipart:
   * create, part URLs, complete, abort on failure, list parts to resume), presigned GETs by version,
   * holds and case links re-apply the retention decision to the version (retention, legal hold, the
   * tier tags), derived copies written under `derived/`. Never a delete.
   */
  evidence: {
    table: 'readWrite',
    evidence: 'none',
    objectLockConfiguration: true,
    evidenceObjects: {
      [EVIDENCE_PREFIXES.originals]: [
        's3:PutObject',
        's3:AbortMultipartUpload',
        's3:ListMultipartUploadParts',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObjectRetention',
        's3:PutObjectLegalHold',
        's3:PutObjectTagging',
        's3:PutObjectVersionTagging',
      ],
      [EVIDENCE_PREFIXES.derived]: ['s3:PutObject'],
    },
  },
  /**
   * functions/http/preservation.ts (read-only, every read audited): a case's package record, its
   * export as presigned GETs of every file of the bag (listing the package's keys first), fixity
   * history, the D8 spot-check ledger.
   */
  preservation: {
    table: 'readAndAuditOnly',
    evidence: 'none',
    listEvidence: [EVIDENCE_PREFIXES.packages],
    evidenceObjects: { [EVIDENCE_PREFIXES.packages]: ['s3:GetObject'] },
  },
};

/** The S3 ObjectCreated handler: reads what arrived, verifies it, records the result. */
export const ATTACHMENT_ARRIVED_ACCESS: FunctionAccess = { table: 'readWrite', evidence: 'read' };

// --- audiovisual evidence (issue 4) ---
/**
 * functions/events/evidence-arrived.ts (S3 ObjectCreated on `evidence/`): streams the version that
 * arrived once (SHA-256 and SM3), tags it (tier schedule, or quarantine), sets its COMPLIANCE
 * retention and legal hold from the retention decision, records the result.
 */
export const EVIDENCE_ARRIVED_ACCESS: FunctionAccess = {
  table: 'readWrite',
  evidence: 'none',
  objectLockConfiguration: true,
  evidenceObjects: {
    [EVIDENCE_PREFIXES.originals]: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObjectTagging', 's3:PutObjectVersionTagging', 's3:PutObjectRetention', 's3:PutObjectLegalHold'],
  },
};

/**
 * functions/jobs/evidence.ts, run by the nightly schedules (infra/aws/evidence-jobs.ts): the
 * retention sweep (re-tags originals, and its disposition step deletes a version once two distinct
 * approvals are recorded and Object Lock has lapsed: the only delete of the platform), fixity and
 * spot checks (read originals by version), preservation (BagIt packages under `packages/`, locked),
 * anchor audit (audit chain heads under `anchors/`, locked). It cannot place or lift a legal hold or
 * touch an original's retention, so the role that deletes cannot also unlock.
 */
export const EVIDENCE_JOBS_ACCESS: FunctionAccess = {
  table: 'readWrite',
  evidence: 'none',
  objectLockConfiguration: true,
  // the anchor and package writers check that a key is free (HeadObject: 404, not 403) and list a package back
  listEvidence: 'all',
  evidenceObjects: {
    [EVIDENCE_PREFIXES.originals]: [
      's3:GetObject',
      's3:GetObjectVersion',
      // the 四性检测 security checks report the version's lock as S3 sees it (HeadObject)
      's3:GetObjectRetention',
      's3:GetObjectLegalHold',
      's3:PutObjectTagging',
      's3:PutObjectVersionTagging',
      's3:DeleteObjectVersion',
    ],
    // written (single or multipart, aborted on failure) with their COMPLIANCE lock, then read back to validate the bag
    [EVIDENCE_PREFIXES.packages]: ['s3:PutObject', 's3:PutObjectRetention', 's3:AbortMultipartUpload', 's3:GetObject'],
    // written once with their COMPLIANCE lock; a file left by a run that died is read back, never rewritten
    [EVIDENCE_PREFIXES.anchors]: ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject'],
  },
};

/** The only delete any row may hold, and the only prefix it may hold it on (see the header). */
export const DISPOSITION_ACTION = 's3:DeleteObjectVersion';

/** Audit chains, their heads and shard counts: every partition under AUDIT_PARTITION_PREFIX (shared/adapters/dynamodb/keys/audit.ts). */
export const AUDIT_PARTITION_PATTERN = `${AUDIT_PARTITION_PREFIX}*`;

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

/** statement ids and IAM5 reasons of the evidence prefixes */
const EVIDENCE_OBJECTS: Record<EvidencePrefix, { sid: string; reason: string }> = {
  [EVIDENCE_PREFIXES.originals]: {
    sid: 'OriginalRecordings',
    reason:
      'Originals are keyed evidence/<agencyId>/<evidenceId>/original with ULIDs generated per upload, so the grant can ' +
      'only name the evidence/ prefix; the actions are listed one by one (no wildcard action), and Object Lock ' +
      '(COMPLIANCE retention, legal holds) protects every version whatever the policy says.',
  },
  [EVIDENCE_PREFIXES.derived]: {
    sid: 'DerivedCopies',
    reason:
      'Derived copies are keyed derived/<agencyId>/<evidenceId>/copy with ULIDs generated per item, so the grant can only ' +
      'name the derived/ prefix; the one action is listed (no wildcard action) and no other prefix is reachable with it.',
  },
  [EVIDENCE_PREFIXES.packages]: {
    sid: 'PreservationPackages',
    reason:
      'BagIt packages are keyed packages/<agencyId>/<packageId>/<file> with a package id generated when a closed case is ' +
      'packaged, so the grant can only name the packages/ prefix; the actions are listed one by one (no wildcard action, ' +
      'no delete) and every package object carries its own COMPLIANCE retention.',
  },
  [EVIDENCE_PREFIXES.anchors]: {
    sid: 'AuditAnchors',
    reason:
      'Audit chain heads are anchored under a key per agency and day chosen when the job runs, so the grant can only ' +
      'name the anchors/ prefix; write once with a COMPLIANCE lock and read back, the actions listed one by one (no ' +
      'wildcard action, no delete).',
  },
};

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

const processStatements = (access: FunctionAccess, table: ArchiveTable, processes: ProcessTargets | undefined, wildcards: WildcardResource[]): PolicyStatement[] => {
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
export const grantsFor = (stack: Stack, access: FunctionAccess, table: ArchiveTable, evidence: EvidenceStore, processes?: ProcessTargets): Grants => {
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
  /** KMS actions on the evidence key the S3 grants below need (one statement at the end) */
  const keyActions = new Set<string>();
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
    );
    for (const a of write ? [...OBJECT_KEY_READ, ...OBJECT_KEY_WRITE] : OBJECT_KEY_READ) keyActions.add(a);
  }
  // --- audiovisual evidence (issue 4) ---
  if (access.listEvidence) {
    const prefixes = access.listEvidence;
    statements.push(
      new PolicyStatement({
        sid: 'ListEvidenceBucket',
        actions: BUCKET_READ,
        resources: [evidence.bucketArn],
        ...(prefixes === 'all' ? {} : { conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } } }),
      }),
    );
  }
  if (access.objectLockConfiguration) {
    statements.push(new PolicyStatement({ sid: 'ReadObjectLockConfiguration', actions: ['s3:GetBucketObjectLockConfiguration'], resources: [evidence.bucketArn] }));
  }
  for (const [prefix, actions] of Object.entries(access.evidenceObjects ?? {}) as [EvidencePrefix, readonly EvidenceObjectAction[]][]) {
    if (!actions.length) continue;
    const { sid, reason } = EVIDENCE_OBJECTS[prefix];
    const objects = evidence.objectArn(`${prefix}*`);
    const deletes = actions.filter((a) => a.startsWith('s3:Delete'));
    if (deletes.some((a) => a !== DISPOSITION_ACTION) || (deletes.length && prefix !== EVIDENCE_PREFIXES.originals)) {
      throw new Error(`only ${DISPOSITION_ACTION} on ${EVIDENCE_PREFIXES.originals} may be granted, not ${deletes.join(', ')} on ${prefix}`);
    }
    const others = actions.filter((a) => !deletes.includes(a));
    if (others.length) statements.push(new PolicyStatement({ sid, actions: [...others], resources: [objects] }));
    // separate, so the one delete of the platform reads on its own
    if (deletes.length) statements.push(new PolicyStatement({ sid: 'DisposeOriginalVersions', actions: deletes, resources: [objects] }));
    wildcards.push({ resource: objects, reason });
    // SSE-KMS: reading needs a decrypt; writing a data key, and completing a multipart upload a decrypt too
    if (actions.some((a) => a === 's3:GetObject' || a === 's3:GetObjectVersion' || a === 's3:PutObject')) keyActions.add('kms:Decrypt');
    if (actions.includes('s3:PutObject')) keyActions.add('kms:GenerateDataKey');
  }
  if (keyActions.size) {
    const order = [...OBJECT_KEY_READ, ...OBJECT_KEY_WRITE];
    statements.push(
      new PolicyStatement({
        sid: 'UseEvidenceKey',
        actions: order.filter((a) => keyActions.has(a)),
        resources: [evidence.key.key.keyArn],
        conditions: via('s3', stack),
      }),
    );
  }
  statements.push(...processStatements(access, table, processes, wildcards));
  return { statements, wildcards };
};
