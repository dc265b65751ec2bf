/**
 * Bundle benchmark: `npx tsx test/bench/bundles.ts`
 *
 * Bundles every deployed Lambda entry point (functions/{http,events,jobs,clock}/*.ts, the list
 * test/infra/bundles.test.ts holds against the synthesized stack) with exactly the esbuild options
 * the CDK functions use (infra/aws/bundling.ts), then prints per function the minified size and the
 * cold module-import time: a fresh Node process imports the bundle and measures the import alone,
 * median of RUNS runs, the runs interleaved across all bundles (rotating order) so that load from
 * other processes on the machine falls on every bundle alike. The time is the CPU time the importing
 * process spent (user + system, all its threads), with the wall time beside it: on a shared machine
 * the wall time also counts waiting for a core and swings several-fold from run to run, the CPU time
 * does not, and the goal is judged on it. Both are set against the goal of issue
 * 9 and against the baseline measured in the same run: a bundle holding only the DynamoDB document
 * client, built as a plain app would build it (the SDK's default credential chain included). It then
 * lists, from esbuild's metafile, which SDK clients beyond DynamoDB each bundle carries and the
 * import path that brings each in. It prints figures; it asserts nothing (docs/architecture.md §13).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { REPO_ROOT } from '../../infra/aws/archive-function.ts';
import { BUNDLE_FILE, esbuildOptions } from '../../infra/aws/bundling.ts';
import { bundleEntries } from './bundle-entries.ts';

/** the goal of issue 9: every deployed bundle at most this many KB minified … */
const SIZE_GOAL_KB = 350;
/** … and its cold import at most this multiple of the baseline's, measured in the same run */
const IMPORT_GOAL_RATIO = 1.25;
const RUNS = 7;

/** What a function sees at start-up in Lambda, so module-level code behaves as it would there. */
const LAMBDA_LIKE_ENV = {
  AWS_REGION: 'cn-north-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  TABLE_NAME: 'bench-table',
  BUCKET_NAME: 'bench-bucket',
  LOG_LEVEL: 'INFO',
};

const entries = bundleEntries();
/**
 * The raw baseline, measured in the same run: the SDK's DynamoDB document client alone, built as a
 * plain app would build it: the same esbuild options but none of the product's package replacements
 * (the SDK's whole default credential chain stays in).
 */
const BASELINE = { name: 'baseline: DynamoDB client only', entry: join(REPO_ROOT, 'test', 'bench', 'baseline-dynamodb.ts') };
const buildOptions = (entry: string, file: string) => (entry === BASELINE.entry ? { ...esbuildOptions(entry, file), alias: {} } : esbuildOptions(entry, file));

/** Packages whose presence in a function's bundle the benchmark explains (beyond DynamoDB, the floor). */
const WATCHED = ['@aws-sdk/client-s3', '@aws-sdk/client-sfn', '@aws-sdk/client-scheduler', '@aws-sdk/client-sesv2', '@aws-sdk/client-sns', '@aws-sdk/nested-clients', 'zod-openapi'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Import the bundle in a fresh Node process and report how long the import itself took: CPU and wall time, ms. */
const coldImportMs = (file: string): { cpu: number; wall: number } => {
  const url = JSON.stringify(pathToFileURL(file).href);
  const code =
    `const c = process.cpuUsage(); const t = performance.now(); await import(${url}); const wall = performance.now() - t; const u = process.cpuUsage(c);` +
    ' process.stdout.write(JSON.stringify({ cpu: (u.user + u.system) / 1000, wall }));';
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_LIKE_ENV },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`importing ${file} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as { cpu: number; wall: number };
};

const packageOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];

/** The three packages (or source folders) that put the most bytes into the bundle. */
const largestInputs = (inputs: Metafile['outputs'][string]['inputs']) => {
  const by = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg = packageOf(path) ?? path.split('/').slice(0, 2).join('/');
    by.set(pkg, (by.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...by]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${k} ${Math.round(v / 1024)}`)
    .join(', ');
};

/**
 * Why a watched package is in the bundle: the shortest import path from the entry point to it in
 * esbuild's metafile, the repository's own files named, the package named where the path enters it.
 */
