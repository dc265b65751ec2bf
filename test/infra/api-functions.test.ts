import type { CfnElement } from 'aws-cdk-lib';
import { EVIDENCE_OUTBOX_ENTRY, EVIDENCE_OUTBOX_FUNCTION } from '../../infra/aws/evidence-outbox.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/access/principal.ts';
import { ROUTES } from '../../shared/api/routes.ts';
import type { RouteGroup } from '../../shared/http/contract.ts';
import {
  ATTACHMENT_ARRIVED_ACCESS,
  DISPOSITION_ACTION,
  EVIDENCE_ARRIVED_ACCESS,
  EVIDENCE_JOBS_ACCESS,
  EVIDENCE_OUTBOX_ACCESS,
  type FunctionAccess,
  HTTP_GROUP_ACCESS,
  PROCESS_CLOCK_ACCESS,
  PROCESS_JOBS_ACCESS,
} from '../../infra/aws/access.ts';
import { ACCESS_LOG_FIELDS } from '../../infra/aws/archive-api.ts';
import { entryExists, functionEntry } from '../../infra/aws/archive-function.ts';
import { HTTP_GROUPS } from '../../infra/aws/archive-stack.ts';
import { EVIDENCE_ARRIVED_ENTRY, EVIDENCE_ARRIVED_FUNCTION, EVIDENCE_JOBS_ENTRY, EVIDENCE_JOBS_FUNCTION } from '../../infra/aws/evidence-jobs.ts';
import { ATTACHMENTS_PREFIX } from '../../infra/aws/evidence-store.ts';
import { CUSTOM_CLAIMS } from '../../infra/aws/identity.ts';
import { NETWORK_LOG_MIN_DAYS } from '../../infra/aws/logs.ts';
import { PROCESS_CLOCK_FUNCTION, PROCESS_JOBS_FUNCTION } from '../../infra/aws/process-jobs.ts';
import { PARTITION_REGIONS, resourcesOf, removeAssembly, type Synthesized, synthesize } from './synth.ts';

/** The HTTP API, identity, the functions and their permissions, in both partitions. */
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
const actionsOf = (st: Statement) => (Array.isArray(st.Action) ? st.Action : [st.Action]);
/** the row of infra/aws/access.ts a function was built from */
const accessOf = (name: string): FunctionAccess =>
  name.startsWith('Http-')
    ? HTTP_GROUP_ACCESS[name.slice('Http-'.length) as RouteGroup]
    : (
        {
          'Event-attachment-arrived': ATTACHMENT_ARRIVED_ACCESS,
          [PROCESS_CLOCK_FUNCTION.id]: PROCESS_CLOCK_ACCESS,
          [PROCESS_JOBS_FUNCTION.id]: PROCESS_JOBS_ACCESS,
          [EVIDENCE_ARRIVED_FUNCTION.id]: EVIDENCE_ARRIVED_ACCESS,
          [EVIDENCE_JOBS_FUNCTION.id]: EVIDENCE_JOBS_ACCESS,
          [EVIDENCE_OUTBOX_FUNCTION.id]: EVIDENCE_OUTBOX_ACCESS,
        } as Record<string, FunctionAccess>
      )[name]!;

/** the evidence functions exist once their handler files do (infra/aws/archive-stack.ts); evidence.test.ts builds them always */
const evidenceFunctions = () => [
  ...(entryExists(functionEntry(EVIDENCE_ARRIVED_ENTRY.surface, EVIDENCE_ARRIVED_ENTRY.name)) ? [EVIDENCE_ARRIVED_FUNCTION.id] : []),
  ...(entryExists(functionEntry(EVIDENCE_JOBS_ENTRY.surface, EVIDENCE_JOBS_ENTRY.name)) ? [EVIDENCE_JOBS_FUNCTION.id] : []),
  ...(entryExists(functionEntry(EVIDENCE_OUTBOX_ENTRY.surface, EVIDENCE_OUTBOX_ENTRY.name)) ? [EVIDENCE_OUTBOX_FUNCTION.id] : []),
];

