import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Construct } from 'constructs';
import { ROUTES } from '../../shared/api/routes.ts';
import type { RouteGroup } from '../../shared/http/contract.ts';
import {
  ATTACHMENT_ARRIVED_ACCESS,
  EVIDENCE_ARRIVED_ACCESS,
  EVIDENCE_JOBS_ACCESS,
  EVIDENCE_OUTBOX_ACCESS,
  type FunctionAccess,
  grantsFor,
  HTTP_GROUP_ACCESS,
  PROCESS_CLOCK_ACCESS,
  PROCESS_JOBS_ACCESS,
} from './access.ts';
import { ArchiveApi } from './archive-api.ts';
import { ArchiveFunction, entryExists, functionEntry } from './archive-function.ts';
import { ArchiveTable } from './archive-table.ts';
import { ConsoleHosting } from './console-hosting.ts';
import { EVIDENCE_OUTBOX_ENTRY, EVIDENCE_OUTBOX_FUNCTION, EvidenceOutbox } from './evidence-outbox.ts';
import { EVIDENCE_ARRIVED_ENTRY, EVIDENCE_ARRIVED_FUNCTION, EVIDENCE_JOBS_ENTRY, EVIDENCE_JOBS_FUNCTION, EvidenceJobs } from './evidence-jobs.ts';
import { ATTACHMENTS_PREFIX, EvidenceStore } from './evidence-store.ts';
import { EVIDENCE_PREFIXES } from '../../shared/evidence/tiers.ts';
import { Identity } from './identity.ts';
import { PlatformLogs } from './logs.ts';
import { notificationChannels, PROCESS_CLOCK_ENTRY, PROCESS_CLOCK_FUNCTION, PROCESS_JOBS_ENTRY, PROCESS_JOBS_FUNCTION, ProcessJobs } from './process-jobs.ts';
import { aslFile, ProcessStateMachine, processKinds, STATEMACHINES_ROOT } from './process-machine.ts';
import type { Settings } from './settings.ts';

export interface ArchiveStackProps extends StackProps {
  settings: Settings;
  region: string;
  /** folder holding http/<group>.ts and events/<name>.ts; the repository's functions/ by default */
  functionsRoot?: string;
  /** folder holding the process definitions <kind>.asl.json; the repository's statemachines/ by default */
  statemachinesRoot?: string;
}

/** The route groups of shared/api/routes.ts, one function each. */
export const HTTP_GROUPS: RouteGroup[] = [...new Set(ROUTES.map((r) => r.group))];

export const ATTACHMENT_ARRIVED = 'attachment-arrived';

/**
 * Memory and timeout where a group needs more than the default (512 MB, 10 s). The verify route
 * hashes an uploaded attachment of up to MAX_ATTACHMENT_BYTES (shared/api/routes.ts) within the
 * request, so it gets more CPU (memory) and all the time an HTTP API integration allows (30 s).
 */
const HTTP_GROUP_SIZING: Partial<Record<RouteGroup, { memorySize: number; timeout: Duration }>> = {
  attachments: { memorySize: 1024, timeout: Duration.seconds(29) },
};

/**
 * The platform in one region: identity, the archive table, the evidence bucket, one function per
 * route group behind the HTTP API, the attachment-arrived function on the bucket's
 * attachments/ prefix (when its handler exists), audiovisual evidence (the evidence-arrived function
 * on evidence/ and the evidence jobs function with its nightly schedules, each when its handler
 * exists: infra/aws/evidence-jobs.ts), and the deadline processes: one state machine
 * per statemachines/<kind>.asl.json, their clock function, the jobs function on the table's outbox
 * stream and schedules (infra/aws/process-machine.ts, process-jobs.ts). Synthesizes for the global partition and for
 * aws-cn alike: every ARN is built from the stack's partition token, never spelled out.
 */