const pathTo = (meta: Metafile, entry: string, pkg: string): string | undefined => {
  const start = Object.keys(meta.inputs).find((k) => join(REPO_ROOT, k) === entry);
  if (!start) return undefined;
  const from = new Map<string, string | undefined>([[start, undefined]]);
  const queue = [start];
  while (queue.length) {
    const at = queue.shift()!;
    for (const { path } of meta.inputs[at]?.imports ?? []) {
      if (from.has(path) || !meta.inputs[path]) continue;
      from.set(path, at);
      if (packageOf(path) === pkg) {
        const files: string[] = [];
        for (let p: string | undefined = path; p !== undefined; p = from.get(p)) files.unshift(p);
        const own = files.filter((f) => !packageOf(f));
        const entered = packageOf(files[own.length] ?? '');
        return [...own, ...(entered && entered !== pkg ? [entered, '…'] : []), pkg].join(' → ');
      }
      queue.push(path);
    }
  }
  return undefined;
};

interface Measured {
  name: string;
  file: string;
  kb: number;
  inputs: Metafile['outputs'][string]['inputs'];
  /** watched package → KB in the bundle and the import path that brings it */
  watched: { pkg: string; kb: number; via: string }[];
  times: { cpu: number; wall: number }[];
}

const main = async () => {
  if (entries.length === 0) {
    console.log('no function entry points under functions/ yet');
    return;
  }
  const out = mkdtempSync(join(tmpdir(), 'archive-bundles-'));
  const measured: Measured[] = [];
  try {
    for (const { name, entry } of [BASELINE, ...entries]) {
      const file = join(out, name, BUNDLE_FILE);
      const { metafile } = await build({ ...buildOptions(entry, file), absWorkingDir: REPO_ROOT, metafile: true });
      const inputs = Object.values(metafile.outputs)[0]?.inputs ?? {};
      const watched = WATCHED.flatMap((pkg) => {
        const bytes = Object.entries(inputs)
          .filter(([p]) => packageOf(p) === pkg)
          .reduce((n, [, i]) => n + i.bytesInOutput, 0);
        return bytes ? [{ pkg, kb: bytes / 1024, via: pathTo(metafile, entry, pkg) ?? '?' }] : [];
      });
      measured.push({ name, file, kb: statSync(file).size / 1024, inputs, watched, times: [] });
    }
    // interleaved: run r imports every bundle once, starting one further along each time
    for (let r = 0; r < RUNS; r++) {
      for (let i = 0; i < measured.length; i++) {
        const m = measured[(i + r) % measured.length]!;
        m.times.push(coldImportMs(m.file));
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }

  const base = measured[0]!;
  const cpuOf = (m: Measured) => median(m.times.map((t) => t.cpu));
  const wallOf = (m: Measured) => median(m.times.map((t) => t.wall));
  let meeting = 0;
  const rows = measured.map((m, i) => {
    const cpuRatio = cpuOf(m) / cpuOf(base);
    const overSize = i > 0 && m.kb > SIZE_GOAL_KB;
    const overImport = i > 0 && cpuRatio > IMPORT_GOAL_RATIO;
    if (i > 0 && !overSize && !overImport) meeting++;
    return [
      m.name,
      `${m.kb.toFixed(1)}${overSize ? ' !' : ''}`,
      `${cpuOf(m).toFixed(1)} (${wallOf(m).toFixed(1)})`,
      `${(m.kb / base.kb).toFixed(2)}×`,
      `${cpuRatio.toFixed(2)}×${overImport ? ' !' : ''} (${(wallOf(m) / wallOf(base)).toFixed(2)}×)`,
      largestInputs(m.inputs),
    ];
  });

  const header = [
    'function',
    `size KB (goal ≤ ${SIZE_GOAL_KB})`,
    `cold import ms, CPU (wall), median of ${RUNS}`,
    'size vs baseline',
    `import vs baseline, CPU (wall) (goal ≤ ${IMPORT_GOAL_RATIO.toFixed(2)}×)`,
    'largest inputs, KB',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(`Node ${process.version} ${process.arch}; esbuild options from infra/aws/bundling.ts; "!" = over the goal`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log(`${meeting} of ${measured.length - 1} deployed bundles meet both goals (size ≤ ${SIZE_GOAL_KB} KB, import CPU time ≤ ${IMPORT_GOAL_RATIO}× the baseline's)`);

  console.log('\nSDK clients beyond DynamoDB (and zod-openapi) in each bundle, KB, and the import path that brings each (esbuild metafile):');
  for (const m of measured) {
    if (!m.watched.length) continue;
    console.log(`  ${m.name}`);
    for (const w of m.watched) console.log(`    ${w.pkg} ${w.kb.toFixed(0)}: ${w.via}`);
  }
};

await main();