describe.each([PARTITION_REGIONS.global, PARTITION_REGIONS.chinaBeijing])('API and functions in %s', (region) => {
  let s: Synthesized;
  let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  const id = (c: { node: { defaultChild?: unknown } }) => s.stack.getLogicalId(c.node.defaultChild as CfnElement);
  const fnOfGroup = (group: RouteGroup) => s.stack.functions.get(`Http-${group}`)!;
  /** every statement of the function's only policy */
  const statementsOf = (name: string) => resources[id(s.stack.functions.get(name)!.policy)]!.Properties.PolicyDocument.Statement as Statement[];

  beforeAll(() => {
    s = synthesize(region, { bundle: false });
    resources = s.template.toJSON().Resources;
  });
  afterAll(() => removeAssembly(s));

  describe('routes', () => {
    it('creates exactly one route per entry of ROUTES', () => {
      const keys = resourcesOf(s.template, 'AWS::ApiGatewayV2::Route')
        .map(([, r]) => r.Properties.RouteKey as string)
        .sort();
      expect(keys).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    });

    it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: authorizer only if the contract says auth, integrated with its group', (key, route) => {
      const [, r] = resourcesOf(s.template, 'AWS::ApiGatewayV2::Route').find(([, x]) => x.Properties.RouteKey === key)!;
      if (route.auth) {
        expect(r.Properties.AuthorizationType).toBe('JWT');
        expect(r.Properties.AuthorizerId).toEqual({ Ref: expect.any(String) });
      } else {
        expect(r.Properties.AuthorizationType).toBe('NONE');
        expect(r.Properties.AuthorizerId).toBeUndefined();
      }
      const integrationId = (r.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
      expect(resources[integrationId.Ref]!.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [id(fnOfGroup(route.group).fn), 'Arn'] });
    });

    it('has one JWT authorizer for the API', () => {
      const authorizers = resourcesOf(s.template, 'AWS::ApiGatewayV2::Authorizer');
      expect(authorizers).toHaveLength(1);
      expect(authorizers[0]![1].Properties.AuthorizerType).toBe('JWT');
    });
  });

  describe('$default stage', () => {
    it('is throttled and writes JSON access logs to a retained log group', () => {
      const [[, stage]] = resourcesOf(s.template, 'AWS::ApiGatewayV2::Stage') as [[string, { Properties: Record<string, any> }]];
      expect(stage.Properties.StageName).toBe('$default');
      expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
      expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [id(s.stack.api.accessLogs), 'Arn'] });
      expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toEqual(ACCESS_LOG_FIELDS);
      expect(resources[id(s.stack.api.accessLogs)]!.Properties.RetentionInDays).toBeGreaterThanOrEqual(NETWORK_LOG_MIN_DAYS);
    });
  });

  describe('functions', () => {
    it('has one function per route group, plus attachment-arrived, the process clock and jobs functions and the evidence functions whose handlers exist', () => {
      const others = ['Event-attachment-arrived', PROCESS_CLOCK_FUNCTION.id, PROCESS_JOBS_FUNCTION.id, ...evidenceFunctions()];
      expect([...s.stack.functions.keys()].sort()).toEqual([...HTTP_GROUPS.map((g) => `Http-${g}`), ...others].sort());
      // + the CDK handler that copies the console build into its bucket at deploy time (infra/aws/console-hosting.ts)
      expect(resourcesOf(s.template, 'AWS::Lambda::Function')).toHaveLength(HTTP_GROUPS.length + others.length + 1);
    });

    it('runs every function on nodejs22.x, arm64, an ESM handler, with the environment the code reads', () => {
      for (const [name, f] of s.stack.functions) {
        const p = resources[id(f.fn)]!.Properties;
        expect(p.Runtime, name).toBe('nodejs22.x');
        expect(p.Architectures, name).toEqual(['arm64']);
        expect(p.Handler, name).toBe('index.handler');
        // the process rows of infra/aws/access.ts add their own (asserted in processes.test.ts)
        const own = Object.keys(s.stack.processes.environmentFor(accessOf(name)));
        const clock = name === PROCESS_CLOCK_FUNCTION.id ? ['JOBS_FUNCTION_ARN'] : [];
        expect(Object.keys(p.Environment.Variables).sort(), name).toEqual(['BUCKET_NAME', 'LOG_LEVEL', 'TABLE_NAME', ...own, ...clock].sort());
        expect(p.Environment.Variables.BUCKET_NAME).toBe(s.stack.evidence.bucketName);
        expect(p.ReservedConcurrentExecutions, name).toBeGreaterThan(0);
        const logGroup = resources[p.LoggingConfig.LogGroup.Ref]!;
        expect(logGroup.Properties.RetentionInDays, name).toBeGreaterThanOrEqual(NETWORK_LOG_MIN_DAYS);
      }
    });

    it('keeps failed S3 events of attachment-arrived in an encrypted dead-letter queue', () => {
      const arrived = s.stack.functions.get('Event-attachment-arrived')!;
      expect(resources[id(arrived.fn)]!.Properties.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [id(arrived.deadLetterQueue!), 'Arn'] } });
      expect(resources[id(arrived.deadLetterQueue!)]!.Properties.SqsManagedSseEnabled).toBe(true);
    });
  });

  describe('least privilege', () => {
    it('gives each function its own role with one customer managed policy and nothing else', () => {
      expect(resourcesOf(s.template, 'AWS::IAM::Policy')).toEqual([]);
      for (const [name, f] of s.stack.functions) {
        const role = resources[id(f.role)]!.Properties;
        expect(role.ManagedPolicyArns, name).toBeUndefined();
        expect(role.Policies, name).toBeUndefined();
        expect(resources[id(f.policy)]!.Properties.Roles, name).toEqual([{ Ref: id(f.role) }]);
      }
    });

    it('never grants a wildcard action, a scan or a batch write, and no delete but the evidence disposition', () => {
      for (const name of s.stack.functions.keys()) {
        for (const st of statementsOf(name)) {
          expect(st.Effect).toBe('Allow');
          for (const a of actionsOf(st)) {
            expect(a, name).not.toContain('*');
            expect(a, name).not.toMatch(/Scan|BatchWrite|PutBucket|PutKeyPolicy|Bypass/);
            if (name === EVIDENCE_JOBS_FUNCTION.id && a === DISPOSITION_ACTION) {
              expect(st.Resource, name).toEqual(s.stack.resolve(s.stack.evidence.objectArn('evidence/*')));
              continue;
            }
            expect(a, name).not.toMatch(/Delete/);
          }
        }
      }
    });

    it("reaches the evidence bucket only where the function's row of access.ts says, with exactly its actions", () => {
      const bucket = JSON.stringify(s.stack.resolve(s.stack.evidence.bucketArn));
      const objects = (prefix: string) => JSON.stringify(s.stack.resolve(s.stack.evidence.objectArn(`${prefix}*`)));
      for (const name of s.stack.functions.keys()) {
        const access = accessOf(name);
        const expected = new Map<string, string[]>();
        const add = (resource: string, actions: readonly string[]) => expected.set(resource, [...(expected.get(resource) ?? []), ...actions]);
        if (access.evidence !== 'none') {
          add(bucket, ['s3:ListBucket']);
          add(objects(ATTACHMENTS_PREFIX), access.evidence === 'readWrite' ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject']);
        }
        if (access.objectLockConfiguration) add(bucket, ['s3:GetBucketObjectLockConfiguration']);
        if (access.listEvidence) add(bucket, ['s3:ListBucket']);
        for (const [prefix, actions] of Object.entries(access.evidenceObjects ?? {})) add(objects(prefix), actions);
        const actual = new Map<string, string[]>();
        for (const st of statementsOf(name).filter((x) => actionsOf(x).some((a) => a.startsWith('s3:')))) {
          const key = JSON.stringify(st.Resource);
          actual.set(key, [...(actual.get(key) ?? []), ...actionsOf(st)]);
        }
        const sorted = (m: Map<string, string[]>) => new Map([...m].map(([k, v]) => [k, [...v].sort()]));
        expect(sorted(actual), name).toEqual(sorted(expected));
      }
      expect(actionsOf(statementsOf('Event-attachment-arrived').find((st) => st.Sid === 'ReadAttachments')!)).toEqual(['s3:GetObject']);
      // the attachment handlers stay within attachments/, the evidence handlers never touch it
      for (const name of ['Http-evidence', ...evidenceFunctions()].filter((n) => s.stack.functions.has(n))) {
        expect(JSON.stringify(statementsOf(name)), name).not.toContain('attachments/');
      }
    });

    it('matches each route group to its row of HTTP_GROUP_ACCESS', () => {
      for (const group of HTTP_GROUPS) {
        const statements = statementsOf(`Http-${group}`);
        const dynamo = statements.filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')));
        const access = HTTP_GROUP_ACCESS[group];
        if (access.table === 'none') {
          expect(dynamo, group).toEqual([]);
          continue;
        }
        const write = dynamo.find((st) => actionsOf(st).includes('dynamodb:PutItem'))!;
        if (access.table === 'readAndAuditOnly') {
          expect(write.Condition, group).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } });
        } else {
          expect(write.Condition, group).toBeUndefined();
        }
      }
    });

    it('uses the data keys only through the service that owns them', () => {
      for (const name of s.stack.functions.keys()) {
        for (const st of statementsOf(name).filter((x) => actionsOf(x).some((a) => a.startsWith('kms:')))) {
          expect(st.Condition?.StringEquals?.['kms:ViaService'], name).toBeDefined();
        }
      }
    });
  });
});

