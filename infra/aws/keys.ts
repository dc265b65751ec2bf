import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ArnPrincipal, Effect, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Key-management actions no application role may ever perform on a data key, whatever IAM policy
 * a later change might attach to it: disabling or scheduling deletion of the key makes every archive
 * record or recording under it unreadable, which is destruction without a disposition (docs/security.md §4).
 */
export const DESTRUCTIVE_KEY_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy'] as const;

/**
 * A customer managed KMS key for one kind of data, rotated yearly and retained with the stack. The
 * key policy keeps the CDK default (the account administers the key through IAM) and adds an
 * explicit deny of DESTRUCTIVE_KEY_ACTIONS for every application role registered with `protectFrom`.
 */
export class DataKey extends Construct {
  readonly key: Key;
  private readonly denyDestructive: PolicyStatement;
  private readonly protectedRoles = new Set<string>();

  constructor(scope: Construct, id: string, props: { description: string; alias: string }) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: props.description,
      alias: props.alias,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.denyDestructive = new PolicyStatement({
      sid: 'DenyApplicationRolesDestructiveKeyActions',
      effect: Effect.DENY,
      actions: [...DESTRUCTIVE_KEY_ACTIONS],
      resources: ['*'],
    });
  }

  /** Deny the role the destructive key actions in the key policy itself. */
  protectFrom(role: IRole): void {
    if (this.protectedRoles.size === 0) this.key.addToResourcePolicy(this.denyDestructive);
    if (this.protectedRoles.has(role.node.path)) return;
    this.protectedRoles.add(role.node.path);
    this.denyDestructive.addPrincipals(new ArnPrincipal(role.roleArn));
  }
}
