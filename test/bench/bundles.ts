/**
 * Bundle benchmark: `npx tsx test/bench/bundles.ts`
 *
 * Bundles every Lambda entry point (functions/http/*.ts, functions/events/*.ts) with exactly the
 * esbuild options the CDK functions use (infra/aws/bundling.ts), then prints per function the
 * minified size and the cold module-import time: a fresh Node process imports the bundle and
 * measures the import alone, median of 5 runs. It prints figures; it asserts nothing (docs/architecture.md §13).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../infra/aws/archive-function.ts';
import { BUNDLE_FILE, esbuildOptions } from '../../infra/aws/bundling.ts';

const SIZE_GOAL_KB = 350;
const IMPORT_GOAL_MS = 60;
const RUNS = 5;

/** What a function sees at start-up in Lambda, so module-level code behaves as it would there. */
const LAMBDA_LIKE_ENV = {
  AWS_REGION: 'cn-north-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  TABLE_NAME: 'bench-table',
  BUCKET_NAME: 'bench-bucket',
  LOG_LEVEL: 'INFO',
};

const entries = (['http', 'events'] as const).flatMap((surface) => {
  const dir = join(REPO_ROOT, 'functions', surface);
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  } catch {
    /* no such surface yet */
  }
  return names.sort().map((f) => ({ name: `${surface}/${basename(f, '.ts')}`, entry: join(dir, f) }));
});
/** the raw baseline, measured in the same run: the SDK's DynamoDB document client alone */
const BASELINE = { name: 'baseline: DynamoDB client only', entry: join(REPO_ROOT, 'test', 'bench', 'baseline-dynamodb.ts') };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Import the bundle in a fresh Node process and report how long the import itself took. */
const coldImportMs = (file: string): number => {
  const url = JSON.stringify(pathToFileURL(file).href);
  const code = `const t = performance.now(); await import(${url}); process.stdout.write(String(performance.now() - t));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_LIKE_ENV },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`importing ${file} failed:\n${r.stderr}`);
  return Number(r.stdout);
};

/** The three packages (or source folders) that put the most bytes into the bundle. */
const largestInputs = (inputs: Record<string, { bytesInOutput: number }>) => {
  const by = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/').slice(0, 2).join('/');
    by.set(pkg, (by.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...by].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k} ${Math.round(v / 1024)}`).join(', ');
};

const main = async () => {
  if (entries.length === 0) {
    console.log('no function entry points under functions/http or functions/events yet');
    return;
  }
  const out = mkdtempSync(join(tmpdir(), 'archive-bundles-'));
  const rows: string[][] = [];
  try {
    let base: { kb: number; ms: number } | undefined;
    for (const { name, entry } of [BASELINE, ...entries]) {
      const outfile = join(out, name, BUNDLE_FILE);
      const result = await build({ ...esbuildOptions(entry, outfile), absWorkingDir: REPO_ROOT, metafile: true });
      const kb = statSync(outfile).size / 1024;
      const times = Array.from({ length: RUNS }, () => coldImportMs(outfile));
      const ms = median(times);
      const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
      base ??= { kb, ms };
      rows.push([
        name,
        `${kb.toFixed(1)}${kb > SIZE_GOAL_KB ? ' !' : ''}`,
        `${ms.toFixed(1)}${ms > IMPORT_GOAL_MS ? ' !' : ''}`,
        `${(kb / base.kb).toFixed(2)}× / ${(ms / base.ms).toFixed(2)}×`,
        largestInputs(inputs),
      ]);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }

  const header = ['function', `size KB (goal ≤ ${SIZE_GOAL_KB})`, `cold import ms (goal ≤ ${IMPORT_GOAL_MS}, median of ${RUNS})`, 'vs baseline size / import', 'largest inputs, KB'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(`Node ${process.version} ${process.arch}; esbuild options from infra/aws/bundling.ts; "!" = over the goal`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
};

await main();
