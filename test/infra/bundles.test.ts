import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/aws/archive-function.ts';
import { BUNDLE_FILE, esbuildOptions, FUNCTION_BUNDLE } from '../../infra/aws/bundling.ts';
import { PARTITION_REGIONS, removeAssembly, type Synthesized, synthesize } from './synth.ts';

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
      const imports = Object.values(metafile.inputs).flatMap((i) => i.imports).map((i) => i.path);
      expect(imports, name).toContain('node:module');
      expect(imports.filter((sp) => !isBuiltin(sp)), name).toEqual([]);
    }
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
