import { App, type AppProps } from 'aws-cdk-lib';
import { ArchiveStack } from './archive-stack.ts';
import { applyCompliancePacks } from './nag.ts';
import { settingsFrom } from './settings.ts';

/**
 * Feature flags the platform relies on, set here rather than in cdk.json so the tests build
 * exactly the app the CLI builds.
 */
export const FEATURE_FLAGS = {
  // access-log delivery through a bucket policy: ACLs are disabled (BucketOwnerEnforced)
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

export interface PlatformAppProps extends AppProps {
  /** tests point this at a folder of handlers; the repository's functions/ by default */
  functionsRoot?: string;
}

/**
 * The CDK app: one ArchiveStack per region in the `region` context (comma-separated), the
 * compliance packs on every synthesis. infra/aws/app.ts runs it for the CLI; the infra tests
 * build it the same way.
 */
export const buildPlatformApp = ({ functionsRoot, ...props }: PlatformAppProps = {}) => {
  const app = new App({ ...props, context: { ...FEATURE_FLAGS, ...props.context } });
  const settings = settingsFrom(app.node);
  const stacks = settings.regions.map(
    (region) =>
      new ArchiveStack(app, `EnforcementArchive-${region}`, {
        settings,
        region,
        functionsRoot,
        description: 'Law-enforcement archive platform: HTTP API, functions, archive table, evidence bucket',
        terminationProtection: true,
      }),
  );
  applyCompliancePacks(app);
  return { app, stacks, settings };
};