describe('identity in the global partition (Cognito user pool)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(PARTITION_REGIONS.global, { bundle: false });
  });
  afterAll(() => removeAssembly(s));

  it('has a group per role and the custom attributes the functions read', () => {
    const groups = resourcesOf(s.template, 'AWS::Cognito::UserPoolGroup')
      .map(([, g]) => g.Properties.GroupName)
      .sort();
    expect(groups).toEqual([...ROLES].sort());
    const [[, pool]] = resourcesOf(s.template, 'AWS::Cognito::UserPool') as [[string, { Properties: Record<string, any> }]];
    const custom = (pool.Properties.Schema as { Name: string; AttributeDataType?: string }[]).filter((a) => a.AttributeDataType === 'String').map((a) => a.Name);
    expect(custom.sort()).toEqual([...CUSTOM_CLAIMS].sort());
  });

  it('requires a strong password, TOTP MFA, the Plus plan with threat protection enforced; no self sign-up', () => {
    const [[, pool]] = resourcesOf(s.template, 'AWS::Cognito::UserPool') as [[string, { Properties: Record<string, any> }]];
    expect(pool.Properties).toMatchObject({
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      DeletionProtection: 'ACTIVE',
      Policies: { PasswordPolicy: { RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
    });
    expect(pool.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('lets the console read agency, unit and officer but never write them', () => {
    const [[, client]] = resourcesOf(s.template, 'AWS::Cognito::UserPoolClient') as [[string, { Properties: Record<string, any> }]];
    expect(client.Properties.ReadAttributes).toEqual(expect.arrayContaining(CUSTOM_CLAIMS.map((c) => `custom:${c}`)));
    expect((client.Properties.WriteAttributes as string[]).filter((a) => a.startsWith('custom:'))).toEqual([]);
    // the console signs in with the authorization code flow (+ PKCE, a public client) at the hosted sign-in only (issue 10)
    expect(client.Properties.AllowedOAuthFlows).toEqual(['code']);
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(client.Properties.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('authorizes with the pool as JWT issuer and the console client as audience', () => {
    const [[, authorizer]] = resourcesOf(s.template, 'AWS::ApiGatewayV2::Authorizer') as [[string, { Properties: Record<string, any> }]];
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain('https://cognito-idp.');
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: s.stack.getLogicalId(s.stack.identity.client!.node.defaultChild as CfnElement) }]);
  });
});

describe('identity in aws-cn (agency OpenID Connect provider)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(PARTITION_REGIONS.chinaNingxia, { bundle: false });
  });
  afterAll(() => removeAssembly(s));

  it('creates no Cognito user pool (not offered in the China regions)', () => {
    expect(Object.values(s.template.toJSON().Resources).filter((r) => (r as { Type: string }).Type.startsWith('AWS::Cognito::'))).toEqual([]);
  });

  it('trusts the issuer and audience given as deployment parameters', () => {
    const params = s.template.toJSON().Parameters as Record<string, { Type: string }>;
    const [issuer, audience] = ['OidcIssuerUrl', 'OidcAudience'];
    expect(params[issuer]!.Type).toBe('String');
    expect(params[audience]!.Type).toBe('CommaDelimitedList');
    const [[, authorizer]] = resourcesOf(s.template, 'AWS::ApiGatewayV2::Authorizer') as [[string, { Properties: Record<string, any> }]];
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: { Ref: issuer }, Audience: { Ref: audience } },
    });
  });
});
