import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPOSITION_ACTION, EVIDENCE_ARRIVED_ACCESS, EVIDENCE_JOBS_ACCESS, type FunctionAccess, grantsFor, HTTP_GROUP_ACCESS } from '../../infra/aws/access.ts';
import { REPO_ROOT } from '../../infra/aws/archive-function.ts';
import { ArchiveTable } from '../../infra/aws/archive-table.ts';
import { ATTACHMENT_ARRIVED, HTTP_GROUPS } from '../../infra/aws/archive-stack.ts';
import { EVIDENCE_OUTBOX_ENTRY } from '../../infra/aws/evidence-outbox.ts';
import { EVIDENCE_ARRIVED_ENTRY, EVIDENCE_ARRIVED_FUNCTION, EVIDENCE_JOB_NAMES, EVIDENCE_JOB_SCHEDULE, EVIDENCE_JOBS_ENTRY, EVIDENCE_JOBS_FUNCTION } from '../../infra/aws/evidence-jobs.ts';
import { ABORT_INCOMPLETE_UPLOADS_AFTER, ATTACHMENTS_PREFIX, EvidenceStore } from '../../infra/aws/evidence-store.ts';
import {
  BODY_CAMERA_TB_3_YEARS,
  DEEP_ARCHIVE_DAYS,
  DERIVED_NONCURRENT_EXPIRE_DAYS,
  EVIDENCE_PREFIXES,
  GLACIER_IR_DAYS,
  MINIMUM_STORAGE_DAYS,
  OBJECT_LOCK_MODE,
  PACKAGES_GLACIER_IR_AFTER_DAYS,
  RETENTION_CLASSES,
  storageCost,
  TIER_RULES,
  TIER_SCHEDULE_TAG,
  TIER_SCHEDULES,
  tierScheduleFor,
  tierScheduleName,
  US_EAST_1_PRICES,
} from '../../shared/evidence/tiers.ts';
import { DESTRUCTIVE_KEY_ACTIONS } from '../../infra/aws/keys.ts';
import { FEATURE_FLAGS } from '../../infra/aws/platform.ts';
import { PROCESS_CLOCK_ENTRY, PROCESS_JOBS_ENTRY } from '../../infra/aws/process-jobs.ts';
import { acknowledgements, functionsFixture, PARTITION_REGIONS, removeAssembly, removeFunctionsFixture, resourcesOf, type Synthesized, synthesize } from './synth.ts';

/**
 * Audiovisual evidence in AWS (issue 4), in both partitions: the bucket's Object Lock, lifecycle by
 * tier-schedule tag and notifications, the ingest and jobs functions with their nightly schedules,
 * key protection for every application role, least privilege (the one delete of the platform), and
 * the storage cost model behind docs/storage-cost-model.md.
 *
 * The app is synthesized with stand-in handlers for every entry (test/infra/synth.ts functionsFixture),
 * so the evidence functions and schedules are checked whether or not their handler files exist yet.
 */
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const actionsOf = (st: Statement) => asArray(st.Action);

const FIXTURE_ENTRIES = [
  ...HTTP_GROUPS.map((name) => ({ surface: 'http' as const, name })),
  { surface: 'events' as const, name: ATTACHMENT_ARRIVED },
  EVIDENCE_ARRIVED_ENTRY,
  EVIDENCE_JOBS_ENTRY,
  EVIDENCE_OUTBOX_ENTRY,
  PROCESS_CLOCK_ENTRY,
  PROCESS_JOBS_ENTRY,
];

/** Every policy document of the template, Allow statements only, with where they come from. */
const allowStatements = (resources: Record<string, Resource>) =>
  Object.entries(resources).flatMap(([rid, r]) => {
    const docs = [r.Properties?.PolicyDocument, r.Properties?.KeyPolicy, ...asArray(r.Properties?.Policies as { PolicyDocument: unknown }[] | undefined).map((p) => p.PolicyDocument)].filter(
      Boolean,
    ) as { Statement: Statement[] }[];
    return docs.flatMap((d) =>
      asArray(d.Statement)
        .filter((st) => st.Effect === 'Allow')
        .map((st) => ({ rid, type: r.Type, st })),
    );
  });

