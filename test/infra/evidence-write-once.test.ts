import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../infra/aws/evidence-store.ts';
import { FEATURE_FLAGS } from '../../infra/aws/platform.ts';
import { WRITE_ONCE_PREFIXES } from '../../shared/evidence/tiers.ts';

/**
 * The evidence bucket refuses a second write of an original or an attachment (issue 8): its policy
 * denies every PutObject / CompleteMultipartUpload under WRITE_ONCE_PREFIXES that does not carry
 * `If-None-Match: *` — the same list the embedded platform's S3 guard enforces
 * (test/integration/s3-guard.test.ts).
 */
describe('evidence bucket policy: written once', () => {
  it('denies, to every principal, an object-creating write of evidence/ and attachments/ without If-None-Match', () => {
    const stack = new Stack(new App({ context: FEATURE_FLAGS }), 'WriteOnce', { env: { account: '111111111111', region: 'cn-north-1' } });
    const store = new EvidenceStore(stack, 'Evidence', { bucketName: 'evidence-write-once-test', allowedOrigins: [] });
    const template = Template.fromStack(stack);
    expect(WRITE_ONCE_PREFIXES).toEqual(['evidence/', 'attachments/']);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: stack.getLogicalId(store.bucket.node.defaultChild as never) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyUnconditionalWritesOfWriteOnceKeys',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Condition: { Null: { 's3:if-none-match': 'true' }, Bool: { 's3:ObjectCreationOperation': 'true' } },
            Resource: WRITE_ONCE_PREFIXES.map((p) => ({ 'Fn::Join': ['', [Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }), `/${p}*`]] })),
          }),
        ]),
      },
    });
  });
});
