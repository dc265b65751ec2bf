import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PROCESS_KINDS, type ProcessKind } from '../../shared/process/model.ts';
import { REPO_ROOT } from './archive-function.ts';
import type { DataKey } from './keys.ts';
import { NETWORK_LOG_RETENTION, type PlatformLogs } from './logs.ts';

/**
 * The deadline-bound processes (C1–C10, docs/rules.md) are the domain's PROCESS_KINDS, one Step Functions
 * Standard state machine each, defined in statemachines/<kind>.asl.json (docs/architecture.md §7). Every kind
 * must have its file and every file must be a kind, so a process can neither be dropped nor slip
 * in unnoticed.
 */
export { PROCESS_KINDS, type ProcessKind };

export const STATEMACHINES_ROOT = join(REPO_ROOT, 'statemachines');
export const ASL_SUFFIX = '.asl.json';

/** The only `${Token}` the ASL files may use: the Task handler of every state (functions/clock/process-clock.ts). */
export const CLOCK_FUNCTION_TOKEN = 'ProcessClockFunctionArn';

/** A Standard execution runs at most one year; longer clocks are deferred to EventBridge Scheduler. */
export const STANDARD_MAX_SECONDS = 365 * 24 * 60 * 60;

export const aslFile = (kind: string, root = STATEMACHINES_ROOT) => join(root, `${kind}${ASL_SUFFIX}`);

/** The kinds of the ASL files present in `root`. */
export const aslKinds = (root = STATEMACHINES_ROOT): string[] =>
  existsSync(root)
    ? readdirSync(root)
        .filter((f) => f.endsWith(ASL_SUFFIX))
        .map((f) => f.slice(0, -ASL_SUFFIX.length))
        .sort()
    : [];

/** Every `${Token}` of an ASL text, in order of first appearance. */
export const aslTokens = (asl: string): string[] => [...new Set([...asl.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!))];

/**
 * The kinds to deploy: PROCESS_KINDS, after checking statemachines/ holds exactly one file per
 * kind. Fails the synthesis with the missing or unexpected file names.
 */
export const processKinds = (root = STATEMACHINES_ROOT): ProcessKind[] => {
  const present = aslKinds(root);
  const missing = PROCESS_KINDS.filter((k) => !present.includes(k));
  const unexpected = present.filter((k) => !(PROCESS_KINDS as readonly string[]).includes(k));
  if (missing.length || unexpected.length) {
    throw new Error(
      `statemachines/ must hold one <kind>${ASL_SUFFIX} per process kind (infra/aws/process-machine.ts PROCESS_KINDS): ` +
        [missing.length ? `missing ${missing.map((k) => `${k}${ASL_SUFFIX}`).join(', ')}` : '', unexpected.length ? `not a process kind: ${unexpected.map((k) => `${k}${ASL_SUFFIX}`).join(', ')}` : '']
          .filter(Boolean)
          .join('; ') +
        ` (in ${root})`,
    );
  }
  return [...PROCESS_KINDS];
};

/**
 * The machine's name, fixed so that its ARN can be written before the machine exists: the clock
 * function is part of the machine's definition, while the jobs and HTTP functions that start and
 * stop executions must name the machine in their policies and environment. Referencing the
 * machine resource from those functions would close a dependency cycle.
 */
export const processMachineName = (stack: Stack, kind: string) => `${stack.stackName}-${kind}`;

export const processMachineArn = (stack: Stack, kind: string) =>
  stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: processMachineName(stack, kind), arnFormat: ArnFormat.COLON_RESOURCE_NAME });

/** Every execution of the machine (execution names are per process, chosen at StartExecution). */
export const processExecutionsArn = (stack: Stack, kind: string) =>
  stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${processMachineName(stack, kind)}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

/** What Step Functions needs to deliver execution logs (vended logs): these APIs take no resource ARN. */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;

/** What Step Functions needs to send X-Ray traces: X-Ray has no resource-level permissions for these. */
export const TRACING_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'] as const;

export interface ProcessStateMachineProps {
  kind: string;
  /** the ASL file; statemachines/<kind>.asl.json by default */
  aslPath?: string;
  /** the Task handler of every state (substituted for ${ProcessClockFunctionArn}) */
  clockFunction: IFunction;
  logs: PlatformLogs;
  /** data keys whose key policy must deny the machine's role the destructive actions */
  protectKeys: DataKey[];
}

