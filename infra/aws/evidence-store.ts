import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, HttpMethods, type LifecycleRule, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type ColdStorageClass, DERIVED_NONCURRENT_EXPIRE_DAYS, EVIDENCE_PREFIXES, TIER_RULES, WRITE_ONCE_PREFIXES } from '../../shared/evidence/tiers.ts';
import { DataKey } from './keys.ts';

/** Uploaded attachments live under this prefix; the arrival function watches it. */
export const ATTACHMENTS_PREFIX = 'attachments/';

/** A multipart upload the client never completed is dropped after this long (its parts cost money and are never evidence). */
export const ABORT_INCOMPLETE_UPLOADS_AFTER = Duration.days(7);

const STORAGE_CLASS: Record<ColdStorageClass, StorageClass> = {
  GLACIER_IR: StorageClass.GLACIER_INSTANT_RETRIEVAL,
  DEEP_ARCHIVE: StorageClass.DEEP_ARCHIVE,
};

/**
 * The bucket's lifecycle (shared/evidence/tiers.ts): incomplete multipart uploads aborted
 * everywhere; originals moved to colder classes by their `tier-schedule` tag; packages to
 * DEEP_ARCHIVE; noncurrent versions of derived copies removed. No rule expires a current version,
 * and no rule touches noncurrent versions under `evidence/`: an original is destroyed only by the
 * disposition (infra/aws/access.ts). S3 lifecycle would skip a version under Object Lock anyway,
 * but not one whose retention has lapsed, and that one still needs its approved disposition.
 */
export const EVIDENCE_LIFECYCLE_RULES: LifecycleRule[] = [
  { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: ABORT_INCOMPLETE_UPLOADS_AFTER },
  ...TIER_RULES.map(
    (r): LifecycleRule => ({
      id: r.id,
      prefix: r.prefix,
      ...(r.tag ? { tagFilters: { [r.tag.key]: r.tag.value } } : {}),
      transitions: r.transitions.map((t) => ({ storageClass: STORAGE_CLASS[t.storageClass], transitionAfter: Duration.days(t.afterDays) })),
    }),
  ),
  { id: 'derived-noncurrent-versions', prefix: EVIDENCE_PREFIXES.derived, noncurrentVersionExpiration: Duration.days(DERIVED_NONCURRENT_EXPIRE_DAYS) },
];

/**
 * The bucket policy's half of "an original is written once" (D7; issue 8): a PutObject or
 * CompleteMultipartUpload (s3:ObjectCreationOperation; CreateMultipartUpload and UploadPart carry
 * no condition headers and are exempt) under WRITE_ONCE_PREFIXES without `If-None-Match: *` is
 * denied to everyone, so S3 itself refuses a second write of a stored key (412) — a presigned upload
 * URL replayed after its upload included, which no one can revoke. A copy onto those keys is denied
 * too (S3 has no conditional copy). What a stray write could still do in spite of it (a new version
 * beside the verified one) is covered by Object Lock on the verified version, reads by VersionId and
 * the ingest treating the event as tampering (shared/evidence/tamper.ts). The embedded platform's
 * S3 guard (infra/local/s3-guard.ts) enforces the same list.
 */
export const writeOnceStatement = (bucketArn: string) =>
  new PolicyStatement({
    sid: 'DenyUnconditionalWritesOfWriteOnceKeys',
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: WRITE_ONCE_PREFIXES.map((prefix) => `${bucketArn}/${prefix}*`),
    conditions: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } },
  });

export interface EvidenceStoreProps {
  /** fixed name: the arrival notification and the functions refer to the bucket by name (see below) */
  bucketName: string;
  /** browser console origins allowed to PUT presigned uploads; none = no CORS */
  allowedOrigins: string[];
}

/**
 * The evidence bucket (docs/architecture.md §10): versioning and Object Lock so a recording can be put under
 * legal hold (D4) or retention (D3) once the use cases ask for it, SSE-KMS with a rotated customer
 * managed key, TLS only, no public access, stale multipart uploads aborted, lifecycle transitions
 * by tier-schedule tag (EVIDENCE_LIFECYCLE_RULES), and server access logs in a separate bucket.
 * Retained when the stack goes.
 *
 * Object Lock is enabled WITHOUT a default retention, on purpose. A default retention would lock
 * every new version of every prefix for the same fixed period before the code has decided anything:
 * a COMPLIANCE default could never be shortened to the item's real period (the ingest sets the
 * per-version retention from the D3/D4 decision and can only extend), a GOVERNANCE default could be
 * lifted only by s3:BypassGovernanceRetention, which nobody is granted; it would also lock derived
 * copies and attachments that have no retention of their own, and make S3 demand Content-MD5 or a
 * checksum header on every PUT and UploadPart, which the presigned part URLs do not carry. Each
 * original, package and anchor gets its own COMPLIANCE retention and legal hold from the code that
 * writes or ingests it (shared/evidence/tiers.ts OBJECT_LOCK_MODE).
 *
 * The bucket has a fixed name so that the arrival notification can be declared on the bucket
 * itself: a notification needs the function's invoke permission first, and that permission names
 * the bucket; with a generated name the two would depend on each other. A fixed name also spares
 * the CDK notifications custom resource (an extra Lambda with s3:PutBucketNotification on `*`).
 */
