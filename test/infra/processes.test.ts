import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE } from '../../shared/adapters/dynamodb/table.ts';
import type { RouteGroup } from '../../shared/http/contract.ts';
import { grantsFor, HTTP_GROUP_ACCESS, PROCESS_CLOCK_ACCESS, PROCESS_JOBS_ACCESS } from '../../infra/aws/access.ts';
import { ArchiveTable } from '../../infra/aws/archive-table.ts';
import { HTTP_GROUPS } from '../../infra/aws/archive-stack.ts';
import { EvidenceStore } from '../../infra/aws/evidence-store.ts';
import { NETWORK_LOG_MIN_DAYS, PlatformLogs } from '../../infra/aws/logs.ts';
import { FEATURE_FLAGS } from '../../infra/aws/platform.ts';
import { notificationChannels, OUTBOX_PREFIX, OUTBOX_RETRY_ATTEMPTS, PROCESS_CLOCK_FUNCTION, PROCESS_JOBS_FUNCTION, ProcessJobs, RECONCILE_INPUT } from '../../infra/aws/process-jobs.ts';
import {
  aslFile,
  aslKinds,
  aslTokens,
  CLOCK_FUNCTION_TOKEN,
  LOG_DELIVERY_ACTIONS,
  PROCESS_KINDS,
  ProcessStateMachine,
  processKinds,
  STANDARD_MAX_SECONDS,
  TRACING_ACTIONS,
} from '../../infra/aws/process-machine.ts';
import { settingsFrom } from '../../infra/aws/settings.ts';
import { PARTITION_REGIONS, resourcesOf, removeAssembly, type Synthesized, synthesize } from './synth.ts';

/**
 * The deadline-bound processes in AWS (infra/aws/process-machine.ts, process-jobs.ts), in both
 * partitions: one Standard state machine per ASL file, logged and traced, every ASL token
 * substituted, machine roles that can only invoke the clock, the outbox stream mapping, the
 * reconcile schedule, and least privilege for everything that starts, stops or schedules.
 */
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string };
const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const actionsOf = (st: Statement) => asArray(st.Action);

/** Evaluate the intrinsics CDK puts in these templates (Fn::Join, Ref of pseudo parameters). */
const evaluate = (v: unknown, pseudo: Record<string, string>): unknown => {
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o['Fn::Join'])) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => evaluate(p, pseudo)).join(sep);
  }
  if (typeof o.Ref === 'string' && o.Ref in pseudo) return pseudo[o.Ref];
  return v;
};

/** Every state of an ASL document, nested ones (Parallel branches, Map iterators) included. */
const statesOf = (asl: Record<string, any>): Record<string, any>[] => {
  const out: Record<string, any>[] = [];
  const walk = (states: Record<string, any> | undefined) => {
    for (const st of Object.values(states ?? {})) {
      out.push(st);
      for (const b of st.Branches ?? []) walk(b.States);
      walk(st.Iterator?.States);
      walk(st.ItemProcessor?.States);
    }
  };
  walk(asl.States);
  return out;
};

