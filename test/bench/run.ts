/**
 * `npm run bench`: the benchmarks, each in its own Node process (they start servers, change
 * process.env and time module imports, so they must not share one): test/bench/api.ts, then
 * test/bench/bundles.ts when it exists. Figures only, no timed asserts (docs/architecture.md §13); the exit
 * code is non-zero only when a benchmark itself failed to run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const BENCHES = ['api.ts', 'bundles.ts', 'calendar.ts', 'processes.ts', 'hashing.ts', 'console-hashing.ts', 'evidence.ts', 'audit-shards.ts'];

let failed = 0;
for (const name of BENCHES) {
  const file = join(here, name);
  if (!existsSync(file)) {
    process.stdout.write(`\n== ${relative(root, file)}: not present, skipped ==\n`);
    continue;
  }
  process.stdout.write(`\n== ${relative(root, file)} ==\n`);
  const r = spawnSync(process.execPath, [tsxCli, file], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`${relative(root, file)} failed (${r.error?.message ?? (r.signal ? `signal ${r.signal}` : `exit ${r.status}`)})\n`);
  }
}
process.exit(failed ? 1 : 0);