/**
 * One deadline-process state machine: the ASL file as written (DefinitionBody.fromFile; its own
 * TimeoutSeconds is the top-level timeout), `${ProcessClockFunctionArn}` filled by CloudFormation,
 * Standard type, a fixed name (processMachineName), every event logged without execution data to
 * an encrypted log group kept NETWORK_LOG_RETENTION, X-Ray tracing on. Its role may invoke the
 * clock function and nothing else besides log delivery and tracing; like the functions' roles, it
 * gets one customer managed policy and is handed over without policy updates.
 *
 * The ASL is checked at synthesis: it must parse, and every `${Token}` in it must have a
 * substitution (CloudFormation would otherwise deploy the literal text and the machine would fail
 * at its first Task).
 */
export class ProcessStateMachine extends Construct {
  readonly machine: StateMachine;
  readonly role: Role;
  readonly policy: ManagedPolicy;
  readonly logGroup: LogGroup;
  readonly kind: string;
  readonly machineName: string;
  readonly aslPath: string;
  /** the substitutions handed to CloudFormation, by token */
  readonly substitutions: Record<string, string>;

  constructor(scope: Construct, id: string, props: ProcessStateMachineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.kind = props.kind;
    this.aslPath = props.aslPath ?? aslFile(props.kind);
    this.machineName = processMachineName(stack, props.kind);
    this.substitutions = { [CLOCK_FUNCTION_TOKEN]: props.clockFunction.functionArn };
    checkAsl(this.aslPath, this.substitutions);

    const machineArn = processMachineArn(stack, props.kind);
    this.role = new Role(this, 'Role', {
      // confused-deputy guard: only this machine, in this account, can assume the role
      assumedBy: new ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': machineArn } },
      }),
      description: `Enforcement archive: state machine ${this.machineName} (execution role)`,
    });
    this.policy = new ManagedPolicy(this, 'Policy', {
      roles: [this.role],
      description: `Enforcement archive: state machine ${this.machineName}`,
      statements: [
        new PolicyStatement({ sid: 'InvokeProcessClock', actions: ['lambda:InvokeFunction'], resources: [props.clockFunction.functionArn] }),
        new PolicyStatement({ sid: 'DeliverExecutionLogs', actions: [...LOG_DELIVERY_ACTIONS], resources: ['*'] }),
        new PolicyStatement({ sid: 'SendTraces', actions: [...TRACING_ACTIONS], resources: ['*'] }),
      ],
    });
    for (const key of props.protectKeys) key.protectFrom(this.role);

    this.logGroup = new LogGroup(this, 'Logs', {
      // the /aws/vendedlogs/ prefix keeps CloudWatch Logs from adding every machine's log group to
      // the account's (size-limited) log delivery resource policy. Retained like every log group: a
      // stack re-created under the same name must first remove or import the old group.
      logGroupName: `/aws/vendedlogs/states/${this.machineName}`,
      retention: NETWORK_LOG_RETENTION,
      encryptionKey: props.logs.key.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.machine = new StateMachine(this, 'Machine', {
      stateMachineName: this.machineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(this.aslPath),
      definitionSubstitutions: this.substitutions,
      role: this.role.withoutPolicyUpdates(),
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // Step Functions checks the log delivery permissions when the machine is created
    this.machine.node.addDependency(this.policy);

    Validations.of(this.policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only log delivery and X-Ray tracing use Resource::*: the CloudWatch Logs vended-log delivery APIs ' +
        '(CreateLogDelivery and the rest, as the Step Functions guide lists them) and X-Ray PutTraceSegments/' +
        'PutTelemetryRecords/GetSampling* accept no resource ARN. Each action is listed (no wildcard action); ' +
        'the one data-plane permission, lambda:InvokeFunction, names the clock function.',
    });
  }
}

/** Fail with a clear message if the ASL does not parse or uses a `${Token}` without a substitution. */
export const checkAsl = (path: string, substitutions: Record<string, string>): void => {
  if (!existsSync(path)) throw new Error(`state machine definition ${path} does not exist`);
  const text = readFileSync(path, 'utf8');
  try {
    JSON.parse(text);
  } catch (e) {
    throw new Error(`state machine definition ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const unknown = aslTokens(text).filter((t) => !(t in substitutions));
  if (unknown.length) {
    throw new Error(
      `state machine definition ${path} uses ${unknown.map((t) => `\${${t}}`).join(', ')} without a definition substitution ` +
        `(known: ${Object.keys(substitutions)
          .map((t) => `\${${t}}`)
          .join(', ')}; infra/aws/process-machine.ts)`,
    );
  }
};