describe.each([PARTITION_REGIONS.global, PARTITION_REGIONS.chinaBeijing])('audiovisual evidence in %s', (region) => {
  let fixture: string;
  let s: Synthesized;
  let resources: Record<string, Resource>;
  const id = (c: { node: { defaultChild?: unknown } }) => s.stack.getLogicalId(c.node.defaultChild as CfnElement);
  const fnOf = (name: string) => s.stack.functions.get(name)!;
  const statementsOf = (name: string) => resources[id(fnOf(name).policy)]!.Properties.PolicyDocument.Statement as Statement[];
  const bucket = () => {
    const [entry] = resourcesOf(s.template, 'AWS::S3::Bucket').filter(([, b]) => b.Properties.ObjectLockEnabled === true);
    return entry![1];
  };
  const rules = () => bucket().Properties.LifecycleConfiguration.Rules as Record<string, any>[];
  const objects = (prefix: string) => s.stack.resolve(s.stack.evidence.objectArn(`${prefix}*`));

  beforeAll(() => {
    fixture = functionsFixture(FIXTURE_ENTRIES);
    s = synthesize(region, { bundle: false, functionsRoot: fixture });
    resources = s.template.toJSON().Resources;
  });
  afterAll(() => {
    removeAssembly(s);
    removeFunctionsFixture(fixture);
  });

  it('synthesizes with every evidence function', () => {
    expect(s.error?.message).toBeUndefined();
    for (const name of [EVIDENCE_ARRIVED_FUNCTION.id, EVIDENCE_JOBS_FUNCTION.id, 'Http-evidence']) expect(s.stack.functions.has(name), name).toBe(true);
    expect(s.stack.evidenceJobs).toBeDefined();
  });

  describe('the bucket', () => {
    it('is versioned with Object Lock enabled and no default retention (per-version COMPLIANCE retention comes from the code)', () => {
      const b = bucket();
      expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(b.Properties.ObjectLockEnabled).toBe(true);
      expect(b.Properties.ObjectLockConfiguration?.Rule).toBeUndefined();
      expect(OBJECT_LOCK_MODE).toBe('COMPLIANCE');
    });

    it('blocks all public access and refuses every request that is not TLS', () => {
      expect(bucket().Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id(s.stack.evidence.bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    });

    it('aborts incomplete multipart uploads bucket-wide within 1 to 7 days', () => {
      const abort = rules().filter((r) => r.AbortIncompleteMultipartUpload);
      expect(abort).toHaveLength(1);
      expect(abort[0]!.Prefix).toBeUndefined();
      expect(abort[0]!.TagFilters).toBeUndefined();
      const days = abort[0]!.AbortIncompleteMultipartUpload.DaysAfterInitiation as number;
      expect(days).toBe(ABORT_INCOMPLETE_UPLOADS_AFTER.toDays());
      expect(days).toBeGreaterThanOrEqual(1);
      expect(days).toBeLessThanOrEqual(7);
    });

    it('moves originals by their tier-schedule tag: one rule per schedule, storage classes and days as TIER_SCHEDULES says', () => {
      const tagged = rules().filter((r) => r.TagFilters);
      const moving = Object.entries(TIER_SCHEDULES).filter(([, sch]) => sch.glacierIrAfterDays !== undefined || sch.deepArchiveAfterDays !== undefined);
      expect(tagged).toHaveLength(moving.length);
      for (const [value, sch] of moving) {
        const rule = tagged.find((r) => r.TagFilters[0].Value === value)!;
        expect(rule, value).toMatchObject({ Status: 'Enabled', Prefix: EVIDENCE_PREFIXES.originals, TagFilters: [{ Key: TIER_SCHEDULE_TAG, Value: value }] });
        expect(rule.Transitions, value).toEqual([
          ...(sch.glacierIrAfterDays !== undefined ? [{ StorageClass: 'GLACIER_IR', TransitionInDays: sch.glacierIrAfterDays }] : []),
          ...(sch.deepArchiveAfterDays !== undefined ? [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: sch.deepArchiveAfterDays }] : []),
        ]);
      }
      // the documented table, pinned
      const transitions = (value: string) => tagged.find((r) => r.TagFilters[0].Value === value)?.Transitions;
      expect(transitions('ir-30')).toEqual([{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }]);
      expect(transitions('ir-90-deep-730')).toEqual([
        { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
        { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 730 },
      ]);
      expect(transitions('ir-30-deep-180')).toEqual([
        { StorageClass: 'GLACIER_IR', TransitionInDays: 30 },
        { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 180 },
      ]);
      expect(transitions('standard-only')).toBeUndefined();
      expect(Object.keys(TIER_SCHEDULES)).toHaveLength(1 + GLACIER_IR_DAYS.length * (1 + DEEP_ARCHIVE_DAYS.length));
    });

    it('never moves an original out of GLACIER_IR before its 90-day minimum', () => {
      for (const sch of Object.values(TIER_SCHEDULES)) {
        if (sch.glacierIrAfterDays !== undefined && sch.deepArchiveAfterDays !== undefined) {
          expect(sch.deepArchiveAfterDays - sch.glacierIrAfterDays).toBeGreaterThanOrEqual(MINIMUM_STORAGE_DAYS.GLACIER_IR);
        }
      }
    });

    it(`sends packages/ to GLACIER_IR after ${PACKAGES_GLACIER_IR_AFTER_DAYS} days (they are exported at any time)`, () => {
      const packages = rules().filter((r) => r.Prefix === EVIDENCE_PREFIXES.packages);
      expect(packages).toEqual([
        { Id: 'packages-to-glacier-ir', Status: 'Enabled', Prefix: 'packages/', Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: PACKAGES_GLACIER_IR_AFTER_DAYS }] },
      ]);
    });

    it('expires nothing but noncurrent versions of derived copies: no rule can delete an original, a package or an anchor', () => {
      for (const r of rules()) {
        expect(r.ExpirationInDays, r.Id).toBeUndefined();
        expect(r.ExpirationDate, r.Id).toBeUndefined();
        expect(r.ExpiredObjectDeleteMarker, r.Id).toBeUndefined();
        if (r.NoncurrentVersionExpiration || r.NoncurrentVersionExpirationInDays) {
          expect(r.Prefix, r.Id).toBe(EVIDENCE_PREFIXES.derived);
          expect(r.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: DERIVED_NONCURRENT_EXPIRE_DAYS });
        }
        // a rule without a prefix applies to evidence/ too: it may only abort multipart uploads
        if (r.Prefix === undefined) expect(Object.keys(r).sort(), r.Id).toEqual(['AbortIncompleteMultipartUpload', 'Id', 'Status']);
      }
      expect(TIER_RULES.every((r) => r.transitions.length > 0)).toBe(true);
    });

    it('sends ObjectCreated under evidence/ to the ingest function (next to attachments/), after granting it', () => {
      const ingest = fnOf(EVIDENCE_ARRIVED_FUNCTION.id);
      const configs = bucket().Properties.NotificationConfiguration.LambdaConfigurations as Record<string, any>[];
      expect(configs).toEqual([
        { Event: 's3:ObjectCreated:*', Function: { 'Fn::GetAtt': [id(fnOf('Event-attachment-arrived').fn), 'Arn'] }, Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: ATTACHMENTS_PREFIX }] } } },
        { Event: 's3:ObjectCreated:*', Function: { 'Fn::GetAtt': [id(ingest.fn), 'Arn'] }, Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: EVIDENCE_PREFIXES.originals }] } } },
      ]);
      const [permissionId, permission] = resourcesOf(s.template, 'AWS::Lambda::Permission').find(
        ([, p]) => p.Properties.Principal === 's3.amazonaws.com' && JSON.stringify(p.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [id(ingest.fn), 'Arn'] }),
      )!;
      expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', SourceAccount: s.stack.account, SourceArn: s.stack.resolve(s.stack.evidence.bucketArn) });
      expect(resources[id(s.stack.evidence.bucket)]!.DependsOn).toContain(permissionId);
    });
  });

  describe('functions and schedules', () => {
    it('ingests with enough memory, up to 15 minutes, failed S3 events kept in an encrypted dead-letter queue', () => {
      const f = fnOf(EVIDENCE_ARRIVED_FUNCTION.id);
      const p = resources[id(f.fn)]!.Properties;
      expect(p.MemorySize).toBeGreaterThanOrEqual(1024);
      expect(p.Timeout).toBeLessThanOrEqual(900);
      expect(p.Timeout).toBeGreaterThanOrEqual(600);
      expect(p.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [id(f.deadLetterQueue!), 'Arn'] } });
      expect(resources[id(f.deadLetterQueue!)]!.Properties.SqsManagedSseEnabled).toBe(true);
    });

    it('runs the jobs with 3008 MB for 15 minutes, failed invocations kept', () => {
      const f = fnOf(EVIDENCE_JOBS_FUNCTION.id);
      const p = resources[id(f.fn)]!.Properties;
      expect(p).toMatchObject({ MemorySize: 3008, Timeout: 900, DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [id(f.deadLetterQueue!), 'Arn'] } } });
    });

    it('runs each job nightly in Asia/Shanghai time with its input, in the evidence schedule group, through its own scheduler role', () => {
      const ej = s.stack.evidenceJobs!;
      const group = s.stack.resolve(ej.scheduleGroup.scheduleGroupName) as string;
      expect(group).toBe(`${s.stack.stackName}-evidence`);
      const schedules = resourcesOf(s.template, 'AWS::Scheduler::Schedule').filter(([, x]) => x.Properties.GroupName === group);
      expect(schedules).toHaveLength(EVIDENCE_JOB_NAMES.length);
      const inputs = schedules.map(([, x]) => JSON.parse(x.Properties.Target.Input as string) as unknown);
      expect(inputs).toEqual(expect.arrayContaining([{ job: 'retentionSweep' }, { job: 'fixity' }, { job: 'preservation' }, { job: 'spotCheck' }, { job: 'anchorAudit' }]));
      for (const [sid, x] of schedules) {
        const { job } = JSON.parse(x.Properties.Target.Input as string) as { job: (typeof EVIDENCE_JOB_NAMES)[number] };
        const at = EVIDENCE_JOB_SCHEDULE[job];
        expect(x.Properties, job).toMatchObject({
          ScheduleExpression: `cron(${at.minute} ${at.hour} * * ? *)`,
          ScheduleExpressionTimezone: 'Asia/Shanghai',
          State: 'ENABLED',
          Target: { Arn: { 'Fn::GetAtt': [id(fnOf(EVIDENCE_JOBS_FUNCTION.id).fn), 'Arn'] }, RoleArn: { 'Fn::GetAtt': [id(ej.schedulerRole), 'Arn'] } },
        });
        // at night: between midnight and 05:00 Shanghai time
        expect(at.hour, job).toBeLessThan(5);
        expect((resources[sid] as Resource).DependsOn).toContain(id(ej.schedulerPolicy));
      }
      // one an hour apart at least: a 15-minute job never overlaps the next
      const minutes = EVIDENCE_JOB_NAMES.map((j) => EVIDENCE_JOB_SCHEDULE[j].hour * 60 + EVIDENCE_JOB_SCHEDULE[j].minute).sort((a, b) => a - b);
      for (let i = 1; i < minutes.length; i++) expect(minutes[i]! - minutes[i - 1]!).toBeGreaterThanOrEqual(30);
    });

    it('lets the evidence scheduler role, assumable only by schedules of its group, invoke the jobs function and nothing else', () => {
      const ej = s.stack.evidenceJobs!;
      const role = resources[id(ej.schedulerRole)]!.Properties;
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': s.stack.account, 'aws:SourceArn': { 'Fn::GetAtt': [id(ej.scheduleGroup), 'Arn'] } } },
        },
      ]);
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(role.Policies).toBeUndefined();
      const attached = resourcesOf(s.template, 'AWS::IAM::ManagedPolicy').filter(([, x]) => JSON.stringify(x.Properties.Roles).includes(`"${id(ej.schedulerRole)}"`));
      expect(attached.map(([pid]) => pid)).toEqual([id(ej.schedulerPolicy)]);
      expect(resources[id(ej.schedulerPolicy)]!.Properties.PolicyDocument.Statement).toEqual([
        { Sid: 'InvokeEvidenceJobs', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [id(fnOf(EVIDENCE_JOBS_FUNCTION.id).fn), 'Arn'] } },
      ]);
    });
  });

  describe('keys', () => {
    it('deny every application role, the scheduler roles included, the destructive key actions on every data key', () => {
      const roles = [...[...s.stack.functions.values()].map((f) => f.role), s.stack.processes.schedulerRole, s.stack.evidenceJobs!.schedulerRole].map((r) => ({ 'Fn::GetAtt': [id(r), 'Arn'] }));
      for (const name of [EVIDENCE_ARRIVED_FUNCTION.id, EVIDENCE_JOBS_FUNCTION.id, 'Http-evidence']) expect(roles).toContainEqual({ 'Fn::GetAtt': [id(fnOf(name).role), 'Arn'] });
      for (const key of [s.stack.evidence.key.key, s.stack.table.key.key]) {
        const policy = resources[id(key)]!.Properties.KeyPolicy as { Statement: Statement[] };
        const deny = policy.Statement.find((st) => st.Effect === 'Deny')!;
        expect(deny.Action).toEqual([...DESTRUCTIVE_KEY_ACTIONS]);
        expect((deny.Principal as { AWS: unknown[] }).AWS).toEqual(expect.arrayContaining(roles));
      }
    });
  });

  describe('least privilege', () => {
    const expectObjects = (name: string, access: FunctionAccess) => {
      const s3 = statementsOf(name).filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')));
      const byResource = new Map<string, string[]>();
      for (const st of s3) byResource.set(JSON.stringify(st.Resource), [...(byResource.get(JSON.stringify(st.Resource)) ?? []), ...actionsOf(st)].sort());
      const bucketActions = [...(access.objectLockConfiguration ? ['s3:GetBucketObjectLockConfiguration'] : []), ...(access.listEvidence ? ['s3:ListBucket'] : [])].sort();
      const expected = new Map<string, string[]>(bucketActions.length ? [[JSON.stringify(s.stack.resolve(s.stack.evidence.bucketArn)), bucketActions]] : []);
      for (const [prefix, actions] of Object.entries(access.evidenceObjects ?? {})) expected.set(JSON.stringify(objects(prefix)), [...actions].sort());
      expect(byResource, name).toEqual(expected);
    };

    it('gives the ingest exactly: read, tag, retention and legal hold of originals', () => {
      expectObjects(EVIDENCE_ARRIVED_FUNCTION.id, EVIDENCE_ARRIVED_ACCESS);
      expect([...(EVIDENCE_ARRIVED_ACCESS.evidenceObjects?.['evidence/'] ?? [])].sort()).toEqual(
        ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'].sort(),
      );
    });

    it('gives the evidence route group exactly: multipart uploads, reads by version, holds, retention, tags of originals; derived copies', () => {
      expectObjects('Http-evidence', HTTP_GROUP_ACCESS.evidence);
      expect(HTTP_GROUP_ACCESS.evidence.evidenceObjects?.['derived/']).toEqual(['s3:PutObject']);
      expect(HTTP_GROUP_ACCESS.evidence.evidenceObjects?.['evidence/']).toEqual(
        expect.arrayContaining(['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:GetObjectVersion', 's3:PutObjectLegalHold', 's3:PutObjectRetention']),
      );
    });

    it('gives the jobs exactly: read, inspect and tag originals, delete their versions, write, lock and read back packages and anchors; never hold or retention on originals', () => {
      expectObjects(EVIDENCE_JOBS_FUNCTION.id, EVIDENCE_JOBS_ACCESS);
      const originals = statementsOf(EVIDENCE_JOBS_FUNCTION.id)
        .filter((st) => JSON.stringify(st.Resource) === JSON.stringify(objects('evidence/')))
        .flatMap(actionsOf);
      expect(originals).not.toContain('s3:PutObjectLegalHold');
      expect(originals).not.toContain('s3:PutObjectRetention');
      expect(originals).not.toContain('s3:PutObject');
      const dispose = statementsOf(EVIDENCE_JOBS_FUNCTION.id).find((st) => st.Sid === 'DisposeOriginalVersions')!;
      expect(dispose).toEqual({ Sid: 'DisposeOriginalVersions', Effect: 'Allow', Action: DISPOSITION_ACTION, Resource: objects('evidence/') });
      // HeadObject on a free anchor or package key must answer 404: an unconditional list
      const list = statementsOf(EVIDENCE_JOBS_FUNCTION.id).find((st) => st.Sid === 'ListEvidenceBucket')!;
      expect(list.Condition).toBeUndefined();
    });

    it('gives the preservation route group, when it exists, only: list and read packages, audit its reads', () => {
      const row = HTTP_GROUP_ACCESS.preservation;
      expect(row).toMatchObject({ table: 'readAndAuditOnly', evidence: 'none', listEvidence: ['packages/'], evidenceObjects: { 'packages/': ['s3:GetObject'] } });
      if (s.stack.functions.has('Http-preservation')) expectObjects('Http-preservation', row);
    });

    it('lets no role but the jobs function delete anything in S3, and that one only versions of originals', () => {
      const deletes = allowStatements(resources).filter(({ st }) => actionsOf(st).some((a) => /^s3:(Delete|\*)/i.test(a) || a === '*'));
      expect(deletes.map(({ rid, st }) => ({ rid, actions: actionsOf(st), resource: st.Resource }))).toEqual([
        { rid: id(fnOf(EVIDENCE_JOBS_FUNCTION.id).policy), actions: [DISPOSITION_ACTION], resource: objects('evidence/') },
      ]);
    });

    it("grants nobody a wildcard action, governance bypass, or changes to the bucket's lock, lifecycle or policy", () => {
      for (const { rid, st } of allowStatements(resources)) {
        if (st.Principal !== undefined) continue; // resource policies: their own tests (key policies, log delivery)
        for (const a of actionsOf(st)) {
          expect(a, rid).not.toContain('*');
          expect(a, rid).not.toMatch(/^s3:(BypassGovernanceRetention|PutBucket|PutObjectLockConfiguration|PutLifecycleConfiguration|PutReplicationConfiguration)/);
        }
      }
    });

    it('lets only the functions that decide retention place or lift legal holds', () => {
      const holders = allowStatements(resources)
        .filter(({ st }) => actionsOf(st).includes('s3:PutObjectLegalHold'))
        .map(({ rid }) => rid)
        .sort();
      // the ingest, the evidence routes (holds, links), and the one function that runs the evidence area's consumer of case
      // and complaint events (docs/architecture.md §6: stream and reconciler), never the nightly jobs that dispose of originals
      expect(holders).toEqual([id(fnOf(EVIDENCE_ARRIVED_FUNCTION.id).policy), id(fnOf('Http-evidence').policy), id(fnOf('Job-evidence-outbox').policy)].sort());
    });
  });

  describe('compliance', () => {
    it('leaves no nag finding on the evidence resources and acknowledges only prefix wildcards, with reasons', () => {
      const ours = /\/(Evidence\/|EvidenceJobs\/|Event-evidence-arrived\/|Job-evidence\/|Http-evidence\/)/;
      const findings = s.reports.flatMap((r) => r.violations.flatMap((v) => v.violatingConstructs.filter((c) => ours.test(c.constructPath)).map((c) => `${v.ruleName} at ${c.constructPath}`)));
      expect(findings).toEqual([]);
      const iam5 = acknowledgements(s.stack).filter((a) => ours.test(`/${a.path}/`) && a.id.startsWith('AwsSolutions-IAM5'));
      const prefixes = Object.values(EVIDENCE_PREFIXES)
        .map((p) => p.replace('/', '\\/'))
        .join('|');
      expect(iam5.length).toBeGreaterThan(0);
      for (const a of iam5) {
        expect(a.id).toMatch(new RegExp(`^AwsSolutions-IAM5\\[Resource::arn:<AWS::Partition>:s3:::[^*\\]]+\\/(${prefixes})\\*\\]$`));
        expect(a.reason.length, a.id).toBeGreaterThanOrEqual(60);
      }
    });

    it('spells every ARN with the partition of the stack', () => {
      expect(s.json).not.toContain('arn:aws:');
      expect(s.json).not.toContain('arn:aws-cn:');
    });
  });
});