export class ArchiveStack extends Stack {
  readonly table: ArchiveTable;
  readonly evidence: EvidenceStore;
  readonly identity: Identity;
  /** the web console: private bucket + CloudFront (issue 10; infra/aws/console-hosting.ts) */
  readonly console: ConsoleHosting;
  readonly api: ArchiveApi;
  readonly functions = new Map<string, ArchiveFunction>();
  /** the deadline-process state machines, by process kind */
  readonly machines = new Map<string, ProcessStateMachine>();
  readonly processes: ProcessJobs;
  /** the nightly evidence job schedules; undefined until functions/jobs/evidence.ts exists */
  readonly evidenceJobs?: EvidenceJobs;
  readonly evidenceOutbox?: EvidenceOutbox;

  constructor(scope: Construct, id: string, props: ArchiveStackProps) {
    const { settings, region } = props;
    super(scope, id, { ...props, env: { account: settings.account, region } });
    const partition = RegionInfo.get(region).partition;
    if (!partition) throw new Error(`unknown region "${region}"`);

    const logs = new PlatformLogs(this, 'Logs');
    this.table = new ArchiveTable(this, 'Archive');
    const evidenceBucketName = settings.evidenceBucketName ?? `enforcement-archive-evidence-${settings.account}-${region}`;
    this.console = new ConsoleHosting(this, 'Console', { partition, evidenceBucketName });
    // browsers upload to and play from the bucket only from the console's origin
    this.evidence = new EvidenceStore(this, 'Evidence', { bucketName: evidenceBucketName, allowedOrigins: [this.console.origin] });
    this.identity = new Identity(this, 'Identity', {
      cognitoAvailable: partition !== 'aws-cn',
      console: this.console,
      cognitoDomainPrefix: `enforcement-archive-${settings.account}`,
    });
    const dataKeys = [this.table.key, this.evidence.key, logs.key];

    // --- deadline processes (issue 3): schedule group, scheduler role, machine ARNs by fixed name ---
    const statemachinesRoot = props.statemachinesRoot ?? STATEMACHINES_ROOT;
    const kinds = processKinds(statemachinesRoot);
    this.processes = new ProcessJobs(this, 'Processes', {
      kinds,
      table: this.table,
      channels: notificationChannels(settings, partition),
      protectKeys: dataKeys,
    });

    const environment: Record<string, string> = {
      TABLE_NAME: this.table.table.tableName,
      // by name, not by reference: the bucket's notification already depends on a function
      BUCKET_NAME: this.evidence.bucketName,
      LOG_LEVEL: settings.logLevel,
      ...(settings.auditShards ? { AUDIT_SHARDS: settings.auditShards } : {}),
    };
    interface FunctionSpec {
      id: string;
      entry: string;
      description: string;
      access: FunctionAccess;
      memorySize?: number;
      timeout?: Duration;
      deadLetterQueue?: boolean;
      noDeadLetterQueueReason?: string;
      /** environment on top of the common one and what the access row implies */
      environment?: Record<string, string>;
    }
    const fn = ({ id, access, environment: own, ...spec }: FunctionSpec) => {
      const f = new ArchiveFunction(this, id, {
        ...spec,
        environment: { ...environment, ...this.processes.environmentFor(access), ...own },
        logs,
        grants: grantsFor(this, access, this.table, this.evidence, this.processes.targets),
        protectKeys: dataKeys,
        reservedConcurrency: settings.reservedConcurrency,
      });
      this.functions.set(id, f);
      return f;
    };

    const handlers = new Map<RouteGroup, IFunction>();
    const root = props.functionsRoot;
    for (const group of HTTP_GROUPS) {
      const f = fn({
        id: `Http-${group}`,
        entry: functionEntry('http', group, root),
        description: `Enforcement archive HTTP API, route group ${group}`,
        access: HTTP_GROUP_ACCESS[group],
        ...HTTP_GROUP_SIZING[group],
      });
      handlers.set(group, f.fn);
    }

    this.api = new ArchiveApi(this, 'Http', {
      routes: ROUTES,
      handlers,
      authorizer: this.identity.authorizer,
      logs,
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
      allowedOrigins: [this.console.origin, ...settings.allowedOrigins],
    });
    this.console.deploy({ apiUrl: this.api.api.apiEndpoint, signIn: this.identity.consoleSignIn, logs });

    const arrivedEntry = functionEntry('events', ATTACHMENT_ARRIVED, root);
    if (entryExists(arrivedEntry)) {
      const arrived = fn({
        id: 'Event-attachment-arrived',
        entry: arrivedEntry,
        description: 'Enforcement archive: verify attachments arriving in the evidence bucket (S3 ObjectCreated)',
        access: ATTACHMENT_ARRIVED_ACCESS,
        memorySize: 1024,
        // hashes an attachment of up to MAX_ATTACHMENT_BYTES as it streams in; no API timeout applies here
        timeout: Duration.minutes(2),
        deadLetterQueue: true,
      });
      this.evidence.notifyOnCreated(ATTACHMENTS_PREFIX, arrived.fn);
    }

    // --- audiovisual evidence (issue 4): ingest on evidence/, nightly jobs ---
    const evidenceArrivedEntry = functionEntry(EVIDENCE_ARRIVED_ENTRY.surface, EVIDENCE_ARRIVED_ENTRY.name, root);
    if (entryExists(evidenceArrivedEntry)) {
      const ingest = fn({ ...EVIDENCE_ARRIVED_FUNCTION, entry: evidenceArrivedEntry, access: EVIDENCE_ARRIVED_ACCESS });
      this.evidence.notifyOnCreated(EVIDENCE_PREFIXES.originals, ingest.fn);
    }
    const evidenceJobsEntry = functionEntry(EVIDENCE_JOBS_ENTRY.surface, EVIDENCE_JOBS_ENTRY.name, root);
    if (entryExists(evidenceJobsEntry)) {
      const evidenceJobs = fn({ ...EVIDENCE_JOBS_FUNCTION, entry: evidenceJobsEntry, access: EVIDENCE_JOBS_ACCESS });
      this.evidenceJobs = new EvidenceJobs(this, 'EvidenceJobs', { jobs: evidenceJobs, protectKeys: dataKeys });
    }
    // the evidence area's consumer of the outbox: stream and reconciler (docs/architecture.md §6)
    const outboxEntry = functionEntry(EVIDENCE_OUTBOX_ENTRY.surface, EVIDENCE_OUTBOX_ENTRY.name, root);
    if (entryExists(outboxEntry)) {
      const consumer = fn({ ...EVIDENCE_OUTBOX_FUNCTION, entry: outboxEntry, access: EVIDENCE_OUTBOX_ACCESS });
      this.evidenceOutbox = new EvidenceOutbox(this, 'EvidenceOutbox', { consumer, table: this.table, protectKeys: dataKeys });
    }

    // --- deadline processes (issue 3): jobs and clock functions, reconcile schedule, outbox stream, one machine per kind ---
    const jobs = fn({ ...PROCESS_JOBS_FUNCTION, entry: functionEntry(PROCESS_JOBS_ENTRY.surface, PROCESS_JOBS_ENTRY.name, root), access: PROCESS_JOBS_ACCESS });
    this.processes.connectJobs(jobs);
    const clock = fn({
      ...PROCESS_CLOCK_FUNCTION,
      entry: functionEntry(PROCESS_CLOCK_ENTRY.surface, PROCESS_CLOCK_ENTRY.name, root),
      access: PROCESS_CLOCK_ACCESS,
      // the target of the one-time resume schedules it creates
      environment: { JOBS_FUNCTION_ARN: jobs.fn.functionArn },
    });
    for (const kind of kinds) {
      this.machines.set(
        kind,
        new ProcessStateMachine(this, `Process-${kind}`, {
          kind,
          aslPath: aslFile(kind, statemachinesRoot),
          clockFunction: clock.fn,
          logs,
          protectKeys: dataKeys,
        }),
      );
    }
  }
}
