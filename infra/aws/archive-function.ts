import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Grants } from './access.ts';
import { nodejsBundling } from './bundling.ts';
import type { DataKey } from './keys.ts';
import type { PlatformLogs } from './logs.ts';
import { flattenForNag } from './nag.ts';

/** The repository root, wherever the app is started from. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the Lambda entry points live (docs/architecture.md §2: functions/<surface>/<name>.ts). */
export const functionEntry = (surface: 'http' | 'events' | 'clock' | 'jobs', name: string, root = join(REPO_ROOT, 'functions')) => join(root, surface, `${name}.ts`);

export const entryExists = (entry: string) => existsSync(entry);

export interface ArchiveFunctionProps {
  entry: string;
  description: string;
  environment: Record<string, string>;
  logs: PlatformLogs;
  /** the grants of this function (infra/aws/access.ts); nothing else is attached */
  grants: Grants;
  /** data keys whose key policy must deny this function's role the destructive actions */
  protectKeys: DataKey[];
  reservedConcurrency: number;
  memorySize?: number;
  timeout?: Duration;
  /** asynchronous invocations (S3 events) keep failed events in a dead-letter queue */
  deadLetterQueue?: boolean;
  /** why a function without a dead-letter queue needs none; the API functions' reason by default */
  noDeadLetterQueueReason?: string;
}

/**
 * One Lambda function of the platform: bundled with the shared esbuild options (infra/aws/bundling.ts),
 * Node 22 on arm64, its own log group (encrypted, NETWORK_LOG_RETENTION), its own role whose only
 * permissions are one customer managed policy listing exactly what the function needs. The role is
 * handed to Lambda without policy updates, so nothing (no CDK grant helper) can add to it silently.
 */
export class ArchiveFunction extends Construct {
  readonly fn: NodejsFunction;
  /** the handler's source file */
  readonly entry: string;
  readonly role: Role;
  readonly policy: ManagedPolicy;
  readonly deadLetterQueue?: Queue;

  constructor(scope: Construct, id: string, props: ArchiveFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.entry = props.entry;
    const logGroup = props.logs.group(this, 'Logs');
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`,
    });

    const statements = [new PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }), ...props.grants.statements];
    if (props.deadLetterQueue) {
      this.deadLetterQueue = new Queue(this, 'DeadLetters', {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      statements.push(new PolicyStatement({ sid: 'KeepFailedEvents', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));
    }
    this.policy = new ManagedPolicy(this, 'Policy', { roles: [this.role], statements, description: props.description });
    for (const key of props.protectKeys) key.protectFrom(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role.withoutPolicyUpdates(),
      logGroup,
      environment: props.environment,
      reservedConcurrentExecutions: props.reservedConcurrency,
      deadLetterQueue: this.deadLetterQueue,
      bundling: nodejsBundling(),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    });
    // the permissions must exist before the first invocation
    this.fn.node.addDependency(this.policy);

    for (const w of props.grants.wildcards) {
      Validations.of(this.policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattenForNag(stack.resolve(w.resource))}]`, reason: w.reason });
    }
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is the runtime docs/architecture.md §10 fixes for every function: the toolchain, the unit and integration ' +
        'tests and the embedded platform all run Node 22 (the "node" devDependency), so what is tested is what runs. ' +
        'Node 22 is a supported Lambda runtime; moving to a newer one is a deliberate toolchain change, not a synth default.',
    });
    Validations.of(this.fn).acknowledge({
      id: 'NIST.800.53.R5-LambdaInsideVPC',
      reason:
        'The functions reach only regional AWS service endpoints (DynamoDB, S3; the process functions also Step ' +
        'Functions, EventBridge Scheduler, SNS and SES) over TLS with IAM-signed requests ' +
        'and hold no VPC-private resources; the data is protected by IAM, key and bucket policies, not by network ' +
        'position. Attaching them to a VPC would add ENI management permissions on Resource::* without narrowing ' +
        'what the functions can reach.',
    });
    if (!props.deadLetterQueue) {
      Validations.of(this.fn).acknowledge({
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          props.noDeadLetterQueueReason ??
          'Invoked synchronously by API Gateway only: a failure is returned to the caller as an RFC 9457 problem ' +
            'and nothing is retried by Lambda, so a dead-letter queue (which only receives failed asynchronous ' +
            'invocations) would stay empty.',
      });
    }
  }
}
