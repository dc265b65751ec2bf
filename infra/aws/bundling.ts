import type { BuildOptions } from 'esbuild';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every Lambda function is bundled (docs/architecture.md §10): one ESM file per function, minified, the AWS
 * SDK v3 bundled rather than taken from the runtime (a pinned, tree-shaken SDK is smaller to load
 * and does not change under us), for Node 22 on arm64. The CDK functions (infra/aws/functions.ts)
 * and the bundle benchmark (test/bench/bundles.ts) both read these options, so the figures the
 * benchmark prints are the figures of what is deployed.
 */
export const FUNCTION_BUNDLE = {
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  /** no source map: it would double the file Lambda loads on a cold start */
  sourcemap: false,
  /** prefer the ESM build of dependencies that ship both, so tree shaking works */
  mainFields: ['module', 'main'],
  /** nothing external: the SDK is bundled too */
  external: [] as string[],
  /** Chinese messages stay UTF-8 instead of \uXXXX escapes (half the bytes) */
  charset: 'utf8',
  /**
   * Packages replaced in the bundle, resolved from the repository root. The SDK's default credential
   * chain becomes the environment provider alone: the role's credentials are in Lambda's environment,
   * and the rest of the chain with its STS/SSO clients would add ~130 KB to every function
   * (shared/adapters/lambda-credentials.ts; test/infra/bundles.test.ts holds it).
   */
  alias: { '@aws-sdk/credential-provider-node': './shared/adapters/lambda-credentials.ts' } as Record<string, string>,
  /**
   * CommonJS dependencies bundled into an ES module still call require() for Node built-ins;
   * ESM has no require, so give them one.
   */
  banner: "import { createRequire as __archiveCreateRequire } from 'node:module'; const require = __archiveCreateRequire(import.meta.url);",
} as const;

/** The handler file name CDK gives an ESM bundle, and so the one the benchmark writes. */
export const BUNDLE_FILE = 'index.mjs';

/** The options above in the shape NodejsFunction takes. */
export const nodejsBundling = (): BundlingOptions => ({
  format: OutputFormat.ESM,
  target: FUNCTION_BUNDLE.target,
  minify: FUNCTION_BUNDLE.minify,
  sourceMap: FUNCTION_BUNDLE.sourcemap,
  mainFields: [...FUNCTION_BUNDLE.mainFields],
  externalModules: [...FUNCTION_BUNDLE.external],
  // NodejsFunction 2.276 accepts `charset` but never passes it to esbuild; the raw flag does get through
  esbuildArgs: {
    '--charset': FUNCTION_BUNDLE.charset,
    // NodejsFunction has no alias option; it passes each `--alias` item through as `--alias:<from>=<to>`
    '--alias': Object.entries(FUNCTION_BUNDLE.alias).map(([from, to]) => `${from}=${to}`),
  },
  banner: FUNCTION_BUNDLE.banner,
});

/** The same options in the shape esbuild's build() takes (what NodejsFunction runs on the CLI). */
export const esbuildOptions = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: FUNCTION_BUNDLE.platform,
  target: FUNCTION_BUNDLE.target,
  format: FUNCTION_BUNDLE.format,
  minify: FUNCTION_BUNDLE.minify,
  sourcemap: FUNCTION_BUNDLE.sourcemap,
  mainFields: [...FUNCTION_BUNDLE.mainFields],
  external: [...FUNCTION_BUNDLE.external],
  charset: FUNCTION_BUNDLE.charset,
  alias: { ...FUNCTION_BUNDLE.alias },
  banner: { js: FUNCTION_BUNDLE.banner },
  logLevel: 'warning',
});
