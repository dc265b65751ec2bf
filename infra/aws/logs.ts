import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DataKey } from './keys.ts';

/**
 * 网络安全法 art. 21 (Cybersecurity Law): network operators keep the logs of network operation and
 * security events for no less than six months. Every log group of the platform (function logs,
 * API access logs) keeps its events at least that long.
 */
export const NETWORK_LOG_RETENTION = RetentionDays.SIX_MONTHS;

/** The minimum of NETWORK_LOG_RETENTION in days, for the tests. */
export const NETWORK_LOG_MIN_DAYS = 180;

/**
 * The platform's log groups, all encrypted with one customer managed key. CloudWatch Logs encrypts
 * with the key on the log group's behalf, so the key policy admits the regional Logs service, and
 * only for log groups of this account and region (the encryption-context condition).
 */
export class PlatformLogs extends Construct {
  readonly key: DataKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new DataKey(this, 'Key', { description: 'Enforcement archive: CloudWatch Logs encryption', alias: `alias/${stack.stackName}/logs` });
    this.key.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccount',
        // the regional Logs principal; in aws-cn the domain is amazonaws.com.cn, hence the URL suffix
        principals: [new ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  /** A log group kept NETWORK_LOG_RETENTION, encrypted, and retained when the stack goes. */
  group(scope: Construct, id: string): LogGroup {
    return new LogGroup(scope, id, {
      retention: NETWORK_LOG_RETENTION,
      encryptionKey: this.key.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
