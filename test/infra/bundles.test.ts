import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/aws/archive-function.ts';
import { BUNDLE_FILE, esbuildOptions, FUNCTION_BUNDLE } from '../../infra/aws/bundling.ts';
import { PARTITION_REGIONS, removeAssembly, type Synthesized, synthesize } from './synth.ts';
import { bundleEntries } from '../bench/bundle-entries.ts';
import { embedded, freshTable, REGION } from '../support/platform.ts';
import { TABLE } from '../../shared/adapters/dynamodb/table.ts';

/**
 * The functions as CDK really bundles them (the slow part, once per partition): one minified ESM
 * file each, the AWS SDK inside it, the require() shim first, no source map, and byte for byte
 * what test/bench/bundles.ts measures with the shared options of infra/aws/bundling.ts.
 */
describe.each([PARTITION_REGIONS.global, PARTITION_REGIONS.chinaBeijing])('function bundles in %s', (region) => {
  let s: Synthesized;
  /** function id → the folder of its bundled asset in the cloud assembly */
  const assets = new Map<string, string>();

  beforeAll(() => {
    s = synthesize(region, { bundle: true });
    const manifest = JSON.parse(readFileSync(join(s.assemblyDir, `${s.stack.artifactId}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string } }>;
    };
    const resources = s.template.toJSON().Resources as Record<string, { Properties: { Code: { S3Key: string } } }>;
    for (const [name, f] of s.stack.functions) {
      const key = resources[s.stack.getLogicalId(f.fn.node.defaultChild as CfnElement)]!.Properties.Code.S3Key;
      assets.set(name, join(s.assemblyDir, manifest.files[key.replace(/\.zip$/, '')]!.source.path));
    }
  });
  afterAll(() => removeAssembly(s));

  it('bundles every function', () => {
    expect(s.error?.message).toBeUndefined();
    expect(assets.size).toBe(s.stack.functions.size);
  });

  it('writes one minified ES module per function and no source map', () => {
    for (const [name, dir] of assets) {
      expect(readdirSync(dir), name).toEqual([BUNDLE_FILE]);
      const code = readFileSync(join(dir, BUNDLE_FILE), 'utf8');
      expect(code.startsWith(FUNCTION_BUNDLE.banner), name).toBe(true);
      expect(code, name).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{[^}]*\bhandler\b[^}]*\}/);
      expect(code, name).not.toContain('sourceMappingURL');
      // minified: a handful of long lines, not formatted source
      expect(code.split('\n').length, name).toBeLessThan(200);
    }
  });

  it('bundles the AWS SDK and every other package: only Node built-ins stay imports', async () => {
    for (const [name, dir] of assets) {
      // let esbuild parse the bundle and list what it still imports
      const file = join(dir, BUNDLE_FILE);
      const { metafile } = await build({ entryPoints: [file], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
      const imports = Object.values(metafile.inputs)
        .flatMap((i) => i.imports)
        .map((i) => i.path);
      expect(imports, name).toContain('node:module');
      expect(
        imports.filter((sp) => !isBuiltin(sp)),
        name,
      ).toEqual([]);
    }
  });

  it('the bundle benchmark measures every deployed function and nothing else', () => {
    const deployed = [...s.stack.functions.values()].map((f) => f.entry).sort();
    expect(
      bundleEntries()
        .map((e) => e.entry)
        .sort(),
    ).toEqual(deployed);
  });

  it('is byte for byte what the shared esbuild options produce (the benchmark measures the deployed code)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'archive-bundle-compare-'));
    for (const [name, f] of s.stack.functions) {
      const outfile = join(out, name, BUNDLE_FILE);
      await build({ ...esbuildOptions(f.entry, outfile), absWorkingDir: REPO_ROOT, logLevel: 'silent' });
      expect(readFileSync(outfile).equals(readFileSync(join(assets.get(name)!, BUNDLE_FILE))), name).toBe(true);
    }
    rmSync(out, { recursive: true, force: true });
  });
});

/** What each deployed function's bundle holds, from esbuild's metafile (the list of entries is the stack's, checked above). */
describe('what the function bundles carry', () => {
  const inputs = new Map<string, string[]>();
  beforeAll(async () => {
    for (const { name, entry } of bundleEntries()) {
      const { metafile } = await build({ ...esbuildOptions(entry, join(tmpdir(), 'archive-bundle-meta', name, BUNDLE_FILE)), absWorkingDir: REPO_ROOT, write: false, metafile: true });
      inputs.set(name, Object.keys(metafile.inputs));
    }
  });

  it("no AWS credential provider but the environment one: in Lambda the role's credentials are in env vars", () => {
    // the rest of the SDK's default chain (profiles, SSO, web identity, process, IMDS/container) and the
    // STS/SSO/sign-in clients it needs would add ~130 KB to every function and never run in Lambda
    const chain = /node_modules\/@aws-sdk\/(nested-clients|credential-provider-(?!env\/)[a-z-]+|token-providers)\/|node_modules\/@smithy\/credential-provider-imds\//;
    for (const [name, files] of inputs) {
      expect(
        files.filter((i) => chain.test(i)),
        name,
      ).toEqual([]);
      expect(
        files.some((i) => i.includes('node_modules/@aws-sdk/credential-provider-env/')),
        name,
      ).toBe(true);
    }
  });

  it("validation with zod/mini: the classic zod API (~70 KB more) only where zod-openapi needs it, the OpenAPI document's function", () => {
    for (const [name, files] of inputs) {
      if (name !== 'http/system')
        expect(
          files.filter((i) => i.includes('node_modules/zod/v4/classic/')),
          name,
        ).toEqual([]);
    }
  });
});

/**
 * What a bundle does about credentials when it runs, in a Node process with Lambda's environment:
 * the product's DynamoDB client, bundled as the functions are, reads the table with the keys Lambda
 * puts in the environment; without them it fails at once with the environment provider's error even
 * when a shared credentials file would have served the SDK's default chain (profiles, SSO, web
 * identity, process and instance metadata are not in the bundle to try).
 */
describe('a bundled function in a Lambda-like environment', () => {
  let dir: string;
  let file: string;
  let table: string;
  beforeAll(async () => {
    table = await freshTable('bundle');
    dir = mkdtempSync(join(tmpdir(), 'archive-bundle-run-'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { queryAll, tableName } from ${JSON.stringify(join(REPO_ROOT, 'shared/adapters/dynamodb/client.ts'))};\n` +
        `export const handler = () => queryAll({ TableName: tableName(), KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': ${JSON.stringify(TABLE.partitionKey)} }, ExpressionAttributeValues: { ':p': 'nothing' } }, (i) => i);\n`,
    );
    file = join(dir, 'out', BUNDLE_FILE);
    await build({ ...esbuildOptions(entry, file), absWorkingDir: REPO_ROOT });
    // a default profile the SDK's full chain would find (fromIni)
    writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const invoke = (credentials: Record<string, string>) => {
    const code = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); try { process.stdout.write(JSON.stringify({ items: await m.handler() })); } catch (e) { process.stdout.write(JSON.stringify({ error: e.name, message: e.message })); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_REGION: REGION,
        AWS_LAMBDA_FUNCTION_NAME: 'bundle-test',
        TABLE_NAME: table,
        BUCKET_NAME: 'unused',
        DYNAMODB_ENDPOINT: embedded().dynamoEndpoint,
        ...credentials,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return JSON.parse(r.stdout || JSON.stringify({ error: 'exit', message: r.stderr })) as { items?: unknown[]; error?: string; message?: string };
  };

  it('signs its requests with the credentials Lambda puts in the environment', () => {
    expect(invoke({ AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_SESSION_TOKEN: 'session' })).toEqual({ items: [] });
  });

  it("tries no other source: without them it fails with the environment provider's error, a credentials file notwithstanding", () => {
    const r = invoke({});
    expect(r.error).toBe('CredentialsProviderError');
    expect(r.message).toMatch(/environment variable credentials/);
  });
});
