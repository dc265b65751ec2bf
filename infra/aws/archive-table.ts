import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLE } from '../../shared/adapters/dynamodb/table.ts';
import { DataKey } from './keys.ts';

/**
 * The single archive table (shared/adapters/dynamodb/table.ts is the one description of its keys):
 * on demand, point-in-time recovery, deletion protection, a customer managed key, retained with
 * the stack. The stream carries new images: the deadline-process jobs function consumes the
 * transactional outbox (`OUTBOX#…` inserts) from it (infra/aws/process-jobs.ts). An AWS Backup plan adds daily (35 days)
 * and monthly (1 year) recovery points on top of PITR's 35-day window.
 */
export class ArchiveTable extends Construct {
  readonly table: Table;
  readonly key: DataKey;
  /** ARNs of the GSIs, listed one by one so no grant needs an `index/*` wildcard */
  readonly indexArns: string[];
  readonly backupRole: IRole;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new DataKey(this, 'Key', { description: 'Enforcement archive: archive table encryption (DynamoDB)', alias: `alias/${stack.stackName}/archive-table` });

    const s = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      partitionKey: s(TABLE.partitionKey),
      sortKey: s(TABLE.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key.key,
      timeToLiveAttribute: TABLE.ttlAttribute,
      // the outbox consumer (infra/aws/process-jobs.ts) reads inserted items; no old images needed
      stream: StreamViewType.NEW_IMAGE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: s(index.partitionKey),
        sortKey: s(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
    this.indexArns = TABLE.indexes.map((i) => `${this.table.tableArn}/index/${i.name}`);

    const vault = new BackupVault(this, 'BackupVault', { encryptionKey: this.key.key, removalPolicy: RemovalPolicy.RETAIN });
    const plan = BackupPlan.dailyMonthly1YearRetention(this, 'BackupPlan', vault);
    const selection = plan.addSelection('Table', { resources: [BackupResource.fromDynamoDbTable(this.table)] });
    this.backupRole = selection.grantPrincipal as IRole;
    this.key.protectFrom(this.backupRole);
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        'AWS Backup assumes this role to snapshot the archive table. AWSBackupServiceRolePolicyForBackup is the ' +
        'service policy AWS maintains for exactly that job (it tracks the backup APIs of every resource type); ' +
        'the role trusts only backup.amazonaws.com and is denied destructive actions on the table key.',
    });
  }
}