describe('access rows refuse what must never be granted', () => {
  const stack = new Stack(new App({ context: FEATURE_FLAGS }), 'Rows', { env: { account: '111122223333', region: 'cn-north-1' } });
  const table = new ArchiveTable(stack, 'Archive');
  const evidence = new EvidenceStore(stack, 'Evidence', { bucketName: 'evidence-rows-test', allowedOrigins: [] });

  it('refuses a delete anywhere but versions of originals', () => {
    const row = (evidenceObjects: FunctionAccess['evidenceObjects']): FunctionAccess => ({ table: 'none', evidence: 'none', evidenceObjects });
    expect(() => grantsFor(stack, row({ 'derived/': ['s3:DeleteObjectVersion'] }), table, evidence)).toThrow(/only s3:DeleteObjectVersion on evidence\//);
    expect(() => grantsFor(stack, row({ 'evidence/': ['s3:DeleteObject' as 's3:DeleteObjectVersion'] }), table, evidence)).toThrow(/not s3:DeleteObject on evidence\//);
    expect(grantsFor(stack, row({ 'evidence/': ['s3:DeleteObjectVersion'] }), table, evidence).statements.map((st) => st.sid)).toEqual(['DisposeOriginalVersions']);
  });

  it("lists only under the row's prefixes unless it needs 404s for existence checks", () => {
    const listOf = (access: FunctionAccess) =>
      grantsFor(stack, access, table, evidence)
        .statements.find((st) => st.sid === 'ListEvidenceBucket')
        ?.toStatementJson() as Statement | undefined;
    expect(listOf(HTTP_GROUP_ACCESS.preservation)?.Condition).toEqual({ StringLike: { 's3:prefix': ['packages/*'] } });
    expect(listOf(EVIDENCE_JOBS_ACCESS)?.Condition).toBeUndefined();
    expect(listOf(EVIDENCE_ARRIVED_ACCESS)).toBeUndefined();
  });

  it('asks for a key decrypt when reading and a data key when writing, through S3 only', () => {
    const keyOf = (access: FunctionAccess) => grantsFor(stack, access, table, evidence).statements.find((st) => st.sid === 'UseEvidenceKey');
    expect(keyOf(EVIDENCE_ARRIVED_ACCESS)?.actions).toEqual(['kms:Decrypt']);
    expect(keyOf(EVIDENCE_JOBS_ACCESS)?.actions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(keyOf(HTTP_GROUP_ACCESS.evidence)?.actions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(keyOf({ table: 'none', evidence: 'none', evidenceObjects: { 'evidence/': ['s3:PutObjectLegalHold'] } })).toBeUndefined();
  });

  it('refuses a second ObjectCreated notification on an overlapping prefix', () => {
    const s2 = new Stack(new App({ context: FEATURE_FLAGS }), 'Overlap', { env: { account: '111122223333', region: 'cn-north-1' } });
    const store = new EvidenceStore(s2, 'Evidence', { bucketName: 'evidence-overlap-test', allowedOrigins: [] });
    const permission = new Construct(s2, 'Permission');
    const fn = { addPermission: () => undefined, permissionsNode: { findChild: () => permission }, functionArn: 'arn' } as never;
    store.notifyOnCreated('evidence/', fn);
    expect(() => store.notifyOnCreated('evidence/a/', fn)).toThrow(/overlaps the one on "evidence\/"/);
  });
});

describe('tier schedules and the storage cost model (docs/storage-cost-model.md)', () => {
  it('names schedules after their days, and every tier rule after its schedule', () => {
    expect(tierScheduleName({})).toBe('standard-only');
    expect(tierScheduleName({ glacierIrAfterDays: 30 })).toBe('ir-30');
    expect(tierScheduleName({ glacierIrAfterDays: 90, deepArchiveAfterDays: 730 })).toBe('ir-90-deep-730');
    expect(RETENTION_CLASSES).toEqual(['routine', 'case', 'longTerm', 'permanent']);
  });

  it('picks a schedule only as cold as the item stays long enough for, and no DEEP_ARCHIVE when not allowed', () => {
    const plan = { glacierIrAfterDays: 30, deepArchiveAfterDays: 730 };
    // routine patrol footage, kept 6 months: GLACIER_IR after 30 days (152 days there ≥ 90), never DEEP_ARCHIVE
    expect(tierScheduleFor(plan, { keptDays: 183, deepArchiveAllowed: true })).toBe('ir-30');
    // kept 100 days: GLACIER_IR would bill 90 days for 70: stays in STANDARD
    expect(tierScheduleFor(plan, { keptDays: 100, deepArchiveAllowed: true })).toBe('standard-only');
    expect(tierScheduleFor(plan, { keptDays: 910, deepArchiveAllowed: true })).toBe('ir-30-deep-730');
    expect(tierScheduleFor(plan, { keptDays: 909, deepArchiveAllowed: true })).toBe('ir-30');
    expect(tierScheduleFor({ glacierIrAfterDays: 90, deepArchiveAfterDays: 730 }, { keptDays: null, deepArchiveAllowed: false })).toBe('ir-90');
    expect(tierScheduleFor({ glacierIrAfterDays: 90, deepArchiveAfterDays: 730 }, { keptDays: null, deepArchiveAllowed: true })).toBe('ir-90-deep-730');
    expect(() => tierScheduleFor({ glacierIrAfterDays: 45, deepArchiveAfterDays: 730 }, { keptDays: null, deepArchiveAllowed: true })).toThrow(/no lifecycle rule for tier schedule "ir-45-deep-730"/);
  });

  it("has a lifecycle rule for every schedule the domain's storage-tier table can produce (when the domain has one)", async () => {
    const domain = join(REPO_ROOT, 'shared', 'evidence', 'retention.ts');
    if (!existsSync(domain)) return;
    const mod = (await import(domain)) as { STORAGE_TIER_SCHEDULE?: Record<string, { glacierIrAfterDays: number; deepArchiveAfterDays: number }> };
    if (!mod.STORAGE_TIER_SCHEDULE) return;
    expect(Object.keys(mod.STORAGE_TIER_SCHEDULE).sort()).toEqual([...RETENTION_CLASSES].sort());
    for (const [cls, plan] of Object.entries(mod.STORAGE_TIER_SCHEDULE)) {
      for (const keptDays of [null, 0, 100, 183, 365, 1000, 3650]) {
        for (const deepArchiveAllowed of [true, false]) expect(() => tierScheduleFor(plan, { keptDays, deepArchiveAllowed }), cls).not.toThrow();
      }
    }
  });

  it('reproduces the document: 1 TB of 500 MB clips for 3 years, all STANDARD vs the tier schedules', () => {
    const cost = (name: string) => storageCost({ ...BODY_CAMERA_TB_3_YEARS, schedule: TIER_SCHEDULES[name]! });
    const allStandard = cost('standard-only');
    expect(allStandard.storage.standard).toBeCloseTo(847.87, 2);
    expect(allStandard.total).toBeCloseTo(848.46, 2);
    expect(allStandard.objects).toBeCloseTo(2097.15, 2);
    expect(allStandard.requests.uploads).toBeCloseTo(0.357, 3);
    const target = cost('ir-30-deep-180');
    expect(target.total).toBeCloseTo(74.67, 2);
    expect(target.storage).toMatchObject({ standard: expect.closeTo(23.23, 2), glacierIr: expect.closeTo(20.2, 2), deepArchive: expect.closeTo(30.5, 2) });
    expect(target.requests.transitions).toBeCloseTo(0.147, 3);
    expect(target.total).toBeLessThanOrEqual(95);
    expect(cost('ir-30-deep-365').total).toBeCloseTo(93.41, 2);
    expect(cost('ir-90-deep-365').total).toBeCloseTo(131.79, 2);
    expect(cost('ir-30-deep-730').total).toBeCloseTo(130.39, 2);
    expect(cost('ir-90-deep-730').total).toBeCloseTo(168.77, 2);
    expect(cost('ir-30').total).toBeCloseTo(167.27, 2);
    expect(cost('ir-90').total).toBeCloseTo(205.65, 2);
    expect(cost('ir-90-deep-180').total).toBeCloseTo(113.05, 2);
  });

  it('prices the package copy of a closed case in GLACIER_IR after its week in STANDARD', () => {
    const c = storageCost({ ...BODY_CAMERA_TB_3_YEARS, tagsPerObject: 0, schedule: { glacierIrAfterDays: PACKAGES_GLACIER_IR_AFTER_DAYS } });
    expect(c.storage.standard).toBeCloseTo(5.42, 2);
    expect(c.storage.glacierIr).toBeCloseTo(146.51, 2);
    expect(c.total).toBeCloseTo(152.33, 2);
  });

  it('shows why routine footage kept 6 months goes to GLACIER_IR, never DEEP_ARCHIVE', () => {
    const sixMonths = (name: string) => storageCost({ ...BODY_CAMERA_TB_3_YEARS, months: 6, deletedAtEnd: true, schedule: TIER_SCHEDULES[name]! });
    expect(sixMonths('standard-only').total).toBeCloseTo(141.71, 2);
    expect(sixMonths('ir-30').total).toBeCloseTo(44.2, 2);
    expect(sixMonths('ir-30').earlyDeletion).toBe(0);
    // DEEP_ARCHIVE at day 180 and deleted at day 182.5: billed 180 days of DEEP_ARCHIVE for 2.5
    expect(sixMonths('ir-30-deep-180').earlyDeletion).toBeCloseTo(5.92, 2);
    expect(sixMonths('ir-30-deep-180').total).toBeGreaterThan(sixMonths('ir-30').total);
  });

  it("bills the rest of GLACIER_IR's 90 days when DEEP_ARCHIVE comes sooner, and rejects nonsense", () => {
    const early = storageCost({ ...BODY_CAMERA_TB_3_YEARS, schedule: { glacierIrAfterDays: 30, deepArchiveAfterDays: 90 } });
    expect(early.earlyDeletion).toBeCloseTo((1024 * US_EAST_1_PRICES.glacierIrPerGbMonth * 30) / (365 / 12), 6);
    expect(() => storageCost({ ...BODY_CAMERA_TB_3_YEARS, schedule: { glacierIrAfterDays: 90, deepArchiveAfterDays: 30 } })).toThrow(RangeError);
    expect(() => storageCost({ ...BODY_CAMERA_TB_3_YEARS, averageObjectMb: 0, schedule: {} })).toThrow(RangeError);
  });

  it('takes another price list (aws-cn bills in CNY) through the same formula', () => {
    const doubled = { ...US_EAST_1_PRICES, currency: 'X', standardPerGbMonth: US_EAST_1_PRICES.standardPerGbMonth * 2 };
    const a = storageCost({ ...BODY_CAMERA_TB_3_YEARS, schedule: {} });
    const b = storageCost({ ...BODY_CAMERA_TB_3_YEARS, schedule: {} }, doubled);
    expect(b.storage.standard).toBeCloseTo(2 * a.storage.standard, 6);
  });
});