describe.each([PARTITION_REGIONS.global, PARTITION_REGIONS.chinaBeijing])('deadline processes in %s', (region) => {
  let s: Synthesized;
  let resources: Record<string, Resource>;
  const id = (c: { node: { defaultChild?: unknown } }) => s.stack.getLogicalId(c.node.defaultChild as CfnElement);
  const fnOf = (name: string) => s.stack.functions.get(name)!;
  const statementsOfPolicy = (policyId: string) => resources[policyId]!.Properties.PolicyDocument.Statement as Statement[];
  const statementsOf = (name: string) => statementsOfPolicy(id(fnOf(name).policy));
  const envOf = (name: string) => resources[id(fnOf(name).fn)]!.Properties.Environment.Variables as Record<string, unknown>;
  const machines = () => resourcesOf(s.template, 'AWS::StepFunctions::StateMachine');
  const pseudo = () => ({ 'AWS::Partition': s.partition, 'AWS::Region': region, 'AWS::AccountId': s.stack.account });

  beforeAll(() => {
    s = synthesize(region, { bundle: false });
    resources = s.template.toJSON().Resources;
  });
  afterAll(() => removeAssembly(s));

  describe('state machines', () => {
    it('builds one Standard state machine per ASL file in statemachines/, named <stack>-<kind>', () => {
      expect(s.error?.message).toBeUndefined();
      const kinds = aslKinds();
      expect(kinds).toEqual([...PROCESS_KINDS].sort());
      expect([...s.stack.machines.keys()].sort()).toEqual(kinds);
      const names = machines()
        .map(([, m]) => m.Properties.StateMachineName as string)
        .sort();
      expect(names).toEqual(kinds.map((k) => `${s.stack.stackName}-${k}`).sort());
      for (const [, m] of machines()) expect(m.Properties.StateMachineType).toBe('STANDARD');
    });

    it('deploys each ASL file as written, with its own top-level TimeoutSeconds within what a Standard execution may run', () => {
      for (const [kind, m] of s.stack.machines) {
        const p = resources[id(m.machine)]!.Properties;
        expect(p.DefinitionS3Location, kind).toBeDefined();
        expect(p.Definition ?? p.DefinitionString, kind).toBeUndefined();
        const asl = JSON.parse(readFileSync(aslFile(kind), 'utf8')) as { TimeoutSeconds?: number };
        expect(Number.isInteger(asl.TimeoutSeconds), kind).toBe(true);
        expect(asl.TimeoutSeconds!, kind).toBeGreaterThan(0);
        expect(asl.TimeoutSeconds!, kind).toBeLessThanOrEqual(STANDARD_MAX_SECONDS);
      }
    });

    it('logs every event without execution data to an encrypted log group kept at least 180 days, and traces with X-Ray', () => {
      const logsKey = resources[id(s.stack.api.accessLogs)]!.Properties.KmsKeyId;
      for (const [kind, m] of s.stack.machines) {
        const p = resources[id(m.machine)]!.Properties;
        expect(p.LoggingConfiguration, kind).toEqual({
          Level: 'ALL',
          IncludeExecutionData: false,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [id(m.logGroup), 'Arn'] } } }],
        });
        expect(p.TracingConfiguration, kind).toEqual({ Enabled: true });
        const group = resources[id(m.logGroup)]!;
        expect(group.Properties.KmsKeyId, kind).toEqual(logsKey);
        expect(group.Properties.RetentionInDays, kind).toBeGreaterThanOrEqual(NETWORK_LOG_MIN_DAYS);
        expect(group.Properties.LogGroupName, kind).toBe(`/aws/vendedlogs/states/${s.stack.stackName}-${kind}`);
        expect(group.DeletionPolicy, kind).toBe('Retain');
      }
    });

    it('substitutes every ${Token} of every ASL file, and every Task runs the clock function', () => {
      const clockArn = { 'Fn::GetAtt': [id(fnOf(PROCESS_CLOCK_FUNCTION.id).fn), 'Arn'] };
      for (const kind of aslKinds()) {
        const text = readFileSync(aslFile(kind), 'utf8');
        const substitutions = resources[id(s.stack.machines.get(kind)!.machine)]!.Properties.DefinitionSubstitutions as Record<string, unknown>;
        const tokens = aslTokens(text);
        expect(tokens, kind).toEqual([CLOCK_FUNCTION_TOKEN]);
        for (const t of tokens) expect(Object.keys(substitutions), `\${${t}} in ${kind}`).toContain(t);
        expect(substitutions[CLOCK_FUNCTION_TOKEN], kind).toEqual(clockArn);
        const tasks = statesOf(JSON.parse(text) as Record<string, any>).filter((st) => st.Type === 'Task');
        expect(tasks.length, kind).toBeGreaterThan(0);
        for (const t of tasks) expect(t.Resource, kind).toBe(`\${${CLOCK_FUNCTION_TOKEN}}`);
      }
    });

    it('gives each machine its own role that can invoke the clock function and nothing else (besides log delivery and tracing)', () => {
      const clockArn = { 'Fn::GetAtt': [id(fnOf(PROCESS_CLOCK_FUNCTION.id).fn), 'Arn'] };
      const policies = resourcesOf(s.template, 'AWS::IAM::ManagedPolicy');
      for (const [kind, m] of s.stack.machines) {
        const roleId = id(m.role);
        const role = resources[roleId]!.Properties;
        expect(resources[id(m.machine)]!.Properties.RoleArn, kind).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
        expect(role.ManagedPolicyArns, kind).toBeUndefined();
        expect(role.Policies, kind).toBeUndefined();
        const [trust] = role.AssumeRolePolicyDocument.Statement as Statement[] & { Principal: unknown }[];
        expect((trust as unknown as { Principal: unknown }).Principal, kind).toEqual({ Service: 'states.amazonaws.com' });
        expect(evaluate(trust!.Condition?.ArnLike?.['aws:SourceArn'], pseudo()), kind).toBe(`arn:${s.partition}:states:${region}:${s.stack.account}:stateMachine:${s.stack.stackName}-${kind}`);
        const attached = policies.filter(([, p]) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })));
        expect(
          attached.map(([pid]) => pid),
          kind,
        ).toEqual([id(m.policy)]);
        const statements = statementsOfPolicy(id(m.policy));
        const lambda = statements.filter((st) => actionsOf(st).some((a) => a.startsWith('lambda:')));
        expect(lambda, kind).toEqual([expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: clockArn })]);
        for (const st of statements.filter((x) => !lambda.includes(x))) {
          for (const a of actionsOf(st)) expect([...LOG_DELIVERY_ACTIONS, ...TRACING_ACTIONS], `${kind}: ${a}`).toContain(a);
        }
      }
    });
  });

  describe('functions and schedules', () => {
    it('starts executions only of the process machines, and stops or describes only their executions', () => {
      const machineArns = [...s.stack.machines.keys()].map((k) => `arn:${s.partition}:states:${region}:${s.stack.account}:stateMachine:${s.stack.stackName}-${k}`);
      const executionArns = machineArns.map((a) => `${a.replace(':stateMachine:', ':execution:')}:*`);
      const withStates = new Map<string, string[]>();
      for (const [pid, p] of resourcesOf(s.template, 'AWS::IAM::ManagedPolicy')) {
        for (const st of statementsOfPolicy(pid).filter((x) => actionsOf(x).some((a) => a.startsWith('states:')))) {
          withStates.set(pid, [...(withStates.get(pid) ?? []), ...actionsOf(st)]);
          const targets = asArray(st.Resource).map((r) => evaluate(r, pseudo()));
          if (actionsOf(st).includes('states:StartExecution')) {
            expect(actionsOf(st)).toEqual(['states:StartExecution']);
            expect(targets.sort()).toEqual([...machineArns].sort());
          } else {
            for (const a of actionsOf(st)) expect(['states:StopExecution', 'states:DescribeExecution']).toContain(a);
            expect(targets.sort()).toEqual([...executionArns].sort());
          }
        }
      }
      const expected = new Map<string, string[]>([[id(fnOf(PROCESS_JOBS_FUNCTION.id).policy), ['states:StartExecution', 'states:StopExecution', 'states:DescribeExecution']]]);
      for (const group of HTTP_GROUPS.filter((g) => HTTP_GROUP_ACCESS[g].executions)) {
        expected.set(id(fnOf(`Http-${group}`).policy), ['states:StartExecution', 'states:StopExecution']);
      }
      // the decisions' and the calendar's fast path
      expect(HTTP_GROUPS.filter((g) => HTTP_GROUP_ACCESS[g].executions).sort()).toEqual(['calendar', 'cases', 'processes'].filter((g) => HTTP_GROUPS.includes(g as RouteGroup)));
      expect(new Map([...withStates].map(([k, v]) => [k, v.sort()]))).toEqual(new Map([...expected].map(([k, v]) => [k, v.sort()])));
    });

    it('tells the functions that start and stop executions which machine runs which kind (PROCESS_MACHINES)', () => {
      const names = new Map(machines().map(([mid, m]) => [mid, m.Properties.StateMachineName as string]));
      const users = [PROCESS_JOBS_FUNCTION.id, ...HTTP_GROUPS.filter((g) => HTTP_GROUP_ACCESS[g].executions).map((g) => `Http-${g}`)];
      expect(users.length).toBeGreaterThan(1);
      for (const name of users) {
        const map = JSON.parse(evaluate(envOf(name).PROCESS_MACHINES, pseudo()) as string) as Record<string, string>;
        expect(Object.keys(map).sort(), name).toEqual(aslKinds());
        for (const [kind, arn] of Object.entries(map)) {
          expect(names.get(id(s.stack.machines.get(kind)!.machine)), name).toBe(arn.split(':stateMachine:')[1]);
          expect(arn, name).toBe(`arn:${s.partition}:states:${region}:${s.stack.account}:stateMachine:${s.stack.stackName}-${kind}`);
        }
      }
    });

    it('streams new images of the table to the jobs function, filtered to inserts of OUTBOX# items, failures bisected, retried, then kept', () => {
      const tableId = id(s.stack.table.table);
      expect(resources[tableId]!.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
      const jobs = fnOf(PROCESS_JOBS_FUNCTION.id);
      // the table stream also feeds the evidence area's outbox consumer (infra/aws/evidence-outbox.ts), with the same filter
      const all = resourcesOf(s.template, 'AWS::Lambda::EventSourceMapping');
      expect(all.map(([, x]) => x.Properties.FunctionName)).toEqual(expect.arrayContaining([{ Ref: id(jobs.fn) }, { Ref: id(fnOf('Job-evidence-outbox').fn) }]));
      expect(all).toHaveLength(2);
      const mappings = all.filter(([, x]) => JSON.stringify(x.Properties.FunctionName) === JSON.stringify({ Ref: id(jobs.fn) }));
      expect(all.map(([, x]) => x.Properties.FilterCriteria)).toEqual([mappings[0]![1].Properties.FilterCriteria, mappings[0]![1].Properties.FilterCriteria]);
      const [[, m]] = mappings as [[string, Resource]];
      expect(m.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
        FunctionName: { Ref: id(jobs.fn) },
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: OUTBOX_RETRY_ATTEMPTS,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [id(jobs.deadLetterQueue!), 'Arn'] } } },
      });
      expect(OUTBOX_RETRY_ATTEMPTS).toBeGreaterThan(0);
      expect(m.Properties.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
      const patterns = (m.Properties.FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern) as unknown);
      expect(patterns).toEqual([{ eventName: ['INSERT'], dynamodb: { Keys: { [TABLE.partitionKey]: { S: [{ prefix: OUTBOX_PREFIX }] } } } }]);
      expect(resources[id(jobs.deadLetterQueue!)]!.Properties.SqsManagedSseEnabled).toBe(true);
      const read = statementsOf(PROCESS_JOBS_FUNCTION.id).find((st) => st.Sid === 'ReadOutboxStream')!;
      expect(read.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
      // no other function reads the stream but the evidence outbox consumer
      for (const name of s.stack.functions.keys()) {
        if (name === PROCESS_JOBS_FUNCTION.id || name === 'Job-evidence-outbox') continue;
        expect(
          statementsOf(name).some((st) => actionsOf(st).includes('dynamodb:GetRecords')),
          name,
        ).toBe(false);
      }
    });

    it('keeps failed asynchronous invocations of the jobs function (scheduler) in its encrypted dead-letter queue', () => {
      const jobs = fnOf(PROCESS_JOBS_FUNCTION.id);
      expect(resources[id(jobs.fn)]!.Properties.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [id(jobs.deadLetterQueue!), 'Arn'] } });
    });

    it('runs the reconciler every 5 minutes in the process schedule group, through the scheduler role', () => {
      const p = s.stack.processes;
      // the evidence jobs have their own group (evidence.test.ts)
      const schedules = resourcesOf(s.template, 'AWS::Scheduler::Schedule').filter(
        ([, x]) => JSON.stringify(x.Properties.GroupName) === JSON.stringify(s.stack.resolve(p.scheduleGroup.scheduleGroupName)),
      );
      expect(schedules).toHaveLength(1);
      const [[, sch]] = schedules as [[string, Resource]];
      expect(sch.Properties).toMatchObject({
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        GroupName: s.stack.resolve(p.scheduleGroup.scheduleGroupName),
        Target: {
          Arn: { 'Fn::GetAtt': [id(fnOf(PROCESS_JOBS_FUNCTION.id).fn), 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [id(p.schedulerRole), 'Arn'] },
        },
      });
      expect(JSON.parse(sch.Properties.Target.Input as string)).toEqual(RECONCILE_INPUT);
      expect(sch.DependsOn).toContain(id(p.schedulerPolicy!));
    });

    it('lets the scheduler role, assumable only by schedules of the group, invoke the jobs function and nothing else', () => {
      const p = s.stack.processes;
      const roleId = id(p.schedulerRole);
      const role = resources[roleId]!.Properties;
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': s.stack.account, 'aws:SourceArn': { 'Fn::GetAtt': [id(p.scheduleGroup), 'Arn'] } } },
        },
      ]);
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(role.Policies).toBeUndefined();
      const attached = resourcesOf(s.template, 'AWS::IAM::ManagedPolicy').filter(([, x]) => JSON.stringify(x.Properties.Roles).includes(`"${roleId}"`));
      expect(attached.map(([pid]) => pid)).toEqual([id(p.schedulerPolicy!)]);
      expect(statementsOfPolicy(id(p.schedulerPolicy!))).toEqual([
        { Sid: 'InvokeProcessJobs', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [id(fnOf(PROCESS_JOBS_FUNCTION.id).fn), 'Arn'] } },
      ]);
    });

    it('gives the clock what its Defer needs: create schedules of the group and pass the scheduler role, nothing on Step Functions', () => {
      const p = s.stack.processes;
      const group = s.stack.resolve(p.scheduleGroup.scheduleGroupName) as string;
      expect(envOf(PROCESS_CLOCK_FUNCTION.id)).toMatchObject({
        SCHEDULER_GROUP: group,
        SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [id(p.schedulerRole), 'Arn'] },
        JOBS_FUNCTION_ARN: { 'Fn::GetAtt': [id(fnOf(PROCESS_JOBS_FUNCTION.id).fn), 'Arn'] },
      });
      const statements = statementsOf(PROCESS_CLOCK_FUNCTION.id);
      const create = statements.find((st) => actionsOf(st).includes('scheduler:CreateSchedule'))!;
      expect(actionsOf(create)).toEqual(['scheduler:CreateSchedule']);
      expect(evaluate(create.Resource, pseudo())).toBe(`arn:${s.partition}:scheduler:${region}:${s.stack.account}:schedule/${group}/*`);
      const pass = statements.find((st) => actionsOf(st).includes('iam:PassRole'))!;
      expect(pass.Resource).toEqual({ 'Fn::GetAtt': [id(p.schedulerRole), 'Arn'] });
      expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
      expect(statements.some((st) => actionsOf(st).some((a) => a.startsWith('states:')))).toBe(false);
      // nobody else may create schedules or pass roles
      for (const name of s.stack.functions.keys()) {
        if (name === PROCESS_CLOCK_FUNCTION.id) continue;
        expect(
          statementsOf(name).some((st) => actionsOf(st).some((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')),
          name,
        ).toBe(false);
      }
    });

    it('turns SMS on only where the partition offers it, e-mail only with a configured sender; only the clock and the jobs function send', () => {
      const global = s.partition === 'aws';
      for (const name of [PROCESS_CLOCK_FUNCTION.id, PROCESS_JOBS_FUNCTION.id]) {
        expect(envOf(name), name).toMatchObject({ SMS_ENABLED: String(global), EMAIL_FROM: '' });
        const sms = statementsOf(name).filter((st) => actionsOf(st).some((a) => a.startsWith('sns:')));
        expect(sms, name).toEqual(global ? [{ Sid: 'SendSms', Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }] : []);
      }
      for (const name of s.stack.functions.keys()) {
        const senders = statementsOf(name).filter((st) => actionsOf(st).some((a) => a.startsWith('ses:') || a.startsWith('sns:')));
        if (name !== PROCESS_CLOCK_FUNCTION.id && name !== PROCESS_JOBS_FUNCTION.id) expect(senders, name).toEqual([]);
        expect(
          senders.filter((st) => actionsOf(st).some((a) => a.startsWith('ses:'))),
          name,
        ).toEqual([]);
      }
    });
  });

  describe('least privilege and compliance', () => {
    it('grants no wildcard action and no inline policy anywhere in the stack', () => {
      expect(resourcesOf(s.template, 'AWS::IAM::Policy')).toEqual([]);
      for (const [, role] of resourcesOf(s.template, 'AWS::IAM::Role')) expect(role.Properties.Policies).toBeUndefined();
      for (const [pid] of resourcesOf(s.template, 'AWS::IAM::ManagedPolicy')) {
        for (const st of statementsOfPolicy(pid)) {
          if (st.Effect !== 'Allow') continue;
          for (const a of actionsOf(st)) expect(a, pid).not.toContain('*');
        }
      }
    });

    it('leaves no nag finding on the process resources', () => {
      const ours = /\/(Process-|Processes\/|Job-processes\/)/;
      const findings = s.reports.flatMap((r) => r.violations.flatMap((v) => v.violatingConstructs.filter((c) => ours.test(c.constructPath)).map((c) => `${v.ruleName} at ${c.constructPath}`)));
      expect(findings).toEqual([]);
    });
  });
});