export class EvidenceStore extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly key: DataKey;
  readonly bucketName: string;
  /** the bucket ARN built from its name (no reference to the bucket resource) */
  readonly bucketArn: string;
  private readonly createdNotifications: { prefix: string; functionArn: string }[] = [];

  constructor(scope: Construct, id: string, props: EvidenceStoreProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bucketName = props.bucketName;
    this.bucketArn = stack.formatArn({ service: 's3', region: '', account: '', resource: props.bucketName });
    this.key = new DataKey(this, 'Key', { description: 'Enforcement archive: evidence and attachment encryption (S3)', alias: `alias/${stack.stackName}/evidence` });

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // S3 server access logging delivers only to buckets with SSE-S3 (not SSE-KMS) default encryption
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [rule, reason] of [
      ['AwsSolutions-S1', "This bucket receives the evidence bucket's server access logs; logging it into itself would loop and into a third bucket only moves the question."],
      ['NIST.800.53.R5-S3BucketLoggingEnabled', "This bucket receives the evidence bucket's server access logs; logging it into itself would loop."],
      ['NIST.800.53.R5-S3DefaultEncryptionKMS', 'S3 server access log delivery supports only SSE-S3 default encryption on the target bucket, not SSE-KMS.'],
      ['NIST.800.53.R5-S3BucketReplicationEnabled', 'Access logs stay in the region of the data they describe (data residency); versioning and retention protect them.'],
    ] as const) {
      Validations.of(this.accessLogs).acknowledge({ id: rule, reason });
    }

    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      versioned: true,
      objectLockEnabled: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      // no objectLockDefaultRetention: see the class comment
      lifecycleRules: EVIDENCE_LIFECYCLE_RULES,
      cors: props.allowedOrigins.length
        ? [
            {
              allowedOrigins: props.allowedOrigins,
              allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
              allowedHeaders: ['*'],
              exposedHeaders: ['ETag'],
              maxAge: 3600,
            },
          ]
        : undefined,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket.addToResourcePolicy(writeOnceStatement(this.bucket.bucketArn));
    Validations.of(this.bucket).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason:
        'Recordings are kept in the deployment region by design (data residency of law-enforcement evidence); ' +
        'durability comes from S3 itself, versioning and Object Lock. Cross-region replication is a separate, ' +
        'approved decision per agency, not a default.',
    });
  }

  /** ARN of objects under a key prefix, e.g. objectArn('attachments/*'). */
  objectArn(pattern: string): string {
    return `${this.bucketArn}/${pattern}`;
  }

  /**
   * Invoke `fn` when an object is created under `prefix` (ATTACHMENTS_PREFIX, EVIDENCE_PREFIXES.originals).
   * S3 refuses overlapping prefixes for the same event type, so they are refused here already.
   */
  notifyOnCreated(prefix: string, fn: IFunction): void {
    const stack = Stack.of(this);
    const overlapping = this.createdNotifications.find((n) => n.prefix.startsWith(prefix) || prefix.startsWith(n.prefix));
    if (overlapping) throw new Error(`ObjectCreated notification on "${prefix}" overlaps the one on "${overlapping.prefix}"`);
    fn.addPermission('InvokeFromEvidenceBucket', {
      principal: new ServicePrincipal('s3.amazonaws.com'),
      sourceArn: this.bucketArn,
      sourceAccount: stack.account,
    });
    const permission = fn.permissionsNode.findChild('InvokeFromEvidenceBucket');
    this.createdNotifications.push({ prefix, functionArn: fn.functionArn });
    const cfn = this.bucket.node.defaultChild as CfnBucket;
    cfn.notificationConfiguration = {
      lambdaConfigurations: this.createdNotifications.map((n) => ({
        event: 's3:ObjectCreated:*',
        function: n.functionArn,
        filter: { s3Key: { rules: [{ name: 'prefix', value: n.prefix }] } },
      })),
    };
    // S3 checks that it may invoke the function when the configuration is written
    this.bucket.node.addDependency(permission);
  }
}
