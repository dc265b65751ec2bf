import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCompliancePacks, COMPLIANCE_PACK_NAMES } from '../../infra/aws/nag.ts';
import { acknowledgements, PARTITION_REGIONS, type PluginReport, removeAssembly, type Synthesized, synthesize } from './synth.ts';

/**
 * cdk-nag (AWS Solutions + NIST 800-53 rev 5) and CloudFormation validation on the whole app, for
 * the global partition and both China regions: no unacknowledged error or warning, every
 * acknowledgement with a written reason, and the set of acknowledged rules is exactly the
 * documented one (a new suppression is a visible change to this file).
 */
const REGIONS = Object.values(PARTITION_REGIONS);

/** Acknowledged rules, without the finding detail of IAM4/IAM5 (`[Resource::…]`). */
const COMMON_ACKNOWLEDGED = [
  'AwsSolutions-APIG4', // health and OpenAPI are public by design (docs/security.md §1)
  'AwsSolutions-CFR1', // the console's static files: no geo restriction (infra/aws/console-hosting.ts)
  'AwsSolutions-CFR2', // the console's static files: no CloudFront web ACL
  'AwsSolutions-CFR4', // default certificate (global) / IAM certificate set by override (aws-cn)
  'AwsSolutions-IAM4', // AWS Backup service role policy
  'AwsSolutions-IAM5', // attachments/*, evidence/*, derived/*, packages/*, anchors/* object prefixes; process executions and resume schedules; Resource::* of log delivery, X-Ray, SMS
  'AwsSolutions-L1', // nodejs22.x fixed by docs/architecture.md §10
  'AwsSolutions-S1', // the access-log bucket does not log itself
  'NIST.800.53.R5-LambdaConcurrency', // the CDK bucket-deployment handler of the console
  'NIST.800.53.R5-LambdaDLQ', // synchronous API functions; the console's deployment handler
  'NIST.800.53.R5-LambdaInsideVPC', // no VPC resources to reach
  'NIST.800.53.R5-S3BucketLoggingEnabled', // the access-log bucket
  'NIST.800.53.R5-S3BucketReplicationEnabled', // data residency
  'NIST.800.53.R5-S3DefaultEncryptionKMS', // access-log delivery needs SSE-S3
].sort();

const ruleOf = (id: string) => id.replace(/\[.*$/, '');

describe.each(REGIONS)('compliance in %s', (region) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(region, { bundle: false });
  });
  afterAll(() => removeAssembly(s));

  it('synthesizes without an unacknowledged nag error', () => {
    expect(s.error?.message).toBeUndefined();
  });

  it('leaves no unacknowledged nag error or warning, and no pack failed to run', () => {
    const nag = s.reports.filter((r) => COMPLIANCE_PACK_NAMES.includes(r.pluginName));
    const findings = nag.flatMap((r) => [
      ...(r.metadata?.error ? [`${r.pluginName}: ${r.metadata.error}`] : []),
      ...r.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`),
    ]);
    expect(findings).toEqual([]);
  });

  it('passes CloudFormation template validation too', () => {
    const cfn = s.reports.filter((r) => !COMPLIANCE_PACK_NAMES.includes(r.pluginName));
    expect(cfn.flatMap((r) => r.violations.map((v) => `${v.ruleName}: ${v.description}`))).toEqual([]);
  });

  it('gives every acknowledgement a written reason', () => {
    const acks = acknowledgements(s.stack);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThanOrEqual(60);
      expect(a.reason, `${a.id} at ${a.path}`).not.toMatch(/^(todo|n\/a|suppress|ignore)/i);
    }
  });

  it('acknowledges exactly the documented rules', () => {
    const ids = [...new Set(acknowledgements(s.stack).map((a) => ruleOf(a.id)))].sort();
    // aws-cn: the console's distribution reads its bucket through an origin access identity, not OAC
    expect(ids).toEqual(s.partition === 'aws-cn' ? [...COMMON_ACKNOWLEDGED, 'AwsSolutions-CFR7'].sort() : COMMON_ACKNOWLEDGED);
  });

  it('acknowledges IAM5 only for the documented resource patterns, never a wildcard action', () => {
    const iam5 = acknowledgements(s.stack).filter((a) => a.id.startsWith('AwsSolutions-IAM5'));
    expect(iam5.length).toBeGreaterThan(0);
    const stackName = s.stack.stackName;
    const arn = (service: string) => `arn:<AWS::Partition>:${service}:${s.region}:${s.stack.account}:`;
    const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const allowed = [
      // attachment objects are ULIDs under one prefix; so are originals, derived copies, packages and anchors (issue 4)
      /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:s3:::[^*\]]+\/(attachments|evidence|derived|packages|anchors)\/\*\]$/,
      // executions of one named process state machine
      new RegExp(`^AwsSolutions-IAM5\\[Resource::${esc(`${arn('states')}execution:${stackName}-`)}[a-z-]+:\\*\\]$`),
      // one-time resume schedules of the process schedule group
      new RegExp(`^AwsSolutions-IAM5\\[Resource::${esc(`${arn('scheduler')}schedule/${stackName}-processes/*`)}\\]$`),
    ];
    // the console deployment (infra/aws/console-hosting.ts): the CDK asset bucket's archives, the console bucket's objects
    const deployment = /\/Console\/DeployPolicy$/;
    const deploymentFindings = [
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${s.stack.account}-${s.region}/*]`,
      `AwsSolutions-IAM5[Resource::<${s.stack.getLogicalId(s.stack.console.bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
    ];
    for (const a of iam5.filter((x) => deployment.test(x.path))) expect(deploymentFindings, a.id).toContain(a.id);
    for (const a of iam5.filter((x) => x.id !== 'AwsSolutions-IAM5[Resource::*]' && !deployment.test(x.path))) {
      expect(
        allowed.some((re) => re.test(a.id)),
        `${a.id} at ${a.path}`,
      ).toBe(true);
    }
    // Resource::* only where the API takes no ARN: state machine log delivery and X-Ray, and SMS to phone numbers (global partition)
    const star = iam5
      .filter((x) => x.id === 'AwsSolutions-IAM5[Resource::*]')
      .map((a) => a.path.slice(stackName.length + 1))
      .sort();
    const machines = [...s.stack.machines.keys()].map((k) => `Process-${k}/Policy`);
    const sms = s.partition === 'aws' ? ['Job-processes/Policy', 'Process-clock/Policy'] : [];
    expect(star).toEqual([...machines, ...sms].sort());
  });

  it('never spells out the global partition in an ARN', () => {
    expect(s.json).not.toContain('arn:aws:');
  });
});

describe('the compliance gate itself', () => {
  it('fails a synthesis that breaks the rules (the packs run and report)', () => {
    // Prepare: an app with a bucket that has no logging, no TLS-only policy, no KMS
    const outdir = mkdtempSync(join(tmpdir(), 'archive-nag-canary-'));
    const app = new App({ outdir });
    new Bucket(new Stack(app, 'Canary', { env: { account: '111122223333', region: 'cn-north-1' } }), 'Plain');
    applyCompliancePacks(app);
    // Act
    const act = () => app.synth();
    // Assess
    expect(act).toThrow(/AwsSolutions-S1/);
    const reports = (JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: PluginReport[] }).pluginReports;
    const rules = reports.flatMap((r) => r.violations.map((v) => v.ruleName));
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'NIST.800.53.R5-S3DefaultEncryptionKMS']));
    rmSync(outdir, { recursive: true, force: true });
  });
});