describe('process definitions are checked at synthesis', () => {
  let dir: string;
  const stackWith = (asl: string) => {
    const app = new App();
    const stack = new Stack(app, 'Check', { env: { account: '111122223333', region: 'cn-north-1' } });
    const path = join(dir, `case-${Math.random().toString(36).slice(2)}.asl.json`);
    writeFileSync(path, asl);
    return () =>
      new ProcessStateMachine(stack, 'Machine', {
        kind: 'complaint',
        aslPath: path,
        clockFunction: LambdaFunction.fromFunctionArn(stack, 'Clock', 'arn:aws-cn:lambda:cn-north-1:111122223333:function:clock'),
        logs: new PlatformLogs(stack, 'Logs'),
        protectKeys: [],
      });
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'archive-asl-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts an ASL whose only token is the clock function', () => {
    const asl = { StartAt: 'A', TimeoutSeconds: 60, States: { A: { Type: 'Task', Resource: '${ProcessClockFunctionArn}', End: true } } };
    expect(stackWith(JSON.stringify(asl))).not.toThrow();
  });

  it('fails clearly on a ${Token} without a substitution', () => {
    const asl = { StartAt: 'A', States: { A: { Type: 'Task', Resource: '${NotifyFunctionArn}', End: true } } };
    expect(stackWith(JSON.stringify(asl))).toThrow(/uses \$\{NotifyFunctionArn\} without a definition substitution/);
  });

  it('fails clearly on an ASL file that is not JSON', () => {
    expect(stackWith('{ "StartAt": ')).toThrow(/is not valid JSON/);
  });

  it('fails clearly when statemachines/ lacks a process kind or holds an unknown one', () => {
    const root = join(dir, 'statemachines');
    mkdirSync(root);
    for (const k of PROCESS_KINDS.filter((k) => k !== 'filing')) writeFileSync(aslFile(k, root), '{}');
    writeFileSync(aslFile('parking-fines', root), '{}');
    expect(() => processKinds(root)).toThrow(/missing filing\.asl\.json; not a process kind: parking-fines\.asl\.json/);
  });
});

