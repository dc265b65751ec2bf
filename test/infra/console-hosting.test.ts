import { type CfnElement, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_PATH } from '../../infra/aws/console-hosting.ts';
import { PARTITION_REGIONS, removeAssembly, resourcesOf, type Synthesized, synthesize } from './synth.ts';

/**
 * The web console in AWS (issue 10, infra/aws/console-hosting.ts): a private bucket behind
 * CloudFront with a strict security-headers policy, /config.json written at deploy time with the
 * API URL and the OIDC settings, the evidence bucket's CORS for the console origin only; OAC in the
 * global partition, an origin access identity and an ICP-filed domain in aws-cn.
 */
const logicalId = (s: Synthesized, c: { node: { defaultChild?: unknown } }) => s.stack.getLogicalId(c.node.defaultChild as CfnElement);

/** the one resource of a type */
const only = (s: Synthesized, type: string) => {
  const all = resourcesOf(s.template, type);
  expect(all, type).toHaveLength(1);
  return all[0]![1];
};

/** the CSP as the template writes it, CloudFormation references flattened to <Ref> placeholders */
const cspOf = (s: Synthesized): string => {
  const policy = only(s, 'AWS::CloudFront::ResponseHeadersPolicy');
  const csp = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy as unknown;
  const flat = (v: unknown): string =>
    typeof v === 'string' ? v : Array.isArray((v as { 'Fn::Join'?: unknown })['Fn::Join']) ? (v as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map(flat).join('') : '<ref>';
  return flat(csp);
};
const directive = (csp: string, name: string) =>
  csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `)) ?? '';

describe.each([
  ['global', PARTITION_REGIONS.global],
  ['aws-cn', PARTITION_REGIONS.chinaBeijing],
])('console hosting (%s)', (partition, region) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(region, { bundle: false });
  });
  afterAll(() => removeAssembly(s));

  it('synthesizes', () => {
    expect(s.error?.message).toBeUndefined();
  });

  it('keeps the console bucket private: all public access blocked, TLS only, encrypted, versioned, logged', () => {
    const bucket = resourcesOf(s.template, 'AWS::S3::Bucket').find(([id]) => id === logicalId(s, s.stack.console.bucket))![1];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId(s, s.stack.console.accessLogs) });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    const [, policy] = resourcesOf(s.template, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logicalId(s, s.stack.console.bucket) }))!;
    const statements = policy.Properties.PolicyDocument.Statement as { Effect: string; Principal: unknown; Condition?: Record<string, Record<string, unknown>> }[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    // nobody but CloudFront is allowed in: no statement admits everyone without a condition
    expect(statements.filter((st) => st.Effect === 'Allow' && JSON.stringify(st.Principal) === '{"AWS":"*"}')).toEqual([]);
  });

  it(partition === 'global' ? 'reads the bucket through origin access control, signed by this distribution only' : 'reads the bucket through an origin access identity', () => {
    const dist = only(s, 'AWS::CloudFront::Distribution');
    const origin = dist.Properties.DistributionConfig.Origins[0];
    const [, policy] = resourcesOf(s.template, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logicalId(s, s.stack.console.bucket) }))!;
    const reads = (policy.Properties.PolicyDocument.Statement as { Effect: string; Principal: Record<string, unknown>; Action: unknown; Condition?: unknown }[]).filter(
      (st) => st.Effect === 'Allow' && JSON.stringify(st.Action).includes('s3:GetObject'),
    );
    if (partition === 'global') {
      expect(resourcesOf(s.template, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
      expect(origin.OriginAccessControlId).toBeDefined();
      expect(reads).toHaveLength(1);
      expect(reads[0]!.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
      expect(JSON.stringify(reads[0]!.Condition)).toContain(logicalId(s, s.stack.console.distribution));
    } else {
      expect(resourcesOf(s.template, 'AWS::CloudFront::OriginAccessControl')).toEqual([]);
      expect(resourcesOf(s.template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(1);
      expect(JSON.stringify(origin.S3OriginConfig.OriginAccessIdentity)).toContain('origin-access-identity');
      expect(reads.map((r) => Object.keys(r.Principal))).toEqual([['CanonicalUser']]);
    }
  });

  it('sends a strict CSP (no inline scripts, no framing), HSTS and the other security headers on every response', () => {
    const csp = cspOf(s);
    expect(directive(csp, 'script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(directive(csp, 'script-src')).not.toContain('unsafe-inline');
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(csp, 'object-src')).toBe("object-src 'none'");
    const bucketEndpoint = `https://${s.stack.evidence.bucketName}.s3.${region}.<ref>`;
    expect(directive(csp, 'connect-src').split(' ')).toEqual(expect.arrayContaining(["'self'", bucketEndpoint, `https://*.execute-api.${region}.<ref>`]));
    expect(directive(csp, 'media-src').split(' ')).toContain(bucketEndpoint);
    const policy = only(s, 'AWS::CloudFront::ResponseHeadersPolicy');
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31536000);
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    expect(headers.ContentTypeOptions.Override).toBe(true);
    const dist = only(s, 'AWS::CloudFront::Distribution');
    expect(dist.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: logicalId(s, s.stack.console.headers) });
    expect(dist.Properties.DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  it('admits the identity provider in connect-src for the sign-in', () => {
    const connect = directive(cspOf(s), 'connect-src');
    expect(connect).toContain(partition === 'global' ? `https://cognito-idp.${region}.` : 'https://<ref>');
  });

  it('answers the console addresses with index.html', () => {
    const dist = only(s, 'AWS::CloudFront::Distribution');
    const config = dist.Properties.DistributionConfig;
    if (partition === 'global') {
      const fn = only(s, 'AWS::CloudFront::Function');
      expect(fn.Properties.FunctionCode).toContain("u.indexOf('/console/') === 0");
      expect(config.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
      expect(config.CustomErrorResponses).toBeUndefined();
    } else {
      expect(resourcesOf(s.template, 'AWS::CloudFront::Function')).toEqual([]);
      expect(config.CustomErrorResponses.map((r: { ResponsePagePath: string }) => r.ResponsePagePath)).toEqual(['/index.html', '/index.html']);
    }
  });

  it('logs the distribution and needs an ICP-filed domain with an IAM certificate in aws-cn', () => {
    const dist = only(s, 'AWS::CloudFront::Distribution');
    const config = dist.Properties.DistributionConfig;
    expect(config.Logging.Bucket).toEqual({ 'Fn::GetAtt': [logicalId(s, s.stack.console.accessLogs), 'RegionalDomainName'] });
    if (partition === 'aws-cn') {
      expect(config.Aliases).toEqual([{ Ref: 'ConsoleDomainName' }]);
      expect(config.ViewerCertificate).toEqual({ IamCertificateId: { Ref: 'ConsoleIamCertificateId' }, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
    } else {
      expect(config.Aliases).toBeUndefined();
    }
  });

  it('allows browser uploads to the evidence bucket from the console origin only', () => {
    const evidence = resourcesOf(s.template, 'AWS::S3::Bucket').find(([id]) => id === logicalId(s, s.stack.evidence.bucket))![1];
    const rules = evidence.Properties.CorsConfiguration.CorsRules as { AllowedOrigins: unknown[] }[];
    expect(rules).toHaveLength(1);
    expect(rules[0]!.AllowedOrigins).toEqual([Stack.of(s.stack).resolve(s.stack.console.origin)]);
    expect(JSON.stringify(rules[0]!.AllowedOrigins)).not.toContain('*');
  });

  it('deploys the build with its own role: exact S3 actions on the two buckets, no inline policy', () => {
    const deployment = only(s, 'Custom::CDKBucketDeployment');
    const handler = Object.values(s.template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).find(
      (r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties.Role).includes('ConsoleDeployRole'),
    );
    expect(handler, 'the deployment handler runs as Console/DeployRole').toBeDefined();
    expect(JSON.stringify(deployment.Properties.ServiceToken)).toContain('CustomCDKBucketDeployment');
    const [, policy] = resourcesOf(s.template, 'AWS::IAM::ManagedPolicy').find(([id]) => id.startsWith('ConsoleDeployPolicy'))!;
    const actions = (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((st) => [st.Action].flat());
    expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 's3:GetObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(deployment.Properties.Prune).toBe(false);
    expect(resourcesOf(s.template, 'AWS::IAM::Policy')).toEqual([]);
  });

  it('writes /config.json at deploy time with the API URL and the OIDC settings', () => {
    const deployment = only(s, 'Custom::CDKBucketDeployment');
    expect(deployment.Properties.DestinationBucketName).toEqual({ Ref: logicalId(s, s.stack.console.bucket) });
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toContain(logicalId(s, s.stack.api.api));
    const callback = JSON.stringify(Stack.of(s.stack).resolve(s.stack.console.callbackUrl));
    if (partition === 'global') {
      expect(markers).toContain(logicalId(s, s.stack.identity.client!));
      const client = only(s, 'AWS::Cognito::UserPoolClient');
      expect(client.Properties.AllowedOAuthFlows).toEqual(['code']);
      expect(JSON.stringify(client.Properties.CallbackURLs)).toBe(`[${callback}]`);
      expect(callback).toContain(CALLBACK_PATH);
      expect(resourcesOf(s.template, 'AWS::Cognito::UserPoolDomain')).toHaveLength(1);
    } else {
      expect(markers).toContain('OidcIssuerUrl');
      expect(markers).toContain('OidcAudience');
    }
  });
});
