import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { IConstruct } from 'constructs';
import { REPO_ROOT } from '../../infra/aws/archive-function.ts';
import type { ArchiveStack } from '../../infra/aws/archive-stack.ts';
import { buildPlatformApp } from '../../infra/aws/platform.ts';

/**
 * Synthesize the platform app for one region exactly as infra/aws/app.ts does (same builder, same
 * compliance packs), into a temporary cloud assembly. Bundling the eight functions is the slow
 * part, so the template and compliance tests skip it (`bundle: false`: CDK's own switch, the
 * template is the same apart from asset hashes) and only the bundle tests pay for it.
 */
export const PARTITION_REGIONS = {
  global: 'ap-east-1',
  chinaBeijing: 'cn-north-1',
  chinaNingxia: 'cn-northwest-1',
} as const;

export interface Violation {
  ruleName: string;
  severity: string;
  description: string;
  violatingConstructs: { constructPath: string }[];
}

export interface PluginReport {
  pluginName: string;
  conclusion: 'success' | 'failure';
  metadata?: { error?: string };
  violations: Violation[];
}

export interface Synthesized {
  region: string;
  partition: string;
  stack: ArchiveStack;
  template: Template;
  /** the template as written to the cloud assembly */
  json: string;
  assemblyDir: string;
  /** the CDK validation report: every plugin that found something (nag packs, CloudFormation validate) */
  reports: PluginReport[];
  /** the synthesis error, if an unacknowledged error stopped it */
  error?: Error;
}

export const synthesize = (region: string, opts: { bundle: boolean; functionsRoot?: string }): Synthesized => {
  const outdir = mkdtempSync(join(tmpdir(), `archive-cdk-${region}-`));
  const { app, stacks } = buildPlatformApp({
    outdir,
    context: { region, ...(opts.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    ...(opts.functionsRoot ? { functionsRoot: opts.functionsRoot } : {}),
  });
  const stack = stacks[0]!;
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const reports = (JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: PluginReport[] }).pluginReports;
  const json = error ? '{}' : readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8');
  return {
    region,
    partition: RegionInfo.get(region).partition!,
    stack,
    template: error ? (undefined as unknown as Template) : Template.fromJSON(JSON.parse(json) as Record<string, unknown>),
    json,
    assemblyDir: outdir,
    reports,
    ...(error ? { error } : {}),
  };
};

/**
 * A folder of stand-in handlers (`export const handler = async () => undefined`) for every entry the
 * app may build, so a synthesis (without bundling) includes every function whatever handler files the
 * repository has yet. NodejsFunction wants its entry inside the project root, so the folder lives in
 * node_modules/.cache of the repository, never in a tracked path; `removeFunctionsFixture` drops it.
 */
export const functionsFixture = (entries: { surface: 'http' | 'events' | 'clock' | 'jobs'; name: string }[]): string => {
  const cache = join(REPO_ROOT, 'node_modules', '.cache', 'enforcement-archive-infra-tests');
  mkdirSync(cache, { recursive: true });
  const root = mkdtempSync(join(cache, 'functions-'));
  for (const { surface, name } of entries) {
    mkdirSync(join(root, surface), { recursive: true });
    writeFileSync(join(root, surface, `${name}.ts`), 'export const handler = async () => undefined;\n');
  }
  return root;
};

export const removeFunctionsFixture = (root: string | undefined) => {
  if (root) rmSync(root, { recursive: true, force: true });
};

/** Drop the temporary cloud assembly (bundles included) once a file's tests are done. */
export const removeAssembly = (s: Synthesized | undefined) => {
  if (s) rmSync(s.assemblyDir, { recursive: true, force: true });
};

/** Every acknowledgement (Validations.acknowledge) in the tree: where, which rule, why. */
export const acknowledgements = (root: IConstruct) =>
  root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, unknown>).map(([id, value]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason: typeof value === 'string' ? value : String((value as { reason?: unknown })?.reason ?? ''),
        })),
      ),
  );

/** Resources of one type as [logicalId, resource] pairs. */
export const resourcesOf = (t: Template, type: string) =>
  Object.entries(t.findResources(type)) as [string, { Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string }][];