describe('notification channels', () => {
  it('offers SMS by default in the global partition, never in aws-cn; e-mail only with a sender', () => {
    expect(notificationChannels({}, 'aws')).toEqual({ sms: true, emailFrom: undefined });
    expect(notificationChannels({ smsEnabled: false, emailFrom: 'notice@example.gov.cn' }, 'aws')).toEqual({ sms: false, emailFrom: 'notice@example.gov.cn' });
    expect(notificationChannels({}, 'aws-cn')).toEqual({ sms: false });
    expect(notificationChannels({ smsEnabled: false }, 'aws-cn')).toEqual({ sms: false });
  });

  it('refuses SMS or e-mail in aws-cn, where neither SNS SMS nor SES exists', () => {
    expect(() => notificationChannels({ smsEnabled: true }, 'aws-cn')).toThrow(/smsEnabled=true \(SNS SMS\): not offered in the aws-cn partition/);
    expect(() => notificationChannels({ emailFrom: 'notice@example.gov.cn' }, 'aws-cn')).toThrow(/emailFrom=notice@example\.gov\.cn \(SES\)/);
  });

  it('reads smsEnabled and emailFrom from the context and rejects malformed values', () => {
    const settings = (context: Record<string, unknown>) => settingsFrom(new App({ context }).node);
    expect(settings({ smsEnabled: 'false', emailFrom: 'notice@example.gov.cn' })).toMatchObject({ smsEnabled: false, emailFrom: 'notice@example.gov.cn' });
    expect(settings({ smsEnabled: true }).smsEnabled).toBe(true);
    expect(settings({}).smsEnabled).toBeUndefined();
    expect(() => settings({ smsEnabled: 'sometimes' })).toThrow(/smsEnabled must be true or false/);
    expect(() => settings({ emailFrom: 'Notice <notice@example.gov.cn>' })).toThrow(/emailFrom must be a plain e-mail address/);
  });

  it("lets e-mail be sent only from the configured sender's identities (the address and its domain)", () => {
    const stack = new Stack(new App({ context: FEATURE_FLAGS }), 'Mail', { env: { account: '111122223333', region: 'ap-east-1' } });
    const table = new ArchiveTable(stack, 'Archive');
    const evidence = new EvidenceStore(stack, 'Evidence', { bucketName: 'evidence-test-bucket', allowedOrigins: [] });
    const processes = new ProcessJobs(stack, 'Processes', { kinds: [...PROCESS_KINDS], table, channels: { sms: false, emailFrom: 'notice@example.gov.cn' }, protectKeys: [] });
    for (const access of [PROCESS_JOBS_ACCESS, PROCESS_CLOCK_ACCESS]) {
      const grants = grantsFor(stack, access, table, evidence, processes.targets);
      const statements = grants.statements.map((st) => stack.resolve(st.toStatementJson()) as Statement);
      const mail = statements.filter((st) => actionsOf(st).some((a) => a.startsWith('ses:')));
      expect(mail).toHaveLength(1);
      expect(actionsOf(mail[0]!)).toEqual(['ses:SendEmail']);
      expect(asArray(mail[0]!.Resource).map((r) => evaluate(r, { 'AWS::Partition': 'aws' }))).toEqual([
        'arn:aws:ses:ap-east-1:111122223333:identity/notice@example.gov.cn',
        'arn:aws:ses:ap-east-1:111122223333:identity/example.gov.cn',
      ]);
      expect(statements.some((st) => actionsOf(st).some((a) => a.startsWith('sns:')))).toBe(false);
      expect(processes.environmentFor(access)).toMatchObject({ SMS_ENABLED: 'false', EMAIL_FROM: 'notice@example.gov.cn' });
    }
    // a route group with no notification row gets neither channel
    expect(grantsFor(stack, HTTP_GROUP_ACCESS.processes, table, evidence, processes.targets).statements.some((st) => st.actions.some((a) => /^(ses|sns):/.test(a)))).toBe(false);
  });
});
