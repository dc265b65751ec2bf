import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE } from '../../shared/adapters/dynamodb/table.ts';
import { EVIDENCE_ARRIVED_FUNCTION } from '../../infra/aws/evidence-jobs.ts';
import { ATTACHMENTS_PREFIX } from '../../infra/aws/evidence-store.ts';
import { EVIDENCE_PREFIXES } from '../../shared/evidence/tiers.ts';
import { DESTRUCTIVE_KEY_ACTIONS } from '../../infra/aws/keys.ts';
import { NETWORK_LOG_MIN_DAYS } from '../../infra/aws/logs.ts';
import { PARTITION_REGIONS, resourcesOf, removeAssembly, type Synthesized, synthesize } from './synth.ts';

/** The archive table, the evidence bucket, the keys and the log groups, in both partitions. */
describe.each([PARTITION_REGIONS.global, PARTITION_REGIONS.chinaBeijing])('data stores in %s', (region) => {
  let s: Synthesized;
  const id = (c: { node: { defaultChild?: unknown } }) => s.stack.getLogicalId(c.node.defaultChild as CfnElement);
  beforeAll(() => {
    s = synthesize(region, { bundle: false });
  });
  afterAll(() => removeAssembly(s));

  describe('evidence bucket', () => {
    const evidence = () => s.template.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } });

    it('is versioned with Object Lock enabled and retained', () => {
      const buckets = Object.values(evidence());
      expect(buckets).toHaveLength(1);
      expect(buckets[0]).toMatchObject({
        Properties: { VersioningConfiguration: { Status: 'Enabled' }, ObjectLockEnabled: true },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('is encrypted with SSE-KMS under its own rotated key', () => {
      const [bucket] = Object.values(evidence());
      expect(bucket?.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        {
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [id(s.stack.evidence.key.key), 'Arn'] } },
          BucketKeyEnabled: true,
        },
      ]);
      const key = s.template.toJSON().Resources[id(s.stack.evidence.key.key)];
      expect(key.Properties.EnableKeyRotation).toBe(true);
    });

    it('blocks all public access', () => {
      const [bucket] = Object.values(evidence());
      expect(bucket?.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    });

    it('aborts incomplete multipart uploads after 7 days', () => {
      const [bucket] = Object.values(evidence());
      expect(bucket?.Properties.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }));
    });

    it('refuses every request that is not TLS', () => {
      s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id(s.stack.evidence.bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('writes server access logs to a separate, private, retained log bucket', () => {
      const [bucket] = Object.values(evidence());
      const logBucketId = id(s.stack.evidence.accessLogs);
      expect(bucket?.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 'evidence/' });
      expect(s.template.toJSON().Resources[logBucketId]).toMatchObject({
        Properties: {
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          VersioningConfiguration: { Status: 'Enabled' },
        },
        DeletionPolicy: 'Retain',
      });
    });

    it('sends ObjectCreated under attachments/ to the attachment-arrived function (and evidence/ to the ingest once it exists), after granting them', () => {
      const arrived = s.stack.functions.get('Event-attachment-arrived');
      expect(arrived, 'functions/events/attachment-arrived.ts exists, so its function does').toBeDefined();
      const ingest = s.stack.functions.get(EVIDENCE_ARRIVED_FUNCTION.id);
      const watched = [[ATTACHMENTS_PREFIX, arrived!] as const, ...(ingest ? [[EVIDENCE_PREFIXES.originals, ingest] as const] : [])];
      const [bucketId, bucket] = Object.entries(evidence())[0]!;
      expect(bucket.Properties.NotificationConfiguration).toEqual({
        LambdaConfigurations: watched.map(([prefix, f]) => ({
          Event: 's3:ObjectCreated:*',
          Function: { 'Fn::GetAtt': [id(f.fn), 'Arn'] },
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: prefix }] } },
        })),
      });
      const permissions = resourcesOf(s.template, 'AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 's3.amazonaws.com');
      expect(permissions).toHaveLength(watched.length);
      for (const [, f] of watched) {
        const [permissionId, permission] = permissions.find(([, p]) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [id(f.fn), 'Arn'] }))!;
        expect(permission.Properties.SourceAccount).toBe(s.stack.account);
        expect(permission.Properties.SourceArn).toEqual(s.stack.resolve(s.stack.evidence.bucketArn));
        expect(s.template.toJSON().Resources[bucketId].DependsOn).toContain(permissionId);
      }
      expect(bucket.Properties.BucketName).toBe(s.stack.evidence.bucketName);
    });
  });

  describe('archive table', () => {
    const table = () => {
      const tables = resourcesOf(s.template, 'AWS::DynamoDB::Table');
      expect(tables).toHaveLength(1);
      return s.template.toJSON().Resources[tables[0]![0]];
    };

    it('has the keys and indexes of shared/adapters/dynamodb/table.ts, all strings, projection ALL', () => {
      const t = table();
      expect(t.Properties.KeySchema).toEqual([
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ]);
      expect(t.Properties.GlobalSecondaryIndexes).toEqual(
        TABLE.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      );
      const names = [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
      expect(t.Properties.AttributeDefinitions).toEqual(expect.arrayContaining(names.map((n) => ({ AttributeName: n, AttributeType: 'S' }))));
      expect(t.Properties.AttributeDefinitions).toHaveLength(names.length);
    });

    it('is on demand, with PITR and deletion protection, retained', () => {
      expect(table()).toMatchObject({
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('is encrypted with its own customer managed, rotated key', () => {
      const keyId = id(s.stack.table.key.key);
      expect(table().Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      expect(s.template.toJSON().Resources[keyId].Properties.EnableKeyRotation).toBe(true);
    });

    it('expires items by the TTL attribute and streams new images (the process outbox, processes.test.ts)', () => {
      const t = table();
      expect(t.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.ttlAttribute, Enabled: true });
      expect(t.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    });

    it('is in an AWS Backup plan', () => {
      s.template.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: { Resources: [{ 'Fn::GetAtt': [id(s.stack.table.table), 'Arn'] }] },
      });
    });
  });

  describe('keys', () => {
    it('are all rotated and retained', () => {
      const keys = resourcesOf(s.template, 'AWS::KMS::Key');
      expect(keys.length).toBeGreaterThanOrEqual(3);
      for (const [, k] of keys) {
        expect(k.Properties.EnableKeyRotation).toBe(true);
        expect(k.DeletionPolicy).toBe('Retain');
      }
    });

    it('deny every application role the destructive key actions in the key policy', () => {
      const roleIds = [...s.stack.functions.values()].map((f) => ({ 'Fn::GetAtt': [id(f.role), 'Arn'] }));
      expect(roleIds.length).toBeGreaterThanOrEqual(8);
      for (const key of [s.stack.table.key.key, s.stack.evidence.key.key]) {
        const policy = s.template.toJSON().Resources[id(key)].Properties.KeyPolicy;
        const deny = policy.Statement.find((st: { Effect: string }) => st.Effect === 'Deny');
        expect(deny.Action).toEqual([...DESTRUCTIVE_KEY_ACTIONS]);
        expect(deny.Principal.AWS).toEqual(expect.arrayContaining(roleIds));
        // no statement of the key policy lets an application role do anything
        const allows = policy.Statement.filter((st: { Effect: string }) => st.Effect === 'Allow');
        for (const role of roleIds) expect(JSON.stringify(allows)).not.toContain(JSON.stringify(role));
      }
    });
  });

  describe('log groups', () => {
    it(`keep events at least ${NETWORK_LOG_MIN_DAYS} days, encrypted, retained`, () => {
      const groups = resourcesOf(s.template, 'AWS::Logs::LogGroup');
      // one per function, the API access log, one per process state machine and the console deployment's (infra/aws/console-hosting.ts)
      expect(groups.length).toBe(s.stack.functions.size + 1 + s.stack.machines.size + 1);
      for (const [, g] of groups) {
        expect(g.Properties.RetentionInDays).toBeGreaterThanOrEqual(NETWORK_LOG_MIN_DAYS);
        expect(g.Properties.KmsKeyId).toBeDefined();
        expect(g.DeletionPolicy).toBe('Retain');
      }
    });
  });
});
